"""lecture/cluster without a cluster: the worker's key check, addresses, the probe, doctests."""

from __future__ import annotations

import doctest
import importlib
import socket

import pytest

from lecture.cluster import ClusterError, SceneJob, check_address, probe
from lecture.cluster.job import installation_mismatch
from lecture.render import cache, pipeline


def _job(scene_id: str = "closing") -> SceneJob:
    from scenes import SCENES_BY_ID

    spec = SCENES_BY_ID[scene_id]
    preset = pipeline.QUALITY_PRESETS["preview"]
    sections = {name: {} for name in spec.reads}  # the sections the scene reads (their content is no matter here)
    parts = cache.scene_key_parts(spec, sources=cache.collect_sources(), sections=sections, lang="ko",
                                  quality="preview", preset=preset)
    return SceneJob(scene=spec.id, stem=f"{spec.index:02d}-{spec.id}", preset=preset, lang="ko", data_text="",
                    key=cache.key_of(parts), parts=parts)


def test_the_same_installation_gives_the_same_key():
    assert installation_mismatch(_job()) is None


def test_other_library_versions_or_code_are_named():
    job = _job()
    parts = dict(job.parts, versions=dict(job.parts["versions"], numpy="0.0.1"), pipeline_code="other")
    other = SceneJob(**{**job.__dict__, "parts": parts, "key": cache.key_of(parts)})
    mine = cache.library_versions()["numpy"]
    assert installation_mismatch(other) == f"pipeline code, numpy {mine} here, 0.0.1 on the client"


def test_a_scene_the_worker_does_not_know():
    job = _job()
    assert installation_mismatch(SceneJob(**{**job.__dict__, "scene": "outro"})) == "it has no scene 'outro'"


@pytest.mark.parametrize("address", ["localhost:8786", "tcp://host", "http://h:1", "tls://h:1", "tcp://h:0", "tcp://h:70000",
                                     "tcp://a b:1", ""])
def test_bad_addresses_are_bad_input(address):
    with pytest.raises(ClusterError) as info:
        check_address(address)
    assert info.value.status == 2 and "expected a Dask scheduler address tcp://HOST:PORT" in str(info.value)


def test_good_addresses():
    for address in ("tcp://127.0.0.1:8786", "tcp://scheduler.example.org:8786", "tcp://[::1]:8786"):
        assert check_address(address) == address


def test_the_probe_fails_fast_on_a_closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ClusterError, match=rf"cannot reach the Dask scheduler at tcp://127.0.0.1:{port} \("):
        probe(f"tcp://127.0.0.1:{port}")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        probe(f"tcp://127.0.0.1:{server.getsockname()[1]}")  # something listens: the real connect decides


@pytest.mark.parametrize("name", ["lecture.cluster.service", "lecture.batch.plan", "lecture.batch.run"])
def test_doctests(name):
    assert doctest.testmod(importlib.import_module(name)).failed == 0


def test_importing_the_packages_imports_no_dask():
    import subprocess
    import sys

    code = "import lecture.cluster, lecture.batch, sys; print('distributed' in sys.modules, 'dask' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"

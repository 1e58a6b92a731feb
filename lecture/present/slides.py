"""``nll-lecture export slides OUT DIR``: the lecture's beats as a manim-slides presentation.

manim-slides keeps a presentation as ``DIR/<Name>.json`` (its ``PresentationConfig``: the
resolution, the background colour and one entry per slide with its video ``file``, a
``rev_file`` for reversed playback, and ``notes``) beside the slides' videos in
``DIR/files/<Name>/``; the file paths in the JSON are relative to DIR's parent folder, as
manim-slides itself writes them. This module writes that format from a published OUT
(its manifest.json and clips), so that ``manim-slides present``, ``manim-slides convert
--to html`` and ``--to pptx`` work on it:

- one slide per beat, its video cut from the scene's MP4 clip by packet copy (no
  re-encoding): a beat starts on a keyframe (lecture/present/beats.py) and runs to the next
  beat's start (the scene's last beat to the clip's end), so every cut starts and ends on a
  keyframe of a closed GOP; a scene published without beats is one slide;
- the beat's narration as the slide's notes; the reversed video is the video itself
  (manim-slides' reverse key is not a lecture need, and reversing costs a re-encode);
- videos only (manim-slides' slides are silent; a voiced render's voice stays in OUT's clips);
- the local reveal.js copy ``make setup`` installs from the npm registry
  (``.venv/share/reveal.js``), or ``--revealjs DIR``, copied into ``DIR/revealjs`` so the
  HTML conversion needs no CDN: ``-c cdn_url=revealjs``.

Bad input is an :class:`ExportError` (one line, exit status 2); DIR is written whole in a
temporary folder beside it and renamed into place, so a failed export leaves no half DIR,
and a DIR this command wrote before is replaced (any other non-empty folder is refused).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from ..errors import EXIT_BAD_INPUT, LectureError

__all__ = ["DEFAULT_NAME", "ExportError", "SlidesOptions", "add_export_arguments", "export", "export_main",
           "revealjs_source", "slide_spans"]

DEFAULT_NAME = "NllLecture"
MARKER = ".nll-lecture-slides"  # in DIR: this folder is an export (may be replaced)
BACKGROUND = "#101418"  # scenes/theme.py BACKGROUND (not imported: that would import manim)
REVEALJS_VERSION = "6.0.1"  # manim-slides 5.x's default; the copy make setup installs
_REVEALJS_FILES = ("dist/reveal.js", "dist/reveal.css", "dist/plugin/notes.js", "dist/plugin/markdown.js",
                   "dist/plugin/highlight/zenburn.css")


class ExportError(LectureError, RuntimeError):
    """OUT or DIR is not usable (one line for the user)."""

    exit_status = EXIT_BAD_INPUT


@dataclass(frozen=True)
class SlidesOptions:
    name: str = DEFAULT_NAME  # the presentation's name: DIR/<name>.json
    revealjs: Path | None = None  # a reveal.js folder (with dist/); default: revealjs_source()


def revealjs_source() -> Path | None:
    """The reveal.js copy ``make setup`` put in the virtual environment, if there is one."""
    folder = Path(sys.prefix) / "share" / "reveal.js"
    return folder if (folder / "dist" / "reveal.js").is_file() else None


def slide_spans(scene: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A scene's slides: (start frame, end frame, notes, id), each from a beat's first frame
    (the scene's first from frame 0) to the next beat's start (the last to the clip's end).

    >>> [(s["start"], s["end"], s["notes"]) for s in slide_spans({"index": 1, "id": "t", "frames": 90,
    ...     "beats": [{"id": "01-t/a", "start_frame": 0, "text": "A"}, {"id": "01-t/b", "start_frame": 40, "text": "B"}]})]
    [(0, 40, 'A'), (40, 90, 'B')]
    """
    beats = scene.get("beats") or []
    if not beats:
        return [{"start": 0, "end": scene["frames"], "notes": "", "id": f"{scene['index']:02d}-{scene['id']}"}]
    spans = []
    for number, beat in enumerate(beats):
        start = 0 if number == 0 else beat["start_frame"]
        end = beats[number + 1]["start_frame"] if number + 1 < len(beats) else scene["frames"]
        spans.append({"start": start, "end": end, "notes": beat["text"], "id": beat["id"]})
    return spans


def _cut(src: Path, dst: Path, start: int, end: int, fps: Fraction) -> int:
    """Frames [start, end) of ``src``'s video into ``dst`` by packet copy; the frames written."""
    import av

    from .. import encoding

    written = 0
    with av.open(str(src)) as source:
        stream = source.streams.video[0]
        tb = stream.time_base
        with av.open(str(dst), mode="w", options=dict(encoding.CONTAINER_OPTIONS)) as out:
            out_stream = out.add_stream_from_template(template=stream)
            out_stream.time_base = tb
            shift = round(Fraction(start) / fps / tb)
            first = True
            for packet in source.demux(stream):
                if packet.pts is None or not packet.size:
                    continue
                index = round(packet.pts * tb * fps)
                if not start <= index < end:
                    continue
                if first and not packet.is_keyframe:
                    raise ExportError(f"{src.name}: no keyframe at frame {start} (a beat start); render it again")
                first = False
                packet.pts -= shift
                if packet.dts is not None:
                    packet.dts -= shift
                packet.stream = out_stream
                out.mux(packet)
                written += 1
    return written


def _manifest(out: Path) -> dict[str, Any]:
    path = out / "manifest.json"
    if not out.is_dir():
        raise ExportError(f"{out}: not a folder (give the output folder of nll-lecture render)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"{out}: no manifest.json (not an output folder of nll-lecture render)") from None
    except (OSError, ValueError) as err:
        raise ExportError(f"{path}: cannot be read: {err}") from None
    if not isinstance(manifest, dict) or not manifest.get("scenes"):
        raise ExportError(f"{path}: no scenes to export")
    try:
        lecture = manifest["lecture"]
        int(lecture["width"]), int(lecture["height"])
        for scene in manifest["scenes"]:
            int(scene["index"]), str(scene["id"]), float(scene["fps"]), int(scene["frames"])
            for beat in scene.get("beats") or []:
                str(beat["id"]), int(beat["start_frame"]), str(beat["text"])
            if not _inside(out, scene["clip"]):  # the manifest is OUT's, not ours to believe
                raise ExportError(f"{path}: the clip {scene['clip']!r} is not a file of OUT's clips/ "
                                  "(render the lecture again)")
    except (KeyError, TypeError, ValueError) as err:
        raise ExportError(f"{path}: not a manifest of nll-lecture render (missing or bad {err})") from None
    return manifest


def _inside(out: Path, clip: Any) -> bool:
    """A clip the manifest names is a regular file ``clips/NAME`` of OUT, reached through no
    symbolic link (never a path outside OUT)."""
    from ..publish.state import regular_file

    return isinstance(clip, str) and clip.startswith("clips/") and clip.count("/") == 1 and \
        regular_file(out, clip) is not None


_WRITTEN = re.compile(r"[A-Za-z0-9_-]+\.json|files/[A-Za-z0-9_-]+|revealjs")


def _written_before(dest: Path) -> list[str]:
    """What an earlier export wrote in DIR, from its marker: only names an export writes
    (``NAME.json``, ``files/NAME``, ``revealjs``); anything else in DIR is the user's."""
    try:
        marker = json.loads((dest / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    written = marker.get("written") if isinstance(marker, dict) else None
    if written is None and isinstance(marker, dict) and isinstance(marker.get("name"), str):
        written = [f"{marker['name']}.json", f"files/{marker['name']}", "revealjs"]  # (an export before the list)
    return [rel for rel in written or [] if isinstance(rel, str) and _WRITTEN.fullmatch(rel)]


def _check_dest(dest: Path) -> None:
    if dest.exists() or dest.is_symlink():
        if not dest.is_dir() or dest.is_symlink():
            raise ExportError(f"{dest}: exists and is not a folder")
        if any(dest.iterdir()) and not (dest / MARKER).is_file():
            raise ExportError(f"{dest}: a folder with other files in it (choose a new or empty folder)")
        if (dest / "files").is_symlink() or (os.path.lexists(dest / "files") and not (dest / "files").is_dir()):
            raise ExportError(f"{dest / 'files'}: not a folder (the export writes its slides there)")
    if not dest.parent.is_dir():
        raise ExportError(f"{dest.parent}: no such folder")


def _replace_written(stage: Path, dest: Path, written: list[str]) -> None:
    """Put the new export's entries in DIR in place of the earlier export's: only what an
    export wrote is replaced or removed (the earlier marker's list); the user's files stay."""
    trash = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    try:
        (dest / "files").mkdir(exist_ok=True)
        for rel in dict.fromkeys([*_written_before(dest), *written, MARKER]):
            new, old = stage / rel, dest / rel
            if os.path.lexists(old):
                os.rename(old, trash / rel.replace("/", "-"))
            if os.path.lexists(new):
                os.rename(new, old)
        _rmdir_quietly(dest / "files")  # (an export with no slides folder left)
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def _rmdir_quietly(path: Path) -> None:
    try:
        os.rmdir(path)
    except OSError:
        pass


def export(out: Path, dest: Path, options: SlidesOptions = SlidesOptions()) -> dict[str, Any]:
    """Write OUT's beats as manim-slides presentation ``options.name`` into ``dest``;
    returns what was written (slides, files, whether reveal.js was copied)."""
    out, dest = Path(out), Path(dest)
    if not options.name or not options.name.replace("_", "").replace("-", "").isalnum():
        raise ExportError(f"--name: expected letters, digits, '-' or '_', got {options.name!r}")
    manifest = _manifest(out)
    _check_dest(dest)
    revealjs = options.revealjs if options.revealjs is not None else revealjs_source()
    if options.revealjs is not None and not all((options.revealjs / f).is_file() for f in _REVEALJS_FILES):
        raise ExportError(f"--revealjs {options.revealjs}: not a reveal.js folder (needs {', '.join(_REVEALJS_FILES)})")

    lecture = manifest["lecture"]
    stage = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        files = stage / "files" / options.name
        files.mkdir(parents=True)
        slides = []
        for scene in manifest["scenes"]:
            fps = Fraction(scene["fps"]).limit_denominator(1001)
            for span in slide_spans(scene):
                name = f"{len(slides) + 1:03d}-{span['id'].replace('/', '-')}.mp4"
                frames = _cut(out / scene["clip"], files / name, span["start"], span["end"], fps)
                if frames != span["end"] - span["start"]:
                    raise ExportError(f"{scene['clip']}: frames {span['start']}-{span['end']} hold {frames} frames "
                                      "(the manifest does not match the clip: render again)")
                rel = f"{dest.name}/files/{options.name}/{name}"
                slides.append({"loop": False, "auto_next": False, "playback_rate": 1.0, "reversed_playback_rate": 1.0,
                               "notes": span["notes"], "dedent_notes": False, "skip_animations": False,
                               "file": rel, "rev_file": rel})
        config = {"slides": slides, "resolution": [lecture["width"], lecture["height"]], "background_color": BACKGROUND}
        (stage / f"{options.name}.json").write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n",
                                                    encoding="utf-8")
        copied = False
        if revealjs is not None:
            for rel in _REVEALJS_FILES + ("dist/theme", "LICENSE"):
                src = revealjs / rel
                if src.is_dir():
                    shutil.copytree(src, stage / "revealjs" / rel)
                elif src.is_file():
                    (stage / "revealjs" / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, stage / "revealjs" / rel)
            copied = True
        written = [f"{options.name}.json", f"files/{options.name}"] + (["revealjs"] if copied else [])
        (stage / MARKER).write_text(json.dumps({"source": str(out), "name": options.name, "written": written})
                                    + "\n", encoding="utf-8")
        os.chmod(stage, 0o777 & ~_umask())
        if dest.exists():  # an empty folder, or an earlier export: replace only what exports write
            _replace_written(stage, dest, written)
            shutil.rmtree(stage, ignore_errors=True)
        else:
            os.rename(stage, dest)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return {"slides": len(slides), "name": options.name, "json": dest / f"{options.name}.json", "revealjs": copied}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def add_export_arguments(parser: Any) -> None:
    """``nll-lecture export slides OUT DIR [--name NAME] [--revealjs DIR]``."""
    sub = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
    slides = sub.add_parser("slides", help="the beats as a manim-slides presentation (present, HTML, PPTX)")
    slides.add_argument("out", metavar="OUT", help="an output folder of nll-lecture render")
    slides.add_argument("dest", metavar="DIR", help="the folder to write (new, empty, or an earlier export)")
    slides.add_argument("--name", default=DEFAULT_NAME, help=f"the presentation's name (default {DEFAULT_NAME})")
    slides.add_argument("--revealjs", metavar="DIR", type=Path,
                        help="a local reveal.js (default: the copy make setup installs) for offline HTML")


def export_main(args: Any) -> int:
    """Run the export; one ``error:`` line and exit status 2 for bad input."""
    try:
        done = export(Path(args.out), Path(args.dest), SlidesOptions(args.name, args.revealjs))
    except ExportError as err:
        print(f"error: {err}", file=sys.stderr, flush=True)
        return EXIT_BAD_INPUT
    dest, name = Path(args.dest), done["name"]
    print(f"export: {done['slides']} slides (one per beat) in {dest}/{name}.json and {dest}/files/{name}/")
    print(f"  manim-slides present --folder {dest} {name}")
    print(f"  manim-slides convert --folder {dest} {name} {dest}/{name}.pptx --to pptx")
    if done["revealjs"]:
        print(f"  manim-slides convert --folder {dest} {name} {dest}/{name}.html --to html -c cdn_url=revealjs")
    else:
        print(f"  manim-slides convert --folder {dest} {name} {dest}/{name}.html --to html"
              "   (no local reveal.js: this HTML loads it from a CDN; see --revealjs)")
    return 0

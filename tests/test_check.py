"""The pre-publish gate (lecture/check): small synthetic output folders that each trigger one
finding (the exact line is checked), a clean one that triggers none, the CLI's exit statuses,
and the real gate on a real small render (title + closing at preview)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from lecture import captions
from lecture.check import CheckError, CheckOptions, check_folder
from lecture.check import thresholds as T
from lecture.cli import main as cli_main

FPS, W, H = 10, 160, 96  # synthetic clips: 10 s, 10 fps (the layout record says 1280x720)


def make_video(path: Path, seconds: float = 10.0, still_after: float | None = None, tags: bool = True,
               gop: int = 50) -> None:
    """A clip whose white square moves (until ``still_after``), tagged BT.709 or untagged,
    with a keyframe every ``gop`` frames."""
    import av

    codec = "libvpx-vp9" if path.suffix == ".webm" else "libx264"
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=FPS)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        if tags:
            cc = stream.codec_context
            cc.color_primaries = cc.color_trc = cc.colorspace = 1  # BT.709
        stream.codec_context.gop_size = gop
        if codec == "libx264":
            stream.codec_context.options = {"sc_threshold": "0", "keyint_min": str(gop)}
        for i in range(int(seconds * FPS)):
            t = i / FPS if still_after is None else min(i / FPS, still_after)
            image = np.zeros((H, W, 3), np.uint8)
            x = 8 + int(t * 40) % (W - 20 - 16)  # inside the 5 % safe margins, above the caption band
            image[30:60, x:x + 20] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


BEAT_KO = "가능도는 데이터가 주어졌을 때 모수가 얼마나 그럴듯한지를 재는 함수입니다."


def _layout(texts=(), objects=()) -> list[dict]:
    return [{"key": "a_say", "time_s": 2.0, "texts": list(texts), "objects": list(objects)}]


def _text(text: str, box, x_height: float = 20.0, kind: str = "text") -> dict:
    return {"text": text, "kind": kind, "box": list(box), "x_height_px": x_height}


def make_out(root: Path, *, layout=None, numbers=None, cues=None, tags=True, still_after=None,
             lecture_gop=50) -> Path:
    """A published folder of two 10 s scenes (title, closing) and their lecture, clean unless
    an argument says otherwise."""
    out = root / "out"
    for sub in ("clips", "captions"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    beat = captions.Cue(0, 10_000, BEAT_KO)
    scene_cues = cues if cues is not None else captions.split_beat(0, 10_000, BEAT_KO, captions.RULES["ko"])
    scenes, records = [], {}
    for index, scene_id in ((1, "title"), (2, "closing")):
        stem = f"{index:02d}-{scene_id}"
        make_video(out / f"clips/{stem}.mp4", tags=tags, still_after=still_after if index == 1 else None)
        make_video(out / f"clips/{stem}.webm", tags=tags)
        (out / f"captions/{stem}.vtt").write_text(captions.to_vtt(scene_cues), encoding="utf-8")
        (out / f"captions/{stem}.srt").write_text(captions.to_srt(scene_cues), encoding="utf-8")
        scenes.append({"index": index, "id": scene_id, "clip": f"clips/{stem}.mp4", "webm": f"clips/{stem}.webm",
                       "captions": f"captions/{stem}.vtt", "captions_srt": f"captions/{stem}.srt",
                       "width": 1280, "height": 720, "lang": "ko", "start_s": 10.0 * (index - 1),
                       "duration_s": 10.0, "has_audio": False})
        records[scene_id] = {"check": {
            "beats": [[beat.start_ms, beat.end_ms, beat.text]],
            "layout": (layout if index == 1 and layout is not None else
                       _layout([_text("제목", (-2, 1, 2, 2))], [{"name": "Text", "text": "제목", "box": [-2, 1, 2, 2]}])),
            "numbers": numbers if index == 1 and numbers is not None else [
                {"name": "p_hat", "shown": 0.7, "expected": 0.7, "tolerance": 0.005}],
        }}
    make_video(out / "lecture.mp4", seconds=20, tags=tags, gop=lecture_gop)
    make_video(out / "lecture.webm", seconds=20, tags=tags, gop=50)
    lecture_cues = [c for s in scenes for c in
                    (cue.shifted(int(s["start_s"] * 1000)) for cue in captions.parse((out / s["captions"]).read_text()))]
    (out / "lecture.vtt").write_text(captions.to_vtt(lecture_cues), encoding="utf-8")
    manifest = {"lecture": {"complete": True, "video": "lecture.mp4", "webm": "lecture.webm", "captions": "lecture.vtt",
                            "lang": "ko"}, "scenes": scenes}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    (out / ".nll-lecture-state.json").write_text(json.dumps({"schema": 1, "scenes": records}, ensure_ascii=False),
                                                 encoding="utf-8")
    return out


def lines(out: Path, **options) -> list[str]:
    return [f.line() for f in check_folder(out, CheckOptions(**options))]


def test_a_clean_folder_has_no_finding(tmp_path) -> None:
    out = make_out(tmp_path)
    assert lines(out) == []
    assert cli_main(["check", str(out)]) == 0


def test_overlapping_texts(tmp_path, capsys) -> None:
    out = make_out(tmp_path, layout=_layout([_text("σ = 2.62 cm", (0, 0, 2, 0.5)),
                                             _text("f(x;θ)", (1.5, 0.2, 3, 0.8), kind="math"),
                                             _text("apart", (1.5, 0.85, 3, 1.2))]))
    assert lines(out) == ['scene 01 title 2.0 s: text "σ = 2.62 cm" overlaps "f(x;θ)"']
    assert cli_main(["check", str(out)]) == 1
    assert capsys.readouterr().out == 'scene 01 title 2.0 s: text "σ = 2.62 cm" overlaps "f(x;θ)"\n'


def test_touching_boxes_within_the_tolerance_do_not_overlap(tmp_path) -> None:
    out = make_out(tmp_path, layout=_layout([_text("a", (0, 0, 1, 1)), _text("b", (1 - T.OVERLAP_TOLERANCE / 2, 0, 2, 1))]))
    assert lines(out) == []


def test_a_margin_breach(tmp_path) -> None:
    half_w = 8 * 1280 / 720 / 2
    limit = half_w - T.SAFE_MARGIN * 2 * half_w
    out = make_out(tmp_path, layout=_layout(objects=[
        {"name": "VGroup", "text": "결론", "box": [0, 0, limit + 0.1, 1]},
        {"name": "Text", "text": "inside", "box": [-limit, -4 + 8 * T.CAPTION_BAND, limit, 4 - 8 * T.SAFE_MARGIN]},
        {"name": "Axes", "text": "0.1", "box": [-1, -4 + 8 * T.CAPTION_BAND - 0.1, 1, 0]}]))
    assert lines(out) == ['scene 01 title 2.0 s: VGroup with "결론" crosses the 5% safe margin (right by 9 px at 720p)',
                          'scene 01 title 2.0 s: Axes with "0.1" enters the caption band (bottom 15%) by 9 px at 720p']


def test_a_tiny_text(tmp_path) -> None:
    out = make_out(tmp_path, layout=_layout([_text("tiny", (0, 0, 1, 0.2), x_height=8.0),
                                             _text("ok", (2, 0, 3, 0.2), x_height=10.0)]))
    assert lines(out) == ['scene 01 title 2.0 s: text "tiny" is too small: x-height 8.0 px at 720p (at least 10)']


def test_a_still_stretch(tmp_path) -> None:
    out = make_out(tmp_path, still_after=2.0)
    assert lines(out) == ["scene 01 title 2.0 s: nothing on screen changes for 8.0 s (2.0-10.0 s; at most 6)"]


def test_a_wrong_number_and_an_unknown_one(tmp_path) -> None:
    out = make_out(tmp_path, numbers=[{"name": "p_hat", "shown": 0.71, "expected": 0.7, "tolerance": 0.005},
                                      {"name": "mystery", "shown": 1.0, "expected": None, "tolerance": None}])
    assert lines(out) == ["scene 01 title: number p_hat: shown 0.71, mathcore says 0.7",
                          "scene 01 title: number mystery = 1.0: no expected value known for this name"]


def test_the_worker_records_numbers_the_gate_compares() -> None:
    """number_records (the worker's side) with mathcore's values for the deck."""
    from lecture.check.numbers import number_problems, number_records
    from mathcore import lecture_results, load_data

    data = load_data(None)
    results = lecture_results(data)
    good = number_records("phone-os", {"p_hat": 0.7, "mle_mu": 168.34}, {}, data, results)
    assert number_problems(json.loads(json.dumps(good))) == []
    bad = number_records("phone-os", {"p_hat": 0.7 + 1e-6}, {}, data, results)
    assert number_problems(bad) == ["p_hat: shown 0.700001, mathcore says 0.7"]


def test_missing_colour_tags(tmp_path) -> None:
    out = make_out(tmp_path, tags=False)
    files = ["clips/01-title.mp4", "clips/01-title.webm", "clips/02-closing.mp4", "clips/02-closing.webm",
             "lecture.mp4", "lecture.webm"]
    assert lines(out) == [f"{rel}: colour tags missing (primaries, transfer, matrix unspecified)" for rel in files]


def test_inconsistent_colour_tags() -> None:
    from lecture.check.video import tag_problems

    assert tag_problems({"a.mp4": (1, 1, 1), "b.webm": (5, 6, 5), "c.mp4": (1, 1, 1)}) == [
        ("b.webm", "colour tags 5/6/5 differ from a.mp4's 1/1/1")]


def test_a_missing_keyframe_at_a_chapter_start(tmp_path) -> None:
    out = make_out(tmp_path, lecture_gop=300)
    assert lines(out) == ["lecture.mp4 10.0 s: no keyframe at the start of chapter 02 closing"]


def test_an_over_long_caption_line(tmp_path) -> None:
    cues = [captions.Cue(0, 5000, "가능도는 데이터가 주어졌을 때 모수가"),
            captions.Cue(5000, 10_000, "얼마나 그럴듯한지를\n재는 함수입니다.")]
    out = make_out(tmp_path, cues=cues)
    found = lines(out, video=False, stillness=False)
    assert found == [
        'scene 01 title 0.0 s: caption "가능도는 데이터가 주어졌을 때 모수가": line "가능도는 데이터가 주어졌을 때 모수가" '
        "has 20 characters (at most 16)",
        'scene 02 closing 0.0 s: caption "가능도는 데이터가 주어졌을 때 모수가": line "가능도는 데이터가 주어졌을 때 모수가" '
        "has 20 characters (at most 16)"]


def test_lecture_vtt_must_carry_the_scenes_cues(tmp_path) -> None:
    out = make_out(tmp_path)
    flat = [captions.Cue(c.start_ms, c.end_ms, c.text.replace("\n", " "))
            for c in captions.parse((out / "lecture.vtt").read_text())]
    (out / "lecture.vtt").write_text(captions.to_vtt(flat), encoding="utf-8")
    assert lines(out, video=False, stillness=False) == [
        'lecture.vtt 0.0 s: cue 1 differs from its scene\'s captions ("가능도는 데이터가 주어졌을 때 모수가")']


def test_a_folder_that_is_not_published(tmp_path, capsys) -> None:
    with pytest.raises(CheckError):
        check_folder(tmp_path)
    assert cli_main(["check", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path}: no manifest.json")


# The real gate on a real render -------------------------------------------------------------
FINDING = re.compile(r"^(scene \d\d [a-z-]+|lecture\.(mp4|webm|vtt)|clips/\S+)( \d+\.\d s)?: .+$")


@pytest.mark.slow
def test_the_gate_on_a_real_render_and_render_strict(tmp_path, capfd) -> None:
    """Title + closing at preview: the render prints the gate's findings as warnings; `check`
    prints the same lines and exits 1 iff there are any; none of them is about captions or
    numbers; `render --strict` with findings exits 1 and leaves OUT as it was."""
    out = tmp_path / "out"
    args = ["render", "--quality", "preview", "--scene", "title", "--scene", "closing", "--jobs", "2", "--out", str(out)]
    assert cli_main(args) == 0
    rendered = [line.removeprefix("warning: ") for line in capfd.readouterr().err.splitlines()
                if line.startswith("warning: ")]
    status = cli_main(["check", str(out)])
    checked = capfd.readouterr().out.splitlines()
    assert checked == rendered
    assert status == (1 if checked else 0)
    assert all(FINDING.match(line) for line in checked), checked
    assert not [line for line in checked if "caption" in line or ": number " in line]
    records = json.loads((out / ".nll-lecture-state.json").read_text())["scenes"]
    assert {"beats", "layout", "numbers"} <= set(records["title"]["check"])
    assert records["title"]["check"]["layout"][0]["texts"]  # the title card's texts at its first beat
    if checked:  # (today: margins, stillness, colour tags) --strict refuses to publish
        before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
        shutil.rmtree(out / "clips")  # something to re-render, so the gate runs again
        before = {p: t for p, t in before.items() if p.exists()}
        assert cli_main([*args, "--strict"]) == 1
        err = capfd.readouterr().err
        assert "error: check: " in err and "the output folder was left as it was" in err
        assert not (out / "clips").exists()
        assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_a_number_next_to_a_rounded_one_is_computed_at_the_rounded_one(tmp_path) -> None:
    """Issue 17: μ shown as 61.3 kg with 𝓛 computed at the unrounded mean is a finding; 𝓛 at
    61.3 is not. The numbers are the worker's records (number_records) with 14 weights."""
    from lecture.check.numbers import number_problems, number_records
    from mathcore import lecture_results, load_data, log_likelihood

    path = tmp_path / "kg.toml"
    path.write_text('[heights]\nunit = "kg"\nsigma = 0.35\nsamples = [61.0, 61.6, 61.2, 61.5, 60.9, 61.4, 61.3, '
                    '61.1, 61.6, 61.2, 61.5, 60.8, 61.4, 61.2]\n', encoding="utf-8")
    data = load_data(path)
    results = lecture_results(data)
    mu = data.heights.mle_mu
    assert round(mu, 1) == 61.3 and mu != 61.3

    def shown(at: float) -> dict[str, float]:
        from lecture.check.numbers import shown_scientific

        log = log_likelihood(data.heights.samples, at, data.heights.sigma)
        mantissa, exponent = shown_scientific(log)
        return {"theta_hat": 61.3, "theta_hat_log_likelihood": log, "theta_hat_mantissa": mantissa,
                "theta_hat_exponent": exponent}

    tolerances = {"theta_hat": 0.05 * (1 + 1e-9)}
    assert number_problems(number_records("maximum-likelihood", shown(61.3), tolerances, data, results)) == []
    wrong = number_problems(number_records("maximum-likelihood", shown(mu), tolerances, data, results))
    assert wrong and all(line.startswith("theta_hat_") for line in wrong), wrong
    assert any(line.startswith("theta_hat_mantissa") for line in wrong)


def test_text_over_a_plotted_curve_or_across_a_box_edge(tmp_path) -> None:
    """Issue 17 §4: a text a curve runs through, or that straddles a box's edge, is a finding;
    a text beside the curve or wholly inside (or outside) a box is not."""
    curve = {"kind": "curve", "points": [[-4.0, -2.0], [-1.0, 0.5], [0.0, 1.0], [1.0, 0.5], [4.0, -2.0]]}
    box = {"kind": "box", "box": [2.0, 1.0, 5.0, 3.0]}
    beat = [{"key": "a_say", "time_s": 3.0, "objects": [], "lines": [curve, box], "texts": [
        _text("p̂ = 0.55", (-0.5, 0.8, 0.5, 1.2)),      # the curve's peak runs through it
        _text("beside", (-0.5, 1.5, 0.5, 1.9)),        # above the peak: clear
        _text("inside", (2.5, 1.5, 4.5, 2.5)),         # in the box: clear
        _text("half in", (4.5, 2.0, 5.5, 2.4)),        # across the box's right edge
    ]}]
    out = make_out(tmp_path, layout=beat)
    assert lines(out) == ['scene 01 title 3.0 s: text "p̂ = 0.55" is drawn over a plotted curve',
                          'scene 01 title 3.0 s: text "half in" is drawn over the edge of a box']


def test_the_snapshot_records_curves_and_boxes() -> None:
    """scenes/layout.py records a plotted curve's points and a box's outline for that rule."""
    from manim import Axes, SurroundingRectangle, Text

    from scenes import layout

    class Stub:
        def __init__(self, *mobjects):
            self.mobjects, self.foreground_mobjects = list(mobjects), []

    axes = Axes(x_range=[0, 1, 0.5], y_range=[0, 1, 0.5])
    graph = axes.plot(lambda x: x * x)
    label = Text("y = x²").move_to(axes.c2p(0.7, 0.49))
    record = layout.snapshot(Stub(axes, graph, label, SurroundingRectangle(label)))
    kinds = sorted(line["kind"] for line in record["lines"])
    assert kinds == ["box", "curve"]
    from lecture.check.layout import layout_problems

    found = [m for _, m in layout_problems([{"time_s": 0.0, **record}], 1280, 720)]
    assert any("drawn over a plotted curve" in m for m in found), found

"""One number style in every scene (issue 10 §3): precision decided once per quantity
(mathcore/precision.py), numbers that stand alone set in the lecture's font at a readable
size, narration that writes numbers and symbols as the screen does, "arg max" one way.

Fast: no scene is rendered (a few mobjects are built and measured; scenes 2, 9 and 10 run
without frames, as in tests/test_scenes.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from mathcore import load_data
from mathcore.precision import heights_resolution, p_hat_decimals, sample_resolution, written_decimals
from scenes import strings_en, strings_ko

pytestmark = pytest.mark.usefixtures("manim_config")  # a media folder per worker
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


# Precision: one rule per quantity --------------------------------------------------------
@pytest.mark.parametrize(("data_file", "mu_hat", "sigma", "sample"), [
    (None, "168.34", "2.62", "164.95"),                    # the deck: samples with 2 decimals
    ("metres_25.toml", "1.7163", "0.0734", "1.728"),       # the review's metres: 3 decimals
    ("metres_1000.toml", "1.7139", "0.0706", None),
])
def test_heights_quantities_get_one_precision_from_the_data(data_file, mu_hat, sigma, sample) -> None:
    """The review saw mu-hat as 1.69676, 1.6968, 1.7620 and 1.20000 in different scenes."""
    from scenes.number_format import number_text

    h = load_data(None if data_file is None else DATA / data_file).heights
    resolution = heights_resolution(h.samples, h.sigma)
    assert number_text(h.mle_mu, resolution) == mu_hat
    assert number_text(h.sigma, resolution) == sigma
    if sample is not None:
        assert number_text(float(sample), sample_resolution(h.samples, h.sigma)) == sample


def test_the_resolution_follows_written_decimals_and_the_spread() -> None:
    assert written_decimals(1.7) == 1 and written_decimals(2.5e12) == 0 and written_decimals(1e-11) == 11
    # coarser than the samples when sigma is wide; at any scale a power of ten
    assert heights_resolution([100.123, 250.456], 40.0) == 0.1
    assert heights_resolution([1.5e12, 2.5e12], 3.4e11) == 1e9
    assert heights_resolution([170.00000000001, 170.00000000003], 1e-11) == 1e-12


def test_p_hat_is_exact_when_short() -> None:
    assert [p_hat_decimals(k, n) for k, n in ((7, 10), (31, 50), (1, 200), (2, 3), (0, 10))] == [1, 2, 3, 4, 1]


def test_the_nll_and_its_gradient_have_one_rule() -> None:
    """LECTURE.md: NLL(p-hat) = -7 log 0.7 - 3 log 0.3 ~ 6.1086 (scene 9 showed 6.109)."""
    from mathcore import lecture_results
    from scenes.number_format import loss_text

    binary = lecture_results(load_data(None))["binary"]
    assert loss_text(binary["nll_at_p_hat"]) == "6.1086"
    assert loss_text(binary["log_likelihood_at_p_hat"]) == "-6.1086"
    assert loss_text(-0.93677) == "-0.9368" and loss_text(0.0) == "0.0000"
    assert loss_text(-1.2468e15, "words") == "-1.247 × 10¹⁵"


def test_probabilities_have_four_decimals_or_three_significant_digits() -> None:
    from scenes.number_format import probability_text

    assert probability_text(0.266827932) == "0.2668"   # scene 3's likelihood of the deck
    assert probability_text(0.0022235661) == "0.0022"  # scene 9's
    assert probability_text(4.5399e-05) == "4.54×10⁻⁵"


# The look: sans numbers, readable ticks -----------------------------------------------------
def test_live_numbers_are_set_in_the_lecture_font_as_tall_as_tex_digits() -> None:
    from manim import MathTex, Text

    from scenes import theme
    from scenes.readouts import SansDecimal, SansInteger

    number = SansDecimal(-168.34, num_decimal_places=2, font_size=40)
    assert number.mob_class is Text and len(number.submobjects) == 7
    minus = Text("−", font=theme.FONT, font_size=number._font_size)[0]  # a real minus sign, not "-"
    assert number.submobjects[0].width == pytest.approx(minus.width, rel=1e-6)
    tex = MathTex("168.34", font_size=40, tex_template=theme.TEX_TEMPLATE)  # the scenes' maths font
    assert number.submobjects[1].height == pytest.approx(tex[0][0].height, rel=0.05)
    left = number.get_left()[0]
    number.set_value(3.5)
    assert len(number.submobjects) == 4 and number.get_left()[0] == pytest.approx(left, abs=1e-6)
    assert SansInteger(259).get_value() == 259


def test_tick_labels_and_readouts_pass_the_gates_x_height() -> None:
    """Scenes 9 and 10 set their ticks in TeX at SMALL_SIZE: 9.3 px at 720p, under the gate's 10."""
    from manim import VGroup

    from lecture.check.thresholds import MIN_X_HEIGHT_PX
    from scenes import layout, theme
    from scenes.axes import tick_note, tick_text
    from scenes.readouts import SansDecimal, ScaledDecimal
    from mathcore.axis import axis_ticks

    parts = VGroup(tick_text("-7", size=theme.SMALL_SIZE - 6, tex=True), tick_note(axis_ticks(1.1e12, 3.4e12), tex=True),
                   SansDecimal(0.25, font_size=32), ScaledDecimal(2.5e-11, -11, font_size=theme.MATH_SIZE))
    texts = layout.snapshot(SimpleNamespace(mobjects=[parts], foreground_mobjects=[]))["texts"]
    assert len(texts) == 5 and {t["kind"] for t in texts} == {"text", "number"}
    assert min(t["x_height_px"] for t in texts) >= MIN_X_HEIGHT_PX


# Words: numbers and symbols written as on screen ----------------------------------------------
def _lines(table: dict) -> list[str]:
    return [text for section in table.values() for text in section.values()]


def test_english_narration_writes_symbols_and_powers() -> None:
    """Narration is also the caption: μ̂, θ̂, p̂ and 10⁻³, never "mu hat" or "ten to the -3"."""
    from scenes.number_format import number_text, sci_words

    text = " ".join(_lines(strings_en.STRINGS))
    assert not re.search(r"\b(mu|theta|p) hat\b|ten to the|10\^", text)
    assert "μ̂" in text and "θ̂" in text and "p̂" in text
    assert number_text(1.4e-11, style="words") == "1.400 × 10⁻¹¹" and sci_words(2.05e12) == "2.05 × 10¹²"


def test_arg_max_is_written_one_way() -> None:
    words = " ".join(_lines(strings_en.STRINGS) + _lines(strings_ko.STRINGS))
    assert "argmax" not in words and "argmin" not in words and "arg max" in words
    for path in sorted((ROOT / "scenes").glob("s*.py")):
        source = path.read_text(encoding="utf-8")
        assert "{argmax}" not in source and "{argmin}" not in source, path.name


# Narration equals screen, in the scenes -------------------------------------------------------
def test_a_number_read_otherwise_than_shown_is_caught() -> None:
    """The rule tests/test_scenes.py runs on every scene (scene_checks.narrated_number_problems)."""
    from scene_checks import narrated_number_problems

    def scene(caption: str, *shown: str) -> SimpleNamespace:
        beat = {"key": "k_say", "texts": [{"text": text} for text in shown]}
        subtitles = [SimpleNamespace(content=caption)]
        return SimpleNamespace(layout_beats=[beat], renderer=SimpleNamespace(file_writer=SimpleNamespace(subcaptions=subtitles)))

    assert narrated_number_problems(scene("The gradient went to -0.9368.", "−0.937"))
    assert narrated_number_problems(scene("NLL 6.1086", r"\mathrm{NLL} = 6.109"))
    assert narrated_number_problems(scene("about 1.25 × 10¹⁵", r"1.247 \times 10^{15}"))
    assert not narrated_number_problems(scene("The gradient went to -0.9368.", "−0.9368"))
    assert not narrated_number_problems(scene("about 1.25 × 10¹⁵", "1.25×10¹⁵"))
    assert not narrated_number_problems(scene("p-hat = 0.7", "0.6960"))  # another quantity


def _run(scene_id: str, lang: str, data_file: str | None, monkeypatch):
    from scene_checks import run_scene, use_lecture
    from scenes import SCENES_BY_ID

    use_lecture(monkeypatch, lang, data_file)
    return run_scene(SCENES_BY_ID[scene_id])


def _texts(scene, key: str) -> list[str]:
    return [text["text"] for beat in scene.layout_beats if beat["key"] == key for text in beat["texts"]]


def test_scene_9_shows_and_reads_the_nll_as_the_deck_writes_it(monkeypatch, manim_config) -> None:
    scene = _run("phone-os", "en", None, monkeypatch)
    nll_caption = [sub.content for sub in scene.renderer.file_writer.subcaptions if "valley" in sub.content]
    assert len(nll_caption) == 1 and "6.1086" in nll_caption[0]
    assert "6.1086" in _texts(scene, "nll_say") and "6.109" not in _texts(scene, "nll_say")


@pytest.mark.parametrize("data_file", [None, "metres_25.toml"])
def test_scene_10_reads_the_gradient_as_its_readout_shows_it(data_file, monkeypatch, manim_config) -> None:
    """It read -0.9368 while the readout showed -0.937."""
    from scene_checks import narrated_number_problems
    from scenes.number_format import minus_signs
    from scenes.s10_descent import live_words

    scene = _run("gradient-descent", "en", data_file, monkeypatch)
    final = live_words(scene.gradients, scene.gradients[-1])
    assert len(final.split(".")[1]) == 4  # LOSS_DECIMALS
    key = scene.outcome_key()
    captions = [sub.content for sub in scene.renderer.file_writer.subcaptions]
    if "{final_gradient}" in scene.words[f"{key}_next_say"]:
        assert any(minus_signs(final) in caption for caption in captions)
        assert final in [text.replace("−", "-") for text in _texts(scene, f"{key}_next_say")]
    assert not narrated_number_problems(scene)


@pytest.mark.parametrize(("lang", "sign_words"), [("en", ["smallest: −1232.40."]), ("ko", ["−1을 곱해", "−1232.40"])])
def test_narration_writes_a_numbers_sign_as_the_screen_does(lang, sign_words, monkeypatch, manim_config) -> None:
    """metres_1000's NLL at the bottom is negative: the caption read "-1232.40" (a hyphen)
    where the screen writes the minus sign "−"; the Korean "-1을 곱해" too."""
    scene = _run("negative-log-likelihood", lang, "metres_1000.toml", monkeypatch)
    captions = " | ".join(sub.content for sub in scene.renderer.file_writer.subcaptions)
    for words in sign_words:
        assert words in captions
    assert not re.search(r"(?<![\w.])-\d", captions), captions


def test_scene_2_writes_the_observation_as_the_data_do(monkeypatch, manim_config) -> None:
    """The review's metres (3 decimals) showed x = 1.7950 m."""
    scene = _run("likelihood-continuous", "en", "metres_25.toml", monkeypatch)
    shown = _texts(scene, "observe_say")
    assert "1.795" in shown and "1.7950" not in shown


@pytest.mark.parametrize("scene_id", ["likelihood-continuous", "comparing-likelihoods"])
@pytest.mark.parametrize("data_file", [None, "metres_25.toml"])
def test_the_theta_label_writes_its_numbers_in_the_number_style(scene_id, data_file, monkeypatch, manim_config) -> None:
    """theta = (mu, sigma) = (168.34, 2.62) had its numbers in TeX beside sans readouts."""
    from scene_checks import tex_number_problems

    scene = _run(scene_id, "en", data_file, monkeypatch)
    assert tex_number_problems(scene) == []


def test_a_zero_is_never_written_with_a_minus_sign():
    # issue 21: -0.0 (a loss of zero, a gradient at the estimate) showed as "-0.000"
    from scenes.number_format import format_number, loss_text, number_text, scaled_words, sci_tex_number, sci_words

    assert number_text(-0.0) == "0.000" and number_text(-0.0, style="tex") == "0.000"
    assert number_text(-2.5, 0.1) == "-2.5"  # a negative number keeps its sign
    assert loss_text(-0.0) == "0.0000" and scaled_words(-0.001, 0, 2) == "0.00"
    assert sci_words(-0.0) == "0" and sci_tex_number(-0.0) == "0" and format_number(-0.0) == "0.0000"

"""explore.html in headless Debian Chromium: its numbers equal mathcore's (1e-9 relative) for the
deck's data, the test data files, 100 000 samples and random inputs at huge and tiny scales; it
writes them as the scenes do; the keyboard moves every slider; no request leaves the folder
(from disk and from a local server); axe-core finds no violation at 1280 and 390 px wide."""

from __future__ import annotations

import functools
import http.server
import json
import math
import random
import re
import threading
from pathlib import Path

import numpy as np
import pytest

from browser_support import chromium

from lecture import explore
from mathcore import (Scientific, binary_likelihood, binary_log_likelihood, binary_nll, binary_nll_gradient, cross_entropy,
                      cross_entropy_gradient, descent_path, load_data, log_likelihood, log_likelihood_grid, logit_descent,
                      mle_mu, mle_sigma, normal_logpdf, softmax)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
AXE = REPO / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
REL = 1e-9


def close(js: float, py: float, scale: float = 0.0) -> bool:
    """Equal to 1e-9 relative (of the larger of |py| and ``scale``: a sum of terms of both signs
    is compared at the size of its terms)."""
    return abs(js - py) <= REL * max(abs(py), scale) or js == py


def big_data_file(folder: Path, count: int = 100_000) -> Path:
    rng = np.random.default_rng(20)
    samples = np.round(rng.normal(170.0, 8.0, count), 1)
    path = folder / "heights_100000.toml"
    path.write_text("[heights]\nunit = \"cm\"\nsamples = [" + ", ".join(repr(float(x)) for x in samples) + "]\n",
                    encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """name -> (folder holding explore.html, the LectureData it was built from)."""
    root = tmp_path_factory.mktemp("explore")
    cases = {"deck-ko": (None, "ko"), "deck-en": (None, "en"), "metres_1000": (DATA / "metres_1000.toml", "en"),
             "metres_25": (DATA / "metres_25.toml", "ko"), "tiny_lopsided": (DATA / "tiny_lopsided.toml", "en"),
             "csv_inches": (DATA / "csv_inches.toml", "en"), "big": (big_data_file(root), "ko")}
    out = {}
    for name, (path, lang) in cases.items():
        data = load_data(path)
        folder = root / name
        folder.mkdir()
        explore.publish(folder, data, lang)
        out[name] = (folder, data)
    return out


def open_page(browser, folder: Path, width: int = 1280, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto((folder / explore.EXPLORE_PAGE).as_uri())
    page.wait_for_function("window.explore !== undefined")
    page.errors = errors
    return page


def settings_for(data, rng: random.Random) -> list[dict]:
    """The data's own settings, the MLE, random ones and extremes."""
    h, b = data.heights, data.binary
    mu, sigma = h.mle_mu, h.mle_sigma
    k, n = b.k, b.n
    target = k / n
    tokens = len(data.nlp.example("en").tokens)
    out = [
        {},
        {"mu": mu, "sigma": sigma, "p": min(max(target, 1e-6), 1 - 1e-6)},
        {"mu": mu + 50 * sigma, "sigma": sigma / 1000, "p": 0.001, "eta": 1e3, "steps": 30,
         "logits": [30.0] + [-30.0] * (tokens - 1)},
        {"mu": mu - 3 * sigma, "sigma": sigma * 40, "p": 0.999, "start": 0.999, "eta": data.descent.learning_rate / 100,
         "steps": 5, "logits": [-30.0] + [30.0] * (tokens - 1)},
    ]
    for _ in range(4):
        out.append({"mu": mu + rng.uniform(-4, 4) * sigma, "sigma": sigma * math.exp(rng.uniform(-2, 2)),
                    "p": rng.uniform(0.001, 0.999), "start": rng.uniform(0.01, 0.99),
                    "eta": data.descent.learning_rate * math.exp(rng.uniform(-3, 3)), "steps": rng.randint(1, 200),
                    "logits": [rng.uniform(-10, 10) for _ in range(tokens)]})
    return out


def check_values(v: dict, data, lang: str) -> None:
    h, b = data.heights, data.binary
    x = np.asarray(h.samples)
    hv = v["heights"]
    mu, sigma = hv["mu"], hv["sigma"]
    terms = normal_logpdf(x, mu, sigma)
    scale = float(np.sum(np.abs(terms)))
    assert close(hv["log_likelihood"], log_likelihood(x, mu, sigma), scale)
    assert close(hv["nll"], -log_likelihood(x, mu, sigma), scale)
    sci = Scientific.from_log(log_likelihood(x, mu, sigma))
    assert hv["likelihood"]["exponent"] == sci.exponent
    # the mantissa comes from the log's fraction: it moves by the log's own error (relative)
    assert abs(hv["likelihood"]["mantissa"] - sci.mantissa) <= sci.mantissa * (REL + REL * scale)
    assert close(hv["mle_mu"], mle_mu(x)) and close(hv["mle_sigma"], mle_sigma(x))
    assert close(hv["nll_curve_at_mu"], -float(log_likelihood_grid(x, [mu], sigma)[0]), scale)
    for term in hv["terms"]:
        assert close(term["log_density"], float(normal_logpdf(x[term["index"]], mu, sigma)))
    bv = v["binary"]
    p, k, n = bv["p"], b.k, b.n
    assert (bv["k"], bv["n"]) == (k, n)
    assert close(bv["log_likelihood"], binary_log_likelihood(p, k, n))
    assert close(bv["nll"], binary_nll(p, k, n))
    assert close(bv["likelihood"], binary_likelihood(p, k, n)) or binary_likelihood(p, k, n) < 1e-300
    assert close(bv["gradient"], binary_nll_gradient(p, k, n))
    dv = v["descent"]
    path = descent_path(k, n, dv["start"], dv["eta"], dv["steps"])
    assert [s["p"] for s in dv["path"]] == pytest.approx(list(path.ps), rel=REL, abs=0)
    assert all(close(s["nll"], want) for s, want in zip(dv["path"], path.nlls))
    assert all(close(s["gradient"], want) for s, want in zip(dv["path"], path.gradients))
    assert (dv["converged"], dv["diverged"], dv["converged_at"]) == (path.converged, path.diverged, path.converged_at)
    assert close(dv["tolerance"], path.tolerance) and dv["gradient_vanished"] == path.gradient_vanished
    assert dv["verdict"] == ("diverged" if path.diverged else "converged" if path.converged else "not_yet")
    shown = descent_path(k, n, dv["start"], dv["eta"], dv["shown"])
    assert dv["shown_verdict"] == ("diverged" if shown.diverged else "converged" if shown.converged else "not_yet")
    tv = v["token"]
    z, target = tv["logits"], tv["target"]
    assert target == data.nlp.example(lang).target
    assert tv["probabilities"] == pytest.approx(list(softmax(z)), rel=REL, abs=1e-300)
    assert close(tv["loss"], cross_entropy(z, target))
    assert tv["gradient"] == pytest.approx(list(cross_entropy_gradient(z, target)), rel=REL, abs=1e-15)
    run = logit_descent(z, target, tv["rate"], 1)
    assert tv["stepped_logits"] == pytest.approx(list(run.logits[1]), rel=REL, abs=1e-12)
    assert tv["stepped_probabilities"] == pytest.approx(list(run.probabilities[1]), rel=REL, abs=1e-300)
    assert close(tv["stepped_loss"], run.losses[1])


@pytest.mark.parametrize("name", ["deck-ko", "deck-en", "metres_1000", "metres_25", "tiny_lopsided", "csv_inches", "big"])
def test_the_pages_numbers_equal_mathcores(browser, sites, name):
    folder, data = sites[name]
    lang = "ko" if name.endswith("ko") or name in ("metres_25", "big") else "en"
    page = open_page(browser, folder)
    try:
        first = page.evaluate("explore.values()")
        # the page starts at the data's own settings: the video's descent, the MLE mu, the data's sigma
        assert first["descent"]["start"] == data.descent.start and first["descent"]["eta"] == data.descent.learning_rate
        assert first["descent"]["steps"] == data.descent.steps
        assert first["heights"]["sigma"] == data.heights.sigma
        assert first["token"]["logits"] == list(data.nlp.example(lang).logits)
        for settings in settings_for(data, random.Random(name)):
            values = page.evaluate("s => explore.set(s)", settings)
            for key, value in settings.items():
                got = values["token"]["logits"] if key == "logits" else values["descent"][key] if key in ("start", "eta", "steps") \
                    else values["binary"]["p"] if key == "p" else values["heights"][key]
                assert got == value, key
            check_values(values, data, lang)
            shown = values["shown"]
            assert not any(re.search(r"NaN|Infinity|∞|undefined", text) for text in shown.values()), shown
        assert page.errors == []
    finally:
        page.close()


def _python_texts(cases: dict) -> dict:
    """The scenes' own number writing for ``cases`` (imports manim: scenes/s10_descent.py)."""
    from scenes.number_format import loss_text, number_text, probability_text
    from scenes.s10_descent import live_words, plain_number
    from mathcore.axis import superscript

    def scientific(log_value: float) -> str:
        sci = Scientific.from_log(log_value)
        mantissa, exponent = round(sci.mantissa, 2), sci.exponent
        if mantissa >= 10.0:
            mantissa, exponent = round(mantissa / 10.0, 2), exponent + 1
        return f"{mantissa:.2f}×10{superscript(exponent)}"

    return {
        "number": [number_text(v, r) for v, r in cases["number"]],
        "probability": [probability_text(v) for v in cases["probability"]],
        "loss": [loss_text(v) for v in cases["loss"]],
        "scientific": [scientific(v) for v in cases["scientific"]],
        "plain": [plain_number(v) for v in cases["plain"]],
        "live": [live_words(values, v).replace(" × 10", "×10") for values in cases["live"] for v in values],
    }


def test_numbers_are_written_as_the_video_writes_them(browser, sites):
    rng = random.Random(7)
    magnitudes = [10.0 ** e for e in range(-14, 16)]
    values = [s * m * rng.uniform(1, 9.99) for m in magnitudes for s in (1, -1)] + [168.344, 0.7, -31.25, 6.108643, 0.0]
    cases = {
        "number": [(v, 10.0 ** rng.randint(-15, 12)) for v in values] + [(v, None) for v in values]
        + [(168.344, 0.01), (2.05e12, 1e9), (9.9998e-13, 1e-14), (1.6968, 0.0001)],
        "probability": [abs(v) for v in values if abs(v) <= 1] + [0.26682793, 0.00222357, 4.5399e-05],
        "loss": values,
        "scientific": [rng.uniform(-1e6, 1e3) for _ in range(200)] + [math.log(0.00025), -23.8239 * 1.0],
        "plain": values + [0.005, 0.005000000001, 1e300, 1e-12],
        "live": [[-31.25, -14.9889, -0.93677], [-1.2e15, -3.0, 0.0], [5e-6, 0.3, 2.0], [6.1086, 6.2718]],
    }
    want = _python_texts(cases)
    page = open_page(browser, sites["deck-en"][0])
    try:
        got = page.evaluate("""c => { const M = explore.maths; return {
            number: c.number.map(([v, r]) => M.numberText(v, r)),
            probability: c.probability.map(v => M.probabilityText(v)),
            loss: c.loss.map(v => M.lossText(v)),
            scientific: c.scientific.map(v => M.scientificText(v, 2)),
            plain: c.plain.map(v => M.plainNumber(v)),
            live: c.live.flatMap(values => values.map(v => M.liveText(values, v))) }; }""", cases)
        for kind in want:
            assert len(got[kind]) == len(want[kind])
            mismatches = [(case, g, w) for case, g, w in zip(cases[kind], got[kind], want[kind]) if g != w]
            assert not mismatches, (kind, mismatches[:5])
        # the page shows them so: the deck's NLL at the MLE as scene 8 writes it, with a real minus
        page.evaluate("explore.set({mu: explore.values().heights.mle_mu, sigma: explore.values().heights.mle_sigma})")
        shown = page.evaluate("explore.values().shown")
        assert shown["mu-out"] == "168.34 cm"
        assert page.inner_text("#heights-log").startswith("−")
        # scene 8 writes the NLL at the MLE with two decimals; every one of the ten terms is written out
        data = sites["deck-en"][1]
        nll_hat = -log_likelihood(data.heights.samples, data.heights.mle_mu, data.heights.mle_sigma)
        assert page.inner_text("#heights-nll-value") == f"{nll_hat:.2f}" == "23.82"
        assert page.inner_text("#heights-terms").count(" − ") + page.inner_text("#heights-terms").count(" + ") == 9
    finally:
        page.close()


@pytest.mark.parametrize("scale", [1e12, 1e-11, 1.0])
def test_the_maths_agrees_on_random_inputs_at_huge_and_tiny_scales(browser, sites, scale):
    rng = np.random.default_rng(int(abs(math.log10(scale))) + 3)
    samples = (170.0 + 8.0 * rng.standard_normal(2000)) * scale
    mus = list(170.0 * scale + 8.0 * scale * rng.uniform(-5, 5, 6))
    sigmas = list(8.0 * scale * np.exp(rng.uniform(-3, 3, 6)))
    counts = [(7, 10), (1, 200), (10**15 - 3, 10**15), (0, 5), (5, 5), (123456789, 987654321)]
    ps = list(rng.uniform(1e-9, 1 - 1e-9, 6)) + [1e-12, 0.5, 1 - 1e-12]
    page = open_page(browser, sites["deck-en"][0])
    try:
        got = page.evaluate("""([x, mus, sigmas, counts, ps]) => { const M = explore.maths; const stats = M.gridStats(x);
            return {
              ll: mus.map((mu, i) => M.logLikelihood(x, mu, sigmas[i])),
              grid: mus.map((mu, i) => M.gridLogLikelihood(stats, mu, sigmas[i])),
              mle: [M.mleMu(x), M.mleSigma(x)],
              binary: counts.map(([k, n]) => ps.map(p => [M.binaryLogLikelihood(p, k, n), M.binaryNll(p, k, n),
                                                             M.binaryNllGradient(p, k, n)])),
            }; }""", [list(samples), mus, sigmas, counts, ps])
        for i, (mu, sigma) in enumerate(zip(mus, sigmas)):
            scale_of_terms = float(np.sum(np.abs(normal_logpdf(samples, mu, sigma))))
            assert close(got["ll"][i], log_likelihood(samples, mu, sigma), scale_of_terms), (mu, sigma)
            assert close(got["grid"][i], float(log_likelihood_grid(samples, [mu], sigma)[0]), scale_of_terms), (mu, sigma)
        assert close(got["mle"][0], mle_mu(samples)) and close(got["mle"][1], mle_sigma(samples))
        for (k, n), rows in zip(counts, got["binary"]):
            for p, (ll, nll_value, gradient) in zip(ps, rows):
                assert close(ll, binary_log_likelihood(p, k, n)) and close(nll_value, binary_nll(p, k, n)), (k, n, p)
                assert close(gradient, binary_nll_gradient(p, k, n)), (k, n, p)
        assert page.errors == []
    finally:
        page.close()


def test_the_keyboard_moves_every_slider_and_presses_every_button(browser, sites):
    page = open_page(browser, sites["deck-en"][0])
    try:
        ids = page.evaluate("Array.from(document.querySelectorAll('input')).map(i => [i.id, i.type])")
        assert len(ids) == 6 + 4 and all(kind == "range" for _, kind in ids)
        for input_id, _ in ids:
            slider = page.locator(f"#{input_id}")
            label = page.locator(f'label[for="{input_id}"]')
            assert label.is_visible() and label.inner_text().strip(), input_id
            for key in ("End", "Home", "PageUp", "ArrowRight", "ArrowLeft", "PageDown"):
                before = (slider.input_value(), slider.get_attribute("aria-valuetext"), json.dumps(page.evaluate("explore.values()")))
                slider.focus()
                page.keyboard.press(key)
                after = (slider.input_value(), slider.get_attribute("aria-valuetext"), json.dumps(page.evaluate("explore.values()")))
                if key in ("End", "PageUp", "ArrowRight") and before[0] == slider.get_attribute("max"):
                    continue  # already at the end
                if key in ("Home", "PageDown", "ArrowLeft") and before[0] == slider.get_attribute("min"):
                    continue
                assert after[0] != before[0] and after[1] != before[1] and after[2] != before[2], (input_id, key)
        units = {i: page.locator(f"#{i}").get_attribute("aria-valuetext") for i in ("mu", "sigma", "p", "eta")}
        assert units["mu"].startswith("μ = ") and units["mu"].endswith(" cm") and units["sigma"].endswith(" cm")
        assert units["p"].startswith("p = ") and units["eta"].startswith("η = ")
        # buttons from the keyboard
        page.evaluate("explore.set({start: 0.2, eta: 0.005, steps: 19, shown: 0})")
        page.locator("#descent-step").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("explore.values().descent.shown") == 1
        page.keyboard.press("Space")
        assert page.evaluate("explore.values().descent.shown") == 2
        page.locator("#go-mle").focus()
        page.keyboard.press("Enter")
        v = page.evaluate("explore.values().heights")
        assert (v["mu"], v["sigma"]) == (v["mle_mu"], v["mle_sigma"])
        page.locator("#go-p-hat").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("explore.values().binary.p") == 0.7
        page.locator("#token-step").focus()
        page.keyboard.press("Enter")
        token = page.evaluate("explore.values().token")
        page.locator("#token-reset").focus()
        page.keyboard.press("Enter")
        assert token["logits"] != page.evaluate("explore.values().token.logits") == [1.2, 2.0, 0.4, -0.6]
        page.locator("#descent-reset").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("explore.values().descent.shown") == 0
        page.locator("#descent-run").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("explore.values().descent.shown === explore.values().descent.steps", timeout=20_000)
        assert page.inner_text("#descent-verdict").startswith("Converged")
        assert page.errors == []
    finally:
        page.close()


def test_no_number_shown_is_nan_or_infinite_at_the_sliders_ends(browser, sites):
    for name in ("deck-ko", "tiny_lopsided", "big"):
        page = open_page(browser, sites[name][0])
        try:
            for input_id in page.evaluate("Array.from(document.querySelectorAll('input')).map(i => i.id)"):
                for key in ("End", "Home"):
                    page.locator(f"#{input_id}").focus()
                    page.keyboard.press(key)
                    page.evaluate("explore.values()")
                    text = page.inner_text("main")
                    assert not re.search(r"NaN|Infinity|∞|undefined", text), (name, input_id, key)
            assert page.errors == []
        finally:
            page.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_no_request_leaves_the_folder_from_disk_or_a_server(browser, sites):
    folder = sites["deck-ko"][0]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for url in ((folder / explore.EXPLORE_PAGE).as_uri(), f"http://127.0.0.1:{server.server_port}/{explore.EXPLORE_PAGE}"):
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
            try:
                page.goto(url)
                page.wait_for_function("window.explore !== undefined")
                for input_id in ("mu", "sigma", "p", "start", "eta", "steps", "logit-0"):
                    page.locator(f"#{input_id}").focus()
                    page.keyboard.press("PageUp")
                for button in ("go-mle", "go-p-hat", "descent-reset", "descent-run", "token-step"):
                    page.click(f"#{button}")
                page.wait_for_timeout(1000)
                assert requests == [url], requests
            finally:
                page.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("name", ["deck-ko", "deck-en", "big"])
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_core_finds_no_violation_and_nothing_overflows(browser, sites, name, width):
    assert AXE.is_file(), f"{AXE} is missing: run `make setup` (npm ci in tests/axe)"
    page = open_page(browser, sites[name][0], width=width, height=800)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow} px wider than a {width} px window"
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return {version: axe.version, violations: r.violations.map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))};
        }""")
        assert result["version"].startswith("4.")
        assert result["violations"] == [], json.dumps(result["violations"], ensure_ascii=False, indent=1)
        assert page.errors == []
    finally:
        page.close()

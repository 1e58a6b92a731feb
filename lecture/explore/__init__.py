"""explore.html: the lecture's data under the learner's own hands.

One self-contained page (no network, no external file: its script, style and data are inside),
published beside index.html by every render. Four parts: the heights (μ and σ sliders, the
likelihood, log likelihood and NLL, the NLL over μ), the two labels (a p slider, 𝓛, log 𝓛 and
NLL over p), gradient descent (start, learning rate, steps; step / run / reset) and the next
token (logit sliders, softmax, the loss and a gradient step).

The page's maths is ``assets/maths.js``: mathcore's functions, ported (the tests compare the two
in Chromium to 1e-9). The data go in as JSON: the samples, counts, descent settings and NLP
example of the render's data, and the resolutions mathcore/precision.py gives them.

For embedding and tests the page exposes::

    window.explore.set({mu, sigma, p, start, eta, steps, shown, logits})  // any subset
    window.explore.values()  // {heights: {mu, sigma, log_likelihood, nll, ...},
                             //  binary: {p, nll, ...}, descent: {path, ...}, token: {...}}

Entry points: :func:`build` (the page's text) and :func:`publish` (write it into a tree).
"""

from __future__ import annotations

import json
import re
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from mathcore import LectureData, story_words
from mathcore.crossentropy import DESCENT_RATE
from mathcore.precision import heights_resolution, p_hat_decimals, sample_resolution

from .words import WORDS

__all__ = ["EXPLORE_PAGE", "build", "page_data", "publish"]

EXPLORE_PAGE = "explore.html"
_ASSETS = ("explore.html", "explore.css", "maths.js", "page.js")


def asset(name: str) -> str:
    """One of the page's asset files (lecture/explore/assets/), as text."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _scene_titles(data: LectureData, lang: str) -> dict[str, str]:
    from scenes import scene_title

    return {part: scene_title(scene_id, lang, data) for part, scene_id in (
        ("heights", "maximum-likelihood"), ("binary", "phone-os"), ("descent", "gradient-descent"),
        ("token", "nll-in-nlp"))}


def _fill(template: str, **fields: Any) -> str:
    """``template`` with the ``{name}`` fields given filled in; the others stay for the page."""
    return re.sub(r"\{(\w+)\}", lambda m: str(fields[m.group(1)]) if m.group(1) in fields else m.group(0), template)


def page_data(data: LectureData, lang: str) -> dict[str, Any]:
    """Everything the page needs, JSON-ready: the data, the words, and how numbers are written.

    >>> from mathcore import load_data
    >>> d = page_data(load_data(None), "en")
    >>> d["heights"]["n"], d["heights"]["resolution"], d["binary"]["p_hat_decimals"], d["descent"]["steps"]
    (10, 0.01, 1, 19)
    """
    heights, binary, settings = data.heights, data.binary, data.descent
    example = data.nlp.example(lang)
    k, n = binary.k, binary.n
    fields = {"unit": heights.unit, "samples": len(heights.samples), "n": n, "first": binary.labels[0],
              "second": binary.labels[1], "k": k, "m": n - k, "context": example.context,
              "correct": example.correct, "title": data.lecture.title}
    story = story_words(data, lang)  # the data's own words for who was observed, and their counter
    fields.update(n_count=story.count(n), k_count=story.count(k), m_count=story.count(n - k))
    words = {key: _fill(text, **fields) for key, text in WORDS[lang].items()}
    words.update({f"title_{part}": title for part, title in _scene_titles(data, lang).items()})
    return {
        "lang": lang,
        "words": words,
        "heights": {
            "unit": heights.unit,
            "n": len(heights.samples),
            "samples": list(heights.samples),
            "sigma": heights.sigma,  # the sigma scene 5 and 6 hold while mu sweeps
            "mle_mu": heights.mle_mu,
            "mle_sigma": heights.mle_sigma,
            "resolution": heights_resolution(heights.samples, heights.sigma),
            "sample_resolution": sample_resolution(heights.samples, heights.sigma),
        },
        "binary": {"labels": list(binary.labels), "counts": list(binary.counts), "k": k, "n": n,
                   "p_hat_decimals": p_hat_decimals(k, n)},
        "descent": {"start": settings.start, "learning_rate": settings.learning_rate, "steps": settings.steps},
        "token": {"context": example.context, "tokens": list(example.tokens), "logits": list(example.logits),
                  "target": example.target, "rate": DESCENT_RATE},
    }


def _json_in_script(value: Any) -> str:
    """JSON safe inside <script>: no "</script>", no "<!--"."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def build(data: LectureData, lang: str) -> str:
    """explore.html for ``data`` in ``lang`` ("ko" or "en")."""
    content = page_data(data, lang)
    words = content["words"]
    parts = {"lang": lang, "css": asset("explore.css"), "data": _json_in_script(content),
             "maths": asset("maths.js"), "page": asset("page.js")}
    # one pass over the template: nothing inserted (the data's words) is read again
    page = re.sub(r"\{\{(w:)?(\w+)\}\}",
                  lambda m: escape(words[m.group(2)]) if m.group(1) else parts[m.group(2)], asset("explore.html"))
    return page


def publish(tree: Path, data: LectureData, lang: str) -> list[str]:
    """Write explore.html into ``tree`` (a new file, never through a link); the names written."""
    from ..publish.files import write_text

    write_text(tree / EXPLORE_PAGE, build(data, lang))
    return [EXPLORE_PAGE]

"""The page of ``nll-lecture record``: one self-contained HTML file (inline CSS and JS, no
network), served by ``record.py``. Keys: Space record / stop, P play back, arrows move.

Its code lives in ``assets/record.html``, ``record.css`` and ``record.js`` (linted as the
files they are); the page inlines the two into the markup where it names them.
"""

from __future__ import annotations

from importlib import resources


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def build_page() -> str:
    """The page: record.html with record.css and record.js inlined."""
    return (_asset("record.html")
            .replace("/* record.css */\n", _asset("record.css"), 1)
            .replace("/* record.js */\n", _asset("record.js"), 1))


PAGE = build_page()

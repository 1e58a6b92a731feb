"""Does explore.html keep 60 fps while a slider is dragged with 100 000 samples?

    .venv/bin/python bench/explore_fps.py                 # 100 000 heights, 300 frames a slider
    .venv/bin/python bench/explore_fps.py --samples 1000 --frames 120

1. Writes a data file with ``--samples`` heights (normal, 170 ± 8 cm, to 0.1 cm) into a temporary
   folder and builds explore.html from it (lecture/explore), as a render would publish it.
2. Opens it in headless Debian Chromium (/usr/bin/chromium, 1280 x 900) and, for each slider
   (mu, sigma, p, start, eta, logit 0), drives it like a drag: inside one requestAnimationFrame
   callback per frame, sets the slider's next value and dispatches the ``input`` event the
   browser sends while dragging, then waits for the next frame. It records
     - the time the page's input handler took (recompute every number and redraw every canvas:
       performance.now() around dispatchEvent), and
     - the time from one animation frame to the next (requestAnimationFrame timestamps).
3. Also drags the mu slider with real mouse events (Playwright mouse.move in small steps) and
   reports the frame intervals and handler times seen meanwhile.

A frame at 60 fps is 16.7 ms; the handler's time is what the page adds to each frame. Headless
Chromium paints in software (--disable-gpu): a real browser with a GPU draws the canvases
faster. Prints a table; nothing is asserted (a timing is a measurement, not a unit test).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

DRIVE = """async ([id, frames]) => {
  const el = document.getElementById(id);
  const lo = Number(el.min), hi = Number(el.max), step = Number(el.step);
  const handler = [], stamps = [];
  await new Promise(resolve => {
    let i = 0;
    function frame(t) {
      stamps.push(t);
      if (i >= frames) { resolve(); return; }
      // sweep there and back across the middle half of the slider, one slider step or more a frame
      const phase = (i % 100) / 100, x = phase < 0.5 ? phase * 2 : 2 - phase * 2;
      el.value = String(lo + (hi - lo) * (0.25 + 0.5 * x));
      const t0 = performance.now();
      el.dispatchEvent(new Event('input', {bubbles: true}));
      handler.push(performance.now() - t0);
      i++;
      requestAnimationFrame(frame);
    }
    requestAnimationFrame(frame);
  });
  const gaps = stamps.slice(1).map((t, j) => t - stamps[j]);
  return {handler, gaps};
}"""

WATCH = """() => { window.__gaps = []; window.__events = 0; let last = null;
  (function tick(t) { if (last !== null) window.__gaps.push(t - last); last = t; window.__watch = requestAnimationFrame(tick); })(performance.now());
  document.getElementById('mu').addEventListener('input', () => { window.__events++; });
}"""


def _summary(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[int(0.95 * (len(values) - 1))]
    return f"median {statistics.median(values):6.2f}  p95 {p95:6.2f}  max {values[-1]:6.2f}"


def _late(gaps: list[float]) -> str:
    """The share of frames that came late (more than 1.5 frames of 60 fps after the one before)."""
    return f"{100.0 * sum(g > 25.0 for g in gaps) / len(gaps):4.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()

    from browser_support import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    from lecture import explore
    from mathcore import load_data

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rng = np.random.default_rng(20)
        samples = np.round(rng.normal(170.0, 8.0, args.samples), 1)
        data_file = folder / "heights.toml"
        data_file.write_text("[heights]\nunit = \"cm\"\nsamples = [" + ", ".join(repr(float(x)) for x in samples) + "]\n",
                             encoding="utf-8")
        explore.publish(folder, load_data(data_file), "en")
        size = (folder / explore.EXPLORE_PAGE).stat().st_size
        print(f"explore.html with {args.samples} samples: {size / 1e6:.2f} MB; Chromium {CHROMIUM}, headless, no GPU")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto((folder / explore.EXPLORE_PAGE).as_uri())
            page.wait_for_function("window.explore !== undefined")
            print(f"{'slider':<10} {'handler ms (recompute + redraw)':<42} {'frame interval ms':<40} fps   late")
            for slider in ("mu", "sigma", "p", "start", "eta", "logit-0"):
                page.locator(f"#{slider}").scroll_into_view_if_needed()
                result = page.evaluate(DRIVE, [slider, args.frames])
                fps = 1000.0 / statistics.median(result["gaps"])
                print(f"{slider:<10} {_summary(result['handler']):<42} {_summary(result['gaps']):<40} {fps:5.1f} {_late(result['gaps'])}")
            # a real mouse drag over the mu slider
            page.locator("#mu").scroll_into_view_if_needed()
            box = page.locator("#mu").bounding_box()
            page.evaluate(WATCH)
            y = box["y"] + box["height"] / 2
            page.mouse.move(box["x"] + box["width"] * 0.5, y)
            page.mouse.down()
            for i in range(args.frames):
                phase = (i % 100) / 100
                x = phase * 2 if phase < 0.5 else 2 - phase * 2
                page.mouse.move(box["x"] + box["width"] * (0.2 + 0.6 * x), y, steps=1)
            page.mouse.up()
            gaps = page.evaluate("cancelAnimationFrame(window.__watch), window.__gaps")
            events = page.evaluate("window.__events")
            print(f"mouse drag over mu: {events} input events, frame interval {_summary(gaps[1:])}, "
                  f"{1000.0 / statistics.median(gaps[1:]):5.1f} fps, {_late(gaps[1:])} late")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

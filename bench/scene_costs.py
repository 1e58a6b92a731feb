"""What each scene costs to render, and what that means for N workers (docs/scaling.md).

    .venv/bin/python bench/scene_costs.py --quality medium            # every scene, one at a time
    .venv/bin/python bench/scene_costs.py --from bench/results/costs-X.json --scale-cpu 678

Renders every scene on its own (``nll-lecture render --scene ID`` into a fresh --out: cold,
its own TeX cache, one scene job as a cluster worker would run it), one after another, and
records per scene: wall and CPU seconds (the command and all its processes, os.wait4),
seconds of video and frames (from the manifest). Then, for 1 to 12 workers that each render
one scene at a time, the time the lecture takes when scenes are handed out longest first
(each to the worker that is free first), next to the two lower bounds: total / N and the
longest scene.

``--scale-cpu TOTAL`` rescales the per-scene CPU seconds so that they add up to TOTAL (for
example a full-lecture CPU figure measured at another quality with ``make bench``): with
``--overhead S`` (a scene job's fixed cost: process start, imports, data; measure it with a
near-empty scene) each scene keeps S and its part above S is scaled, else each scene keeps
its measured share. Writes bench/results/costs-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import heapq
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scenes.catalog import SCENES_IN_ORDER  # noqa: E402  (no manim import)

BIN = Path(sys.executable).parent


def longest_first(costs: dict[str, float], workers: int) -> tuple[float, list[list[str]]]:
    """Makespan of handing the jobs out longest first, each to the worker free first (LPT),
    and which worker got which jobs.

    >>> longest_first({"a": 5, "b": 4, "c": 3, "d": 3}, 2)
    (8.0, [['a', 'd'], ['b', 'c']])
    """
    return in_order(costs, workers, sorted(costs, key=lambda n: (-costs[n], n)))


def in_order(costs: dict[str, float], workers: int, order: list[str]) -> tuple[float, list[list[str]]]:
    """Makespan of handing the jobs out in ``order``, each to the worker free first.

    >>> in_order({"a": 1, "b": 1, "c": 4}, 2, ["a", "b", "c"])
    (5.0, [['a', 'c'], ['b']])
    """
    free = [(0.0, w) for w in range(workers)]
    given: list[list[str]] = [[] for _ in range(workers)]
    for name in order:
        at, w = heapq.heappop(free)
        given[w].append(name)
        heapq.heappush(free, (at + costs[name], w))
    return max(at for at, _ in free), given


def measure(quality: str, lang: str) -> dict[str, dict]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    env.pop("NLL_LECTURE_DATA", None)
    base = Path(tempfile.mkdtemp(prefix="nll-costs-"))
    scenes = {}
    try:
        for spec in SCENES_IN_ORDER:
            out = base / spec.id / "out"
            cmd = [str(BIN / "nll-lecture"), "render", "--quality", quality, "--lang", lang, "--scene", spec.id,
                   "--jobs", "1", "--out", str(out)]
            load = os.getloadavg()[0]
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE)
            err = proc.stderr.read()
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"scene_costs: {' '.join(cmd)} failed:\n{err.decode(errors='replace')[-2000:]}")
            record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenes"][0]
            scenes[spec.id] = {"index": spec.index, "wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
                               "video_s": record["duration_s"], "frames": record["frames"], "load1_before": load}
            print(f"  {spec.index:02d} {spec.id:<24} {wall:6.1f} s wall {scenes[spec.id]['cpu_s']:6.1f} s CPU "
                  f"{record['duration_s']:6.1f} s video  load {load:.1f}", flush=True)
            shutil.rmtree(base / spec.id, ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return scenes


def scaled(cpu: dict[str, float], total: float, overhead: float = 0.0) -> dict[str, float]:
    """Per-scene costs adding up to ``total``: each keeps ``overhead``, the rest is scaled.

    >>> scaled({"a": 3.0, "b": 5.0}, 14.0, overhead=1.0)
    {'a': 5.0, 'b': 9.0}
    """
    above = sum(c - overhead for c in cpu.values())
    factor = (total - overhead * len(cpu)) / above
    return {sid: overhead + (c - overhead) * factor for sid, c in cpu.items()}


def report(scenes: dict[str, dict], scale_cpu: float | None, overhead: float = 0.0) -> str:
    measured = sum(s["cpu_s"] for s in scenes.values())
    costs = {sid: s["cpu_s"] for sid, s in scenes.items()}
    if scale_cpu:
        costs = scaled(costs, scale_cpu, overhead)
    video = sum(s["video_s"] for s in scenes.values())
    lines = [f"{'scene':<28}{'video s':>8}{'CPU s':>8}{'share':>7}" + (f"{'scaled':>8}" if scale_cpu else "")]
    for sid, s in sorted(scenes.items(), key=lambda kv: kv[1]["index"]):
        lines.append(f"{s['index']:02d} {sid:<25}{s['video_s']:>8.1f}{s['cpu_s']:>8.1f}{100 * s['cpu_s'] / measured:>6.1f}%"
                     + (f"{costs[sid]:>8.1f}" if scale_cpu else ""))
    total = sum(costs.values())
    lines.append(f"{'total':<28}{video:>8.1f}{measured:>8.1f}{'':>7}" + (f"{total:>8.1f}" if scale_cpu else ""))
    longest = max(costs.values())
    lines.append("")
    lecture_order = sorted(costs, key=lambda sid: scenes[sid]["index"])
    lines.append(f"{'workers':>7}{'longest first':>15}{'speed-up':>10}{'lecture order':>15}{'total/N':>9}{'floor':>8}")
    for n in range(1, len(costs) + 1):
        span, _ = longest_first(costs, n)
        ordered, _ = in_order(costs, n, lecture_order)
        lines.append(f"{n:>7}{span:>15.1f}{total / span:>9.2f}x{ordered:>15.1f}{total / n:>9.1f}"
                     f"{max(total / n, longest):>8.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/scene_costs.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quality", choices=("preview", "medium", "high", "4k"), default="medium")
    parser.add_argument("--lang", choices=("ko", "en"), default="ko")
    parser.add_argument("--from", dest="source", type=Path, help="report on an earlier costs-*.json instead of rendering")
    parser.add_argument("--scale-cpu", type=float, metavar="TOTAL", help="rescale the CPU seconds to add up to TOTAL")
    parser.add_argument("--overhead", type=float, default=0.0, metavar="S",
                        help="with --scale-cpu: each scene job's fixed CPU seconds, kept unscaled")
    args = parser.parse_args(argv)
    if args.source:
        record = json.loads(args.source.read_text(encoding="utf-8"))
    else:
        print(f"scene_costs: every scene alone at {args.quality}, cold, one after another", flush=True)
        record = {"when": _dt.datetime.now().strftime("%Y%m%d-%H%M%S"), "quality": args.quality, "lang": args.lang,
                  "cores": os.cpu_count(), "scenes": measure(args.quality, args.lang)}
        results = ROOT / "bench" / "results"
        results.mkdir(parents=True, exist_ok=True)
        path = results / f"costs-{record['when']}.json"
        path.write_text(json.dumps(record, indent=1), encoding="utf-8")
        print(f"scene_costs: figures in {path}")
    print(report(record["scenes"], args.scale_cpu, args.overhead))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One scene's render worker, A against B: CPU seconds, page faults and peak memory.

    python bench/worker_cpu.py --scene title --tree A=/path/to/checkout --tree B=/other [--runs 3]
        [--size 1920x1080 --fps 60]

Runs ``python -m lecture.render.worker`` for the scene with each source tree on PYTHONPATH,
in turn (A B A B ...: a drift of the machine's speed hits both alike), each into a fresh
work folder, with one shared TeX cache warmed by an uncounted first run. The figures are the
kernel's accounting of the finished worker (``os.wait4``): user + system CPU seconds, minor
page faults and peak resident memory; CPU seconds and faults are much less sensitive to
other load on the machine than wall time. Prints one line a run and the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(tree: Path, scene: str, width: int, height: int, fps: int, tex: Path) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="worker-cpu-"))
    env = {**os.environ, "PYTHONPATH": str(tree), "NLL_LECTURE_TEX_CACHE": str(tex)}
    command = [sys.executable, "-m", "lecture.render.worker", "--scene", scene, "--width", str(width),
               "--height", str(height), "--fps", str(fps), "--work", str(work)]
    started = time.monotonic()
    with open(work.parent / f"{work.name}.log", "w") as log:
        process = subprocess.Popen(command, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    ok = os.waitstatus_to_exitcode(status) == 0 and (work / "result.json").is_file()
    shutil.rmtree(work, ignore_errors=True)
    if not ok:
        raise SystemExit(f"error: the worker failed with {tree} (log: {work.parent / f'{work.name}.log'})")
    return {"cpu": usage.ru_utime + usage.ru_stime, "user": usage.ru_utime, "sys": usage.ru_stime,
            "minflt": usage.ru_minflt, "maxrss_mib": usage.ru_maxrss / 1024, "wall": wall}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", required=True)
    parser.add_argument("--tree", action="append", required=True, help="NAME=PATH of a source tree (two or more)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--fps", type=int, default=60)
    parser.add_argument("--tex", type=Path, help="a warm TeX cache folder (a render's tex-cache): no warm-up run")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    trees = [(name, Path(path).resolve()) for name, path in (t.split("=", 1) for t in args.tree)]
    tex = Path(tempfile.mkdtemp(prefix="worker-cpu-tex-"))
    if args.tex:
        shutil.copytree(args.tex, tex, dirs_exist_ok=True)
    else:
        run(trees[0][1], args.scene, width, height, args.fps, tex)  # warms the TeX cache; not counted
    figures: dict[str, list[dict[str, float]]] = {name: [] for name, _ in trees}
    with open("/proc/loadavg") as handle:
        print(f"load before: {handle.read().split()[:3]}", flush=True)
    for i in range(args.runs):
        for name, tree in trees:
            result = run(tree, args.scene, width, height, args.fps, tex)
            figures[name].append(result)
            print(f"run {i + 1} {name}: cpu {result['cpu']:.1f} s (user {result['user']:.1f}, sys {result['sys']:.1f}), "
                  f"minor faults {result['minflt']:.0f}, peak {result['maxrss_mib']:.0f} MiB, wall {result['wall']:.1f} s",
                  flush=True)
    with open("/proc/loadavg") as handle:
        print(f"load after: {handle.read().split()[:3]}", flush=True)
    for name, _ in trees:
        rows = figures[name]
        print(f"median {name}: cpu {statistics.median(r['cpu'] for r in rows):.1f} s, "
              f"sys {statistics.median(r['sys'] for r in rows):.1f} s, "
              f"minor faults {statistics.median(r['minflt'] for r in rows):.0f}, "
              f"peak {statistics.median(r['maxrss_mib'] for r in rows):.0f} MiB")
    shutil.rmtree(tex, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

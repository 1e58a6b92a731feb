"""Render benchmark: plain `manim render` vs `nll-lecture render` (cold, no change, counts changed).

    .venv/bin/python bench/render_bench.py                       # full lecture, 1080p60
    .venv/bin/python bench/render_bench.py --quality preview --scenes title closing
    .venv/bin/python bench/render_bench.py --repeat 3 --skip-baseline

Runs, in one go, each in a fresh temporary folder:

  baseline    every selected scene, one after another, with the plain manim CLI from the
              repo root (`manim render -q<l|m|h|k> --media_dir DIR scenes/sNN.py Class`):
              manim's defaults plus the repo's manim.cfg, a fresh media dir;
  cold        `nll-lecture render` into a fresh --out (no render cache, no TeX cache);
  no-change   the same command again;
  counts      again, with --data pointing at a copy of `nll-lecture template` whose only
              edit is [binary].counts;
  voiced      `nll-lecture render --voice espeak` into another fresh --out (espeak-ng draft
              voice, no voice cache): its cost is compared with the silent cold render per
              second of video (a voiced lecture is longer: beats stretch to the voice);
  cluster     `nll-lecture render --cluster` into another fresh --out, on a Dask scheduler and
              two workers (one scene at a time each) started on 127.0.0.1 for the case; CPU
              seconds include the scheduler's and workers' (they are not the command's children).

For each: wall seconds; CPU seconds (user+sys of the command and all its descendants, from
os.wait4's rusage); seconds of video in the output; frames rendered; frames rendered per
wall second; real-time factor (wall / seconds of video in the output: the whole selection,
also for the re-renders); peak RSS (ru_maxrss from wait4 is the largest single process in
the command's tree — one worker, not their sum); the scenes that were rendered.

Prints a table and writes the figures as JSON to bench/results/<timestamp>.json.
Timings on a shared machine are noisy; use --repeat to see the spread (the table shows the
median, the JSON every run).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scenes.catalog import SCENES_BY_ID, SCENES_IN_ORDER  # noqa: E402  (no manim import)

BIN = Path(sys.executable).parent
MANIM_QUALITY_FLAG = {"preview": "l", "medium": "m", "high": "h", "4k": "k"}
RESOLUTION_DIR = {"preview": "480p15", "medium": "720p30", "high": "1080p60", "4k": "2160p60"}
RERENDER_LINE = re.compile(r"^\s+(\d\d) (\S+): ")


def run_measured(cmd: list[str], *, cwd: Path, env: dict[str, str], log: Path) -> dict:
    """Run ``cmd``; return wall/CPU seconds and peak RSS of its process tree, and its output."""
    with open(log, "ab") as handle:
        handle.write(("$ " + " ".join(cmd) + "\n").encode())
        handle.flush()
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=handle, stderr=subprocess.PIPE)
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stderr.close()
        handle.write(stderr)
    text = stderr.decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"bench: command failed ({proc.returncode}): {' '.join(cmd)}\n{text[-2000:]}\nlog: {log}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,  # KiB on Linux
        "load1_before": load_before,
        "load1_after": os.getloadavg()[0],
        "stderr": text,
    }


def probe(path: Path) -> tuple[int, float]:
    """(frames, seconds) of a video file, by decoding packet counts with PyAV."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for packet in container.demux(stream) if packet.size)
        rate = stream.average_rate or stream.guessed_rate
    return frames, float(frames / rate)


def baseline(specs, quality: str, tmp: Path, env: dict[str, str], log: Path) -> dict:
    media = tmp / "baseline-media"
    total = {"wall_s": 0.0, "cpu_s": 0.0, "peak_rss_mib": 0.0, "load1_before": os.getloadavg()[0]}
    frames = seconds = 0.0
    per_scene = {}
    for spec in specs:
        cmd = [str(BIN / "manim"), "render", f"-q{MANIM_QUALITY_FLAG[quality]}", "--media_dir", str(media),
               spec.file, spec.scene_class]
        m = run_measured(cmd, cwd=ROOT, env=env, log=log)
        movie = media / "videos" / spec.module / RESOLUTION_DIR[quality] / f"{spec.scene_class}.mp4"
        f, s = probe(movie)
        per_scene[spec.id] = {"wall_s": round(m["wall_s"], 2), "cpu_s": round(m["cpu_s"], 2), "frames": f,
                              "video_s": round(s, 3), "peak_rss_mib": round(m["peak_rss_mib"])}
        total["wall_s"] += m["wall_s"]
        total["cpu_s"] += m["cpu_s"]
        total["peak_rss_mib"] = max(total["peak_rss_mib"], m["peak_rss_mib"])
        frames += f
        seconds += s
        print(f"  baseline {spec.index:02d} {spec.id}: {m['wall_s']:.1f} s wall, {m['cpu_s']:.1f} s CPU, "
              f"{s:.1f} s of video, {f} frames, {m['peak_rss_mib']:.0f} MiB", flush=True)
    shutil.rmtree(media, ignore_errors=True)
    total["load1_after"] = os.getloadavg()[0]
    return {**total, "video_s": seconds, "frames": int(frames), "rendered": [s.id for s in specs],
            "per_scene": per_scene}


def lecture_render(specs, quality: str, out: Path, data: Path | None, env, log: Path, all_scenes: bool,
                   jobs: int | None, voice: str | None = None, cluster: str | None = None) -> dict:
    cmd = [str(BIN / "nll-lecture"), "render", "--quality", quality, "--out", str(out)]
    if cluster:
        cmd += ["--cluster", cluster]
    if voice:
        cmd += ["--voice", voice]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    if data is not None:
        cmd += ["--data", str(data)]
    if not all_scenes:
        for spec in specs:
            cmd += ["--scene", spec.id]
    m = run_measured(cmd, cwd=ROOT, env=env, log=log)
    rendered = [match.group(2) for line in m.pop("stderr").splitlines() if (match := RERENDER_LINE.match(line))]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in manifest["scenes"]}
    video_s = sum(by_id[spec.id]["duration_s"] for spec in specs)
    frames = sum(by_id[sid]["frames"] for sid in rendered)
    state = json.loads((out / ".nll-lecture-state.json").read_text(encoding="utf-8"))
    worker_seconds = {sid: rec.get("seconds") for sid, rec in state.get("scenes", {}).items() if sid in rendered}
    return {**m, "video_s": video_s, "frames": frames, "rendered": rendered, "worker_seconds": worker_seconds}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cluster_render(specs, quality: str, out: Path, env, log: Path, all_scenes: bool, workers: int = 2) -> dict:
    """A cold render on a loopback Dask cluster (a scheduler, ``workers`` workers of one
    thread each), started for the case and stopped after; their CPU seconds are added."""
    import signal

    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = []
    with open(log, "ab") as handle:
        def spawn(argv, extra=None):
            procs.append(subprocess.Popen(argv, cwd=ROOT, env={**env, **(extra or {})}, stdin=subprocess.DEVNULL,
                                          stdout=handle, stderr=subprocess.STDOUT, start_new_session=True))

        spawn([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"])
        for n in range(workers):
            spawn([str(BIN / "dask"), "worker", address, "--no-nanny", "--nthreads", "1", "--host", "127.0.0.1",
                   "--no-dashboard", "--local-directory", str(out.parent / f"dask-{n}")],
                  {"NLL_LECTURE_WORKER_AREA": str(out.parent / f"worker-area-{n}")})  # cold: no TeX cache yet
    cpu = 0.0
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout="5s", set_as_default=False) as client:
                    client.wait_for_workers(workers, timeout=120)
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise SystemExit(f"bench: the loopback cluster did not start; log: {log}")
                time.sleep(0.5)
        run = lecture_render(specs, quality, out, None, env, log, all_scenes, None, cluster=address)
    finally:
        for proc in reversed(procs):  # workers first, then the scheduler
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                _, _, usage = os.wait4(proc.pid, 0)
                cpu += usage.ru_utime + usage.ru_stime
            except ChildProcessError:
                pass
    run["cpu_s"] += cpu
    run["cluster_cpu_s"] = cpu
    return run


def counts_changed_data(tmp: Path, env) -> Path:
    """`nll-lecture template` with only [binary].counts changed."""
    text = subprocess.run([str(BIN / "nll-lecture"), "template"], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout
    lines, section, n = text.splitlines(keepends=True), None, 0
    for i, line in enumerate(lines):
        if re.match(r"^\[([\w.]+)\]", line):
            section = line.strip()[1:-1]
        elif section == "binary" and re.match(r"^counts\s*=", line):
            lines[i], n = "counts = [12, 5]\n", n + 1
    new = "".join(lines)
    if n != 1:
        raise SystemExit("bench: could not find [binary].counts in the template")
    path = tmp / "counts-changed.toml"
    path.write_text(new, encoding="utf-8")
    return path


def derived(run: dict) -> dict:
    wall = run["wall_s"]
    return {
        **run,
        "fps": run["frames"] / wall if wall else 0.0,
        "rtf": wall / run["video_s"] if run["video_s"] else None,
    }


def median_run(runs: list[dict]) -> dict:
    if len(runs) == 1:
        return runs[0]
    ordered = sorted(runs, key=lambda r: r["wall_s"])
    return ordered[len(ordered) // 2]


def table(results: dict, baseline_wall: float | None) -> str:
    head = f"{'case':<12}{'wall s':>9}{'CPU s':>9}{'video s':>9}{'frames':>8}{'fps':>8}{'RTF':>7}{'peak MiB':>10}{'load':>10}  rendered"
    lines = [head, "-" * len(head)]
    for name, runs in results.items():
        r = median_run(runs)
        rtf = f"{r['rtf']:.2f}" if r["rtf"] is not None else "-"
        spread = ""
        if len(runs) > 1:
            walls = [x["wall_s"] for x in runs]
            spread = f" (runs {min(walls):.2f}-{max(walls):.2f})"
        rendered = ",".join(r["rendered"]) if len(r["rendered"]) < 12 else f"all {len(r['rendered'])}"
        lines.append(f"{name:<12}{r['wall_s']:>9.2f}{r['cpu_s']:>9.1f}{r['video_s']:>9.1f}{r['frames']:>8d}"
                     f"{r['fps']:>8.1f}{rtf:>7}{r['peak_rss_mib']:>10.0f}{r['load1_before']:>5.1f}>{r['load1_after']:<4.1f}  {rendered or '-'}{spread}")
    if "voiced" in results and "cold" in results:
        cold, voiced = median_run(results["cold"]), median_run(results["voiced"])
        per_silent, per_voiced = cold["cpu_s"] / cold["video_s"], voiced["cpu_s"] / voiced["video_s"]
        lines.append(f"voiced cost: {per_voiced:.2f} CPU-s per second of video vs {per_silent:.2f} silent "
                     f"({100 * (per_voiced / per_silent - 1):+.1f}%; target at most +10%); "
                     f"lecture {voiced['video_s']:.0f} s voiced vs {cold['video_s']:.0f} s silent")
    if baseline_wall and "cold" in results:
        cold, base = median_run(results["cold"]), median_run(results["baseline"])
        lines.append(f"cold speed-up over plain manim: {baseline_wall / cold['wall_s']:.2f}x wall, "
                     f"{base['cpu_s'] / cold['cpu_s']:.2f}x CPU")
    lines.append(f"load: 1-minute load average before>after each case, on {os.cpu_count()} cores "
                 "(above the core count, other processes shared the CPU and wall times are inflated)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/render_bench.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quality", choices=tuple(MANIM_QUALITY_FLAG), default="high")
    parser.add_argument("--scenes", nargs="+", metavar="ID", help="scene ids (default: the whole lecture)")
    parser.add_argument("--repeat", type=int, default=1, help="measure each case this many times (default 1)")
    parser.add_argument("--lang", choices=("ko", "en"), default="ko")
    parser.add_argument("--jobs", type=int, default=None, help="passed as nll-lecture render --jobs (default: its own)")
    parser.add_argument("--skip-baseline", action="store_true", help="skip the plain manim runs")
    parser.add_argument("--skip-voiced", action="store_true", help="skip the --voice espeak render")
    parser.add_argument("--skip-cluster", action="store_true", help="skip the render on two loopback Dask workers")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders (printed)")
    args = parser.parse_args(argv)

    unknown = [s for s in args.scenes or () if s not in SCENES_BY_ID]
    if unknown:
        parser.error(f"unknown scene(s) {unknown}; known: {', '.join(SCENES_BY_ID)}")
    specs = [s for s in SCENES_IN_ORDER if not args.scenes or s.id in args.scenes]
    all_scenes = len(specs) == len(SCENES_IN_ORDER)

    env = dict(os.environ)
    env["NLL_LECTURE_LANG"] = args.lang
    env.pop("NLL_LECTURE_DATA", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    # cold means cold: no user-level TeX or beats cache either (lecture/texcache.py)
    env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="nll-bench-cache-")
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    log = results_dir / f"{stamp}.log"
    print(f"bench: {len(specs)} scenes at {args.quality}, lang {args.lang}, {os.cpu_count()} cores, "
          f"repeat {args.repeat}; command output in {log}", flush=True)

    results: dict[str, list[dict]] = {}
    path = results_dir / f"{stamp}.json"

    def report(final: bool = False) -> None:
        """Print the table so far and (re)write the JSON: a cut-short run still leaves figures."""
        baseline_wall = median_run(results["baseline"])["wall_s"] if "baseline" in results else None
        text = table(results, baseline_wall)
        print("\n" + text + "\n", flush=True)
        record = {
            "when": stamp, "quality": args.quality, "lang": args.lang, "scenes": [s.id for s in specs],
            "repeat": args.repeat, "cores": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "git": _git_head(), "complete": final,
            "loadavg_at_end": os.getloadavg(), "results": results, "table": text,
            "cold_speedup_over_baseline": (baseline_wall / median_run(results["cold"])["wall_s"])
            if baseline_wall and "cold" in results else None,
        }
        path.write_text(json.dumps(record, indent=1), encoding="utf-8")

    base = Path(tempfile.mkdtemp(prefix="nll-bench-"))
    try:
        for i in range(args.repeat):
            tmp = base / f"run{i}"
            tmp.mkdir()
            out = tmp / "out"

            def go(data, out=out):
                return derived(lecture_render(specs, args.quality, out, data, env, log, all_scenes, args.jobs))

            print(f"bench: [{i + 1}/{args.repeat}] nll-lecture render, cold", flush=True)
            results.setdefault("cold", []).append(go(None))
            report()
            print(f"bench: [{i + 1}/{args.repeat}] nll-lecture render, nothing changed", flush=True)
            results.setdefault("no-change", []).append(go(None))
            report()
            print(f"bench: [{i + 1}/{args.repeat}] nll-lecture render, [binary].counts changed", flush=True)
            results.setdefault("counts", []).append(go(counts_changed_data(tmp, env)))
            report()
            if not args.skip_voiced:
                print(f"bench: [{i + 1}/{args.repeat}] nll-lecture render --voice espeak, cold", flush=True)
                results.setdefault("voiced", []).append(derived(lecture_render(
                    specs, args.quality, tmp / "out-voiced", None, env, log, all_scenes, args.jobs, voice="espeak")))
                report()
            if not args.skip_cluster:
                print(f"bench: [{i + 1}/{args.repeat}] nll-lecture render --cluster (two loopback workers), cold",
                      flush=True)
                results.setdefault("cluster", []).append(derived(cluster_render(
                    specs, args.quality, tmp / "out-cluster", env, log, all_scenes)))
                report()
            if not args.skip_baseline:
                print(f"bench: [{i + 1}/{args.repeat}] plain manim baseline", flush=True)
                results.setdefault("baseline", []).append(derived(baseline(specs, args.quality, tmp, env, log)))
                report()
            if not args.keep:
                shutil.rmtree(tmp, ignore_errors=True)
    finally:
        if args.keep:
            print(f"bench: kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)

    report(final=True)
    print(f"\nbench: figures in {path}")
    return 0


def _git_head() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


if __name__ == "__main__":
    sys.exit(main())

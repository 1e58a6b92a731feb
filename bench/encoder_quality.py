"""Does the project's H.264 setting (lecture/encoding.py) keep the picture of manim's default?

    .venv/bin/python bench/encoder_quality.py                        # scene 2, 1080p60, 6 s
    .venv/bin/python bench/encoder_quality.py --scene phone-os --seconds 10 --quality medium

1. Renders the start of one scene with manim, losslessly (libx264, qp 0, yuv444p: the
   rendered RGB frames up to colour conversion), into a temporary folder.
2. Encodes those frames twice with PyAV, timing each encode:
     default  manim 0.22's default (codec auto = libx264, yuv420p, no options: preset
              medium, crf 23, no tune);
     project  lecture/encoding.py's H264_CODEC / H264_PIXEL_FORMAT / H264_OPTIONS.
3. Encodes VP9 (lecture/encoding.py's VP9 settings) twice: from the project H.264's decoded
   frames (vp9-clip: the render worker's WebM until it was encoded from the rendered frames)
   and from the reference frames (vp9-frame: the worker's WebM now).
4. Decodes everything again and compares frame by frame on the luma plane: PSNR (numpy)
   and SSIM (8x8-window mean SSIM, numpy/scipy), each encode against the lossless
   reference, and project against default.

Prints a table; figures are also written to bench/results/encoder-quality-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lecture import encoding  # noqa: E402
from lecture.render.pipeline import QUALITY_PRESETS  # noqa: E402


def render_reference(scene_id: str, quality: str, seconds: float, media: Path) -> Path:
    """Render the scene's first animations losslessly; return the movie."""
    from manim import config

    from scenes import SCENES_BY_ID

    width, height, fps = QUALITY_PRESETS[quality]
    spec = SCENES_BY_ID[scene_id]
    config.media_dir = str(media)
    config.pixel_width, config.pixel_height, config.frame_rate = width, height, fps
    config.background_color = "#101418"
    config.format = "mp4"
    config.video_codec = "libx264"
    config.pixel_format = "yuv444p"
    config.video_encoder_options = {"qp": "0", "preset": "ultrafast"}
    config.disable_caching = True
    config.progress_bar = "none"
    config.verbosity = "WARNING"
    import importlib

    cls = getattr(importlib.import_module(spec.import_path), spec.scene_class)

    class Cut(cls):  # stop once `seconds` of video exist
        def play(self, *args, **kwargs):
            if self.time >= seconds:
                raise _Enough()
            return super().play(*args, **kwargs)

        def wait(self, *args, **kwargs):
            if self.time >= seconds:
                raise _Enough()
            return super().wait(*args, **kwargs)

    scene = Cut()
    try:
        scene.render()
    except _Enough:
        scene.renderer.file_writer.finish()
    return Path(scene.renderer.file_writer.movie_file_path)


class _Enough(Exception):
    pass


def _first_frames(src: Path, n: int, target: Path) -> Path:
    """Copy the first ``n`` frames of ``src`` losslessly (so the comparison sees exactly them)."""
    import av

    with av.open(str(src)) as inp, av.open(str(target), mode="w") as out:
        rate = inp.streams.video[0].average_rate
        stream = out.add_stream("libx264", rate=rate, options={"qp": "0", "preset": "ultrafast"})
        stream.pix_fmt = "yuv444p"
        for i, frame in enumerate(inp.decode(video=0)):
            if i >= n:
                break
            if i == 0:
                stream.width, stream.height = frame.width, frame.height
            frame = av.VideoFrame.from_ndarray(frame.to_ndarray(format="rgb24"), format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(rate.denominator, rate.numerator)
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return target


def frames_rgb(path: Path):
    import av

    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="rgb24")


def encode(reference: Path, target: Path, codec: str, pix_fmt: str, options: dict[str, str], fps: int) -> dict:
    """Encode the reference's frames; return seconds (encode only, decode excluded) and size."""
    import av

    spent = cpu = 0.0
    frames = 0
    with av.open(str(target), mode="w") as out:
        stream = out.add_stream(codec, rate=fps, options=dict(options))
        stream.pix_fmt = pix_fmt
        first = True
        for rgb in frames_rgb(reference):
            if first:
                stream.height, stream.width = rgb.shape[:2]
                first = False
            started, cpu_started = time.perf_counter(), time.process_time()
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = frames
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
            spent += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
            frames += 1
        started, cpu_started = time.perf_counter(), time.process_time()
        for packet in stream.encode():
            out.mux(packet)
        spent += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
    # CPU seconds of this process (all encoder threads): steadier than wall on a shared machine
    return {"encode_s": spent, "encode_cpu_s": cpu, "frames": frames, "bytes": target.stat().st_size}


def encode_vp9(source: Path, target: Path, fps: int) -> dict:
    """VP9 with lecture/encoding.py's settings from ``source``'s frames; as :func:`encode`."""
    import av

    options = {**encoding.VP9_OPTIONS, "g": str(int(round(fps * encoding.VP9_KEYFRAME_SECONDS)))}
    spent = cpu = 0.0
    frames = 0
    with av.open(str(source)) as inp, av.open(str(target), mode="w") as out:
        stream = out.add_stream(encoding.VP9_CODEC, rate=fps, options=options)
        stream.pix_fmt = encoding.VP9_PIXEL_FORMAT
        stream.codec_context.thread_count = encoding.VP9_THREADS
        for frame in inp.decode(video=0):
            if frames == 0:
                stream.width, stream.height = frame.width, frame.height
            started, cpu_started = time.perf_counter(), time.process_time()
            frame = frame.reformat(format=encoding.VP9_PIXEL_FORMAT)
            frame.pts, frame.time_base = frames, Fraction(1, fps)
            for packet in stream.encode(frame):
                out.mux(packet)
            spent += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
            frames += 1
        for packet in stream.encode():
            out.mux(packet)
    return {"encode_s": spent, "encode_cpu_s": cpu, "frames": frames, "bytes": target.stat().st_size}


def luma(path: Path):
    import av

    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="gray").astype(np.float64)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    """Mean SSIM over 8x8 windows (uniform weights), the usual constants for 8-bit."""
    from scipy.ndimage import uniform_filter

    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    mu_a, mu_b = uniform_filter(a, 8), uniform_filter(b, 8)
    var_a = uniform_filter(a * a, 8) - mu_a**2
    var_b = uniform_filter(b * b, 8) - mu_b**2
    cov = uniform_filter(a * b, 8) - mu_a * mu_b
    s = ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a**2 + mu_b**2 + c1) * (var_a + var_b + c2))
    return float(s.mean())


def compare(x: Path, y: Path, ssim_every: int) -> dict:
    p, s = [], []
    for i, (a, b) in enumerate(zip(luma(x), luma(y), strict=True)):
        p.append(psnr(a, b))
        if i % ssim_every == 0:
            s.append(ssim(a, b))
    finite = [v for v in p if np.isfinite(v)]
    return {
        "psnr_mean_db": float(np.mean(finite)) if finite else float("inf"),
        "psnr_min_db": float(np.min(finite)) if finite else float("inf"),
        "identical_frames": len(p) - len(finite),
        "ssim_mean": float(np.mean(s)), "ssim_min": float(np.min(s)), "frames": len(p),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/encoder_quality.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scene", default="likelihood-continuous")
    parser.add_argument("--quality", choices=tuple(QUALITY_PRESETS), default="high")
    parser.add_argument("--seconds", type=float, default=6.0, help="render this much of the scene (default 6)")
    parser.add_argument("--ssim-every", type=int, default=5, help="SSIM on every Nth frame (default 5)")
    parser.add_argument("--lang", choices=("ko", "en"), default="ko")
    parser.add_argument("--reference", type=Path, metavar="VIDEO",
                        help="use this video's frames instead of rendering (PSNR/SSIM are then against it)")
    parser.add_argument("--frames", type=int, default=0, help="with --reference: use only the first N frames")
    parser.add_argument("--variant", action="append", default=[], metavar="NAME:k=v,k=v",
                        help="also try these libx264 yuv420p options, e.g. fast:preset=superfast,crf=20")
    args = parser.parse_args(argv)
    os.environ["NLL_LECTURE_LANG"] = args.lang
    fps = QUALITY_PRESETS[args.quality][2]

    with tempfile.TemporaryDirectory(prefix="nll-encq-") as tmp:
        tmp = Path(tmp)
        if args.reference:
            reference = args.reference
            if args.frames:
                reference = _first_frames(args.reference, args.frames, tmp / "reference.mp4")
        else:
            reference = render_reference(args.scene, args.quality, args.seconds, tmp / "media")
        variants = {
            "default": ("libx264", "yuv420p", {}),
            "project": (encoding.H264_CODEC, encoding.H264_PIXEL_FORMAT, dict(encoding.H264_OPTIONS)),
        }
        for spec in args.variant:
            name, _, opts = spec.partition(":")
            variants[name] = ("libx264", "yuv420p", dict(kv.split("=", 1) for kv in opts.split(",") if kv))
        figures: dict[str, dict] = {}
        for name, (codec, pix_fmt, options) in variants.items():
            path = tmp / f"{name}.mp4"
            figures[name] = encode(reference, path, codec, pix_fmt, options, fps)
            figures[name]["options"] = options
            figures[name].update({f"vs_lossless_{k}": v for k, v in compare(reference, path, args.ssim_every).items()})
        figures["project_vs_default"] = compare(tmp / "project.mp4", tmp / "default.mp4", args.ssim_every)
        # The WebM: VP9 from the H.264 clip's decoded frames (the worker until it encoded the
        # WebM from the rendered frames) and from the frames themselves (the worker now).
        for name, source in (("vp9-clip", tmp / "project.mp4"), ("vp9-frame", reference)):
            figures[name] = encode_vp9(source, tmp / f"{name}.webm", fps)
            figures[name]["options"] = {"from": "H.264 clip" if source != reference else "rendered frames",
                                        **encoding.VP9_OPTIONS}
            figures[name].update({f"vs_lossless_{k}": v for k, v in
                                  compare(reference, tmp / f"{name}.webm", args.ssim_every).items()})

    d, p, pd = figures["default"], figures["project"], figures["project_vs_default"]
    lines = [
        f"encoder quality: {args.reference or 'scene ' + args.scene}, {args.quality}, first {d['frames']} frames "
        f"({d['frames'] / fps:.1f} s); "
        "luma PSNR/SSIM",
        f"{'encode':<10}{'options':<44}{'CPU s':>7}{'wall s':>7}{'KiB':>8}{'PSNR dB':>9}{'min':>7}{'SSIM':>8}{'min':>8}",
    ]
    for name, f in ((n, f) for n, f in figures.items() if n != "project_vs_default"):
        opts = ",".join(f"{k}={v}" for k, v in f["options"].items()) or "(manim default: medium, crf 23)"
        if name.startswith("vp9"):
            opts = f"VP9 from the {f['options']['from']}"
        lines.append(f"{name:<10}{opts:<44}{f['encode_cpu_s']:>7.2f}{f['encode_s']:>7.2f}{f['bytes'] / 1024:>8.0f}"
                     f"{f['vs_lossless_psnr_mean_db']:>9.2f}{f['vs_lossless_psnr_min_db']:>7.2f}"
                     f"{f['vs_lossless_ssim_mean']:>8.4f}{f['vs_lossless_ssim_min']:>8.4f}")
    lines.append(f"project vs default: PSNR {pd['psnr_mean_db']:.2f} dB (min {pd['psnr_min_db']:.2f}), "
                 f"SSIM {pd['ssim_mean']:.4f} (min {pd['ssim_min']:.4f})")
    lines.append(f"encode CPU, default/project: {d['encode_cpu_s'] / p['encode_cpu_s']:.2f}x "
                 "(CPU s: encoder CPU incl. RGB->YUV conversion, all threads; PSNR/SSIM columns: against the "
                 "reference frames; shared machine, times are noisy)")
    text = "\n".join(lines)
    print(text)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (results / f"encoder-quality-{stamp}.json").write_text(
        json.dumps({"scene": args.scene, "quality": args.quality, "figures": figures, "table": text}, indent=1),
        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

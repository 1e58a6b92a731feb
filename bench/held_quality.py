"""Held frames (manim patch 6; the WebM's shown-again repeats) against the encoder encoding
every repeat: the picture quality.

    .venv/bin/python bench/held_quality.py                                   # scene 2, 720p30, 12 s
    .venv/bin/python bench/held_quality.py --scene title --seconds 15 --quality high
    .venv/bin/python bench/held_quality.py --codec vp9                       # the WebM only

Renders the start of a scene losslessly (bench/encoder_quality.py render_reference), cuts
its frames into segments as manim does for a scene (a run of identical frames is a hold, a
segment of its own written with one ``write_frame(..., repeat=N)``; the frames between holds
are one segment each), and encodes the segments with manim's segment encoder and the
project's H.264 settings twice: with patch 2 alone (libx264 encodes every repeat) and with
patch 6 (a hold's repeats are all-skip P frames). Compares both against the lossless
frames (luma PSNR, 8x8 SSIM), over all frames and over the held ones, and prints the
bytes and the CPU seconds the encoders took. The WebM alike (``--codec vp9``): the same runs
through the render's WebmWriter (lecture/media.py: a hold as one frame with its repeat
count), with libvpx encoding every repeat and with the repeats as show_existing_frame frames.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from encoder_quality import psnr, render_reference, ssim  # noqa: E402

from lecture import encoding  # noqa: E402
from lecture.render.pipeline import QUALITY_PRESETS  # noqa: E402


def segments(frames: list[np.ndarray]) -> list[tuple[int, int, bool]]:
    """(first, end, held) runs: identical frames (two or more) form a hold."""
    runs, i = [], 0
    while i < len(frames):
        j = i + 1
        while j < len(frames) and np.array_equal(frames[j], frames[i]):
            j += 1
        if j - i >= 2:
            runs.append((i, j, True))
        elif runs and not runs[-1][2]:
            runs[-1] = (runs[-1][0], j, False)
        else:
            runs.append((i, j, False))
        i = j
    return runs


def encode(frames, runs, fps: int, folder: Path, held: bool, hold_options=None) -> tuple[list[np.ndarray], int, float]:
    import av
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene import video_segment_encoder as vse

    from scenes import manim_patches

    height, width = frames[0].shape[:2]
    spec = VideoEncoderSpec(container_format="mp4", codec=encoding.H264_CODEC, pixel_format=encoding.H264_PIXEL_FORMAT,
                            width=width, height=height, frame_rate=Fraction(fps),
                            options=tuple({**encoding.H264_OPTIONS, **encoding.COLOUR_OPTIONS}.items()))
    if held:
        manim_patches.install_held_frames(hold_options)
    else:
        manim_patches.install_frame_encoding()
    decoded, size, cpu = [], 0, 0.0
    try:
        for n, (first, end, is_hold) in enumerate(runs):
            path = folder / f"{'held' if held else 'own'}-{n:04d}.mp4"
            started = time.process_time()
            encoder = vse.VideoSegmentEncoder(target=path, spec=spec)
            if is_hold:
                encoder.write_frame(frames[first].copy(), repeat=end - first)
            else:
                for i in range(first, end):
                    encoder.write_frame(frames[i].copy())
            encoder.finish()
            cpu += time.process_time() - started
            size += path.stat().st_size
            with av.open(str(path)) as container:
                decoded += [f.to_ndarray()[:height].astype(np.float64) for f in container.decode(video=0)]  # Y plane
    finally:
        manim_patches.uninstall_held_frames()
        manim_patches.uninstall_frame_encoding()
    return decoded, size, cpu


def encode_webm(frames, runs, fps: int, folder: Path, repeats_shown: bool,
                repeats_encoded: int | None = None) -> tuple[list[np.ndarray], int, float]:
    """The frames through the render's WebmWriter (holds as one frame and a repeat count);
    the decoded Y planes, the file's bytes and the CPU seconds of the encode."""
    import av

    from lecture import media

    height, width = frames[0].shape[:2]
    yuv = {}
    for first, end, is_hold in runs:  # converted as patch 2 does, before the clock starts
        for i in ([first] if is_hold else range(first, end)):
            yuv[i] = av.VideoFrame.from_ndarray(frames[i][..., :3].copy(), format="rgb24").reformat(
                format="yuv420p", dst_colorspace="ITU709", dst_color_range="JPEG")
    path = folder / f"{'shown' if repeats_shown else 'encoded'}-{repeats_encoded}.webm"
    started = time.process_time()
    writer = media.WebmWriter(path, width, height, fps, repeats_shown=repeats_shown, repeats_encoded=repeats_encoded)
    key = writer.open_segment()
    for first, end, is_hold in runs:
        if is_hold:
            writer.put(key, yuv[first], end - first)
        else:
            for i in range(first, end):
                writer.put(key, yuv[i], 1)
    writer.close_segment(key)
    writer.close()
    cpu = time.process_time() - started
    with av.open(str(path)) as container:
        decoded = [f.to_ndarray()[:height].astype(np.float64) for f in container.decode(video=0)]
    return decoded, path.stat().st_size, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default="likelihood-continuous")
    parser.add_argument("--quality", choices=tuple(QUALITY_PRESETS), default="medium")
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--ssim-every", type=int, default=3)
    parser.add_argument("--ipratio", action="append", default=[], metavar="R",
                        help="also encode the holds' first frames with libx264's ipratio R (repeatable)")
    parser.add_argument("--codec", choices=("h264", "vp9", "both"), default="both")
    parser.add_argument("--vp9-refine", type=int, action="append", default=[], metavar="K",
                        help="also show the WebM's repeats again only after libvpx encoded the first K (repeatable)")
    args = parser.parse_args()
    import av

    with tempfile.TemporaryDirectory(prefix="held-quality-") as tmp:
        folder = Path(tmp)
        reference = render_reference(args.scene, args.quality, args.seconds, folder / "media")
        with av.open(str(reference)) as container:
            fps = int(container.streams.video[0].average_rate)
            rgba = []
            for frame in container.decode(video=0):
                rgb = frame.to_ndarray(format="rgb24")
                rgba.append(np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]))
        runs = segments(rgba)
        held_index = {i for first, end, hold in runs if hold for i in range(first + 1, end)}
        height = rgba[0].shape[0]
        reference_luma = [av.VideoFrame.from_ndarray(f[..., :3].copy(), format="rgb24").reformat(  # as patch 2 converts
            format="yuv420p", dst_colorspace="ITU709", dst_color_range="JPEG").to_ndarray()[:height].astype(np.float64)
            for f in rgba]
        report = {"scene": args.scene, "quality": args.quality, "frames": len(rgba), "fps": fps,
                  "segments": len(runs), "held_repeats": len(held_index)}
        variants = []
        if args.codec in ("h264", "both"):
            variants += [("libx264", False, None), ("held, project options", True, encoding.H264_HOLD_OPTIONS)]
            variants += [(f"held, ipratio {r}", True, {"x264-params": f"mbtree=0:ipratio={r}"}) for r in args.ipratio]
        if args.codec in ("vp9", "both"):
            variants += [("vp9, libvpx every repeat", "vp9", (False, None)),
                         (f"vp9, repeats shown again (project: after {encoding.VP9_REPEATS_ENCODED})", "vp9", (True, None))]
            variants += [(f"vp9, repeats shown again after {k}", "vp9", (True, k)) for k in args.vp9_refine]
        for name, held, hold_options in variants:
            if held == "vp9":
                decoded, size, cpu = encode_webm(rgba, runs, fps, folder, *hold_options)
            else:
                decoded, size, cpu = encode(rgba, runs, fps, folder, held, hold_options)
            p = [psnr(a, b) for a, b in zip(reference_luma, decoded, strict=True)]
            s = {i: ssim(reference_luma[i], decoded[i]) for i in range(0, len(decoded), args.ssim_every)}
            finite = [v for v in p if np.isfinite(v)]
            held_p = [p[i] for i in held_index if np.isfinite(p[i])]
            report[name] = {"bytes": size, "encode_cpu_s": round(cpu, 2),
                            "psnr_mean_db": round(float(np.mean(finite)), 3),
                            "psnr_min_db": round(float(np.min(finite)), 3),
                            "psnr_held_mean_db": round(float(np.mean(held_p)), 3) if held_p else None,
                            "ssim_mean": round(float(np.mean(list(s.values()))), 5),
                            "ssim_min": round(float(np.min(list(s.values()))), 5)}
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

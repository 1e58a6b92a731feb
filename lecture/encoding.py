"""Every encoder choice of the render pipeline, in one place.

H.264 is encoded by manim itself (its PyAV segment encoder, through the ``[video_encoder]``
config: codec, pixel format and options below); the VP9 WebM is encoded by the render worker
from the same converted frames as they are rendered (lecture/media.py WebmWriter; a PyAV
transcode of the finished clip where that cannot be used). The full lecture is joined from
the clips without re-encoding, so these settings decide the quality and size of everything
published.

Any change here changes every scene's cache key (lecture/render/cache.py hashes ``fingerprint()``),
so tuning re-renders the lecture. Pure Python: importing this module imports neither manim
nor PyAV.
"""

from __future__ import annotations

import hashlib
import json

# H.264 for lecture.mp4 and clips/*.mp4 (encoded by manim, segment by segment) ---------------
H264_CODEC = "libx264"
H264_PIXEL_FORMAT = "yuv420p"
# Flat vector art on a solid background: "animation" tune (more reference frames, deblocking
# suited to flat areas) at a fast preset; CRF 25 without mbtree (below) keeps text edges
# clean. String values only: manim passes them to libx264 as AVOptions.
#
# "threads" is pinned: left to itself libx264 picks a thread count from the CPUs this process
# may use (sched_getaffinity), and with PyAV's slice threading that count is the number of
# slices per frame, and it is written into the stream's options SEI. A render on another
# machine, under taskset or beside other jobs would then publish other bytes (the first
# packet, the SEI, at least). A fixed count makes the bitstream the same everywhere.
#
# "mbtree=0": libx264's macroblock-tree rate control (on by default) reads heap memory it never
# wrote when it plans a segment with B-frames (the PyAV wheel's libx264, core 165): the
# bytes of a segment then depended on what an earlier allocation had left there. A 12-frame
# clip encoded 150 times in one process gave 22 different files; run under
# MALLOC_PERTURB_=1, 77 and 254 (glibc fills fresh allocations with that byte) it gave three
# files, one for each byte. Without mbtree (or without B-frames) it gives one file, whatever
# the memory held (tests/test_render_determinism.py). CRF 26 without mbtree is at least as
# good as CRF 20 with it, for about 15-20 % more bytes (bench/encoder_quality.py on scenes 2
# and 9 at 720p30: PSNR 51.5 / 51.4 dB against 50.5 / 51.0, SSIM 0.9995 / 0.9994 against
# 0.9994 / 0.9993).
#
# "superfast" at CRF 25 on one thread (issue 23): libx264 was the largest share of a render
# worker's CPU (26 % at 1080p60, perf). bench/encoder_quality.py --scene log-likelihood
# --seconds 8 (1080p60, 509 frames, luma against the lossless frames; encode CPU incl. the
# RGB->YUV conversion): veryfast/CRF 26/2 threads 9.13 CPU-s, 640 KiB, PSNR 52.39 dB (min
# 47.50), SSIM 0.9995 (min 0.9991); superfast/CRF 25/1 thread 8.09 CPU-s, 783 KiB, 53.55 dB
# (min 49.45), SSIM 0.9996 (min 0.9991): at least as good on all four for 22 % more bytes
# (superfast at CRF 26: min SSIM 0.9990, so 25). One thread also means one slice a frame and
# no frame-thread hand-offs; bench/worker_cpu.py --scene comparing-likelihoods: 49.6 -> 39.3
# worker CPU-s (load 10).
H264_OPTIONS: dict[str, str] = {
    "preset": "superfast",
    "tune": "animation",
    "crf": "25",
    "threads": "1",
    "x264-params": "mbtree=0",
}
# A segment that is one held picture (manim patch 6: its repeats are all-skip P frames, not
# libx264 encodes) gets these options over H264_OPTIONS. libx264 keeps refining a held picture
# in its P frames when it encodes every repeat; a hold written as skip frames shows its first
# frame for the whole hold, so that frame is encoded at a higher quality instead: a larger
# I/P quantizer ratio (ipratio 3.0 for libx264's 1.4: about 6.6 QP lower, for the hold's IDR
# only). ipratio is not in the SPS/PPS, so the hold's parameter sets stay those of every other
# segment (compared byte for byte; the joins need it). bench/held_quality.py, title, 720p30,
# luma against the lossless frames: libx264 encoding every repeat 49.11 dB mean PSNR (46.53
# on the held frames), SSIM 0.99907; skip frames with the project's ipratio 49.02 / 45.79 dB,
# 0.99905 (worse); with ipratio 2.5 49.20 / 46.78 dB, 0.99909; with 3.0 49.55 / 48.96 dB,
# 0.99919, 6 % more bytes.
H264_HOLD_OPTIONS: dict[str, str] = {"x264-params": H264_OPTIONS["x264-params"] + ":ipratio=3.0"}
# Every container written through PyAV (the MP4 remux and joins, the WebM transcode and
# join): bit-exact muxing, so no random Matroska TrackUID/SegmentUID and no library version
# in the files (the same inputs publish the same bytes).
CONTAINER_OPTIONS: dict[str, str] = {"fflags": "+bitexact"}
# MP4 muxer flags for published MP4s: moov atom first, so browsers start playing at once.
MP4_MUXER_OPTIONS: dict[str, str] = {"movflags": "+faststart"}

# VP9 for lecture.webm and clips/*.webm (for browsers without H.264, e.g. Debian Chromium) ---
VP9_CODEC = "libvpx-vp9"
VP9_PIXEL_FORMAT = "yuv420p"
# Constant quality (crf with b=0), realtime deadline at a high cpu-used, row multithreading.
VP9_OPTIONS: dict[str, str] = {
    "deadline": "realtime",
    "cpu-used": "8",
    "row-mt": "1",
    "crf": "32",
    "b": "0",
    "lag-in-frames": "0",
}
# Threads per VP9 encoder (0 = libvpx decides). Workers already run in parallel.
VP9_THREADS = 2
# A keyframe at least every this many seconds of frames libvpx encodes keeps seeking in the
# WebM responsive (libvpx counts the frames it is given: the repeats below are not, and cost
# a seek nothing to decode).
VP9_KEYFRAME_SECONDS = 4
# A held picture's repeats in the WebM (lecture/media.py WebmWriter): not encoded by libvpx but
# written as one-byte VP9 frames with show_existing_frame = 1 naming the reference slot that
# holds the picture shown before (lecture/vp9.py follows libvpx's slots from its packets), so
# they decode to exactly that picture, one frame per frame at the constant rate; a forced
# keyframe is still encoded. Needs every packet out before the next frame goes in
# ("lag-in-frames": "0" above), else libvpx encodes the repeats as before.
VP9_REPEATS_SHOWN = True
# The first repeats of a hold that libvpx still encodes before the rest are shown again: it
# refines a held picture over its first repeats, and the picture shown for the rest of the
# hold is the refined one. bench/held_quality.py --codec vp9 --vp9-refine K (title, 720p30,
# 449 frames, 70 held repeats; luma against the lossless frames): libvpx encoding every repeat
# 49.832 dB mean PSNR (50.778 on the held frames), SSIM 0.99842 (min 0.99647); shown again
# after 0: 49.637 / 49.795 dB, 0.99839; after 1: 49.784 / 50.739, 0.99839; after 2: 49.828 /
# 50.752, 0.99842 (min 0.99647); after 4: the same as after 2.
VP9_REPEATS_ENCODED = 2

# Colour, for both codecs: BT.709 (the HD standard) in full range, every stream tagged so
# (generic AVCodecContext options: written into the H.264 VUI and the VP9 header, and from there
# into the MP4 'colr' box and the WebM Colour element). The RGB-to-YUV conversion uses the same
# matrix: scenes/manim_patches.py converts manim's RGBA frames with the matrix and range the
# stream is tagged with, and the VP9 encoder takes the same YUV frames as they are. Untagged H.264
# converted as BT.601 (PyAV's default) showed the theme's orange (243,134,64) as (254,141,62)
# in Chromium. Full, not limited, range: Chromium's software YUV-to-RGB (libyuv) caps the blue
# coefficient of limited-range BT.709 at 2.0 instead of 2.112, which moves saturated blues by
# up to 6 levels (orange came out (244,135,68)); its full-range BT.709 is exact to a level.
# tests/test_video_colour.py reads Chromium's pixels back for both files.
COLOUR_OPTIONS: dict[str, str] = {
    "colorspace": "bt709",
    "color_primaries": "bt709",
    "color_trc": "bt709",
    "color_range": "pc",
}

# manim's segment pipeline: encodes of finished animations overlapping the next one.
MAX_INFLIGHT_ENCODERS = 2
# Frames manim may queue for a segment's encoder thread (manim's default 8: a 1080p RGBA frame
# is 8.3 MB, and MAX_INFLIGHT_ENCODERS segments may each hold a full queue). Two keep the
# encoder fed (it takes a frame as the renderer draws the next) and bound a worker's memory:
# peak RSS of one worker, height-samples at 1920x1080@15 (sampled every 0.5 s, one run each,
# load 4-5): 836 MB with 8, 753 with 4, 731 and 749 with 2. The frames and bytes are the same.
ENCODER_QUEUE_SIZE = 2


def settings() -> dict[str, object]:
    """All encoder settings as one JSON-ready dict (recorded in the cache key)."""
    return {
        "h264": {"codec": H264_CODEC, "pix_fmt": H264_PIXEL_FORMAT, "options": H264_OPTIONS},
        "h264_hold": H264_HOLD_OPTIONS,
        "mp4_muxer": MP4_MUXER_OPTIONS,
        "colour": COLOUR_OPTIONS,
        "container": CONTAINER_OPTIONS,
        "vp9": {
            "codec": VP9_CODEC,
            "pix_fmt": VP9_PIXEL_FORMAT,
            "options": VP9_OPTIONS,
            "threads": VP9_THREADS,
            "keyframe_seconds": VP9_KEYFRAME_SECONDS,
            "repeats": "show_existing_frame" if VP9_REPEATS_SHOWN else "encoded",
            "repeats_encoded": VP9_REPEATS_ENCODED,
        },
    }


def fingerprint() -> str:
    """A stable hash of :func:`settings`.

    >>> len(fingerprint())
    64
    """
    text = json.dumps(settings(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()

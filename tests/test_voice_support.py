"""Helpers for the voice tests: test signals and audio/video files made with numpy and PyAV.

(A test module so it matches tests/test_voice_*.py; it tests its own helpers once.)
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

RNG_SEED = 9


def speechlike(seconds: float, rate: int, level_db: float = -30.0, seed: int = RNG_SEED) -> np.ndarray:
    """Noise below 4 kHz (where speech and every lossy codec keep their energy) in 4 Hz
    'syllables': a crest factor like speech's, far from any peak limit at -16 LUFS."""
    from scipy.signal import butter, sosfilt

    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 4.0 * t)
    noise = sosfilt(butter(4, [100, 4000], btype="bandpass", fs=rate, output="sos"), rng.standard_normal(t.size))
    noise /= np.sqrt(np.mean(noise**2))
    return (10 ** (level_db / 20) * envelope * noise).astype(np.float32)


def with_silence(sound: np.ndarray, rate: int, lead_s: float, tail_s: float, floor_db: float | None = -80.0,
                 seed: int = RNG_SEED + 1) -> np.ndarray:
    """``sound`` with ``lead_s`` / ``tail_s`` of (near) silence around it (a -80 dBFS hiss)."""
    rng = np.random.default_rng(seed)
    lead, tail = np.zeros(int(lead_s * rate)), np.zeros(int(tail_s * rate))
    if floor_db is not None:
        lead = 10 ** (floor_db / 20) * rng.standard_normal(lead.size)
        tail = 10 ** (floor_db / 20) * rng.standard_normal(tail.size)
    return np.concatenate([lead, sound, tail]).astype(np.float32)


def stereo(mono: np.ndarray) -> np.ndarray:
    """(n, 2): the right channel a little quieter than the left."""
    return np.stack([mono, 0.8 * mono], axis=1)


def write_wav_int16(path: Path, samples: np.ndarray, rate: int) -> Path:
    from scipy.io import wavfile

    wavfile.write(path, rate, np.clip(np.round(samples * 32767), -32768, 32767).astype(np.int16))
    return path


def write_encoded(path: Path, samples: np.ndarray, rate: int, codec: str, fmt: str | None = None) -> Path:
    """``samples`` ((n,) or (n, channels)) encoded with PyAV: flac, libopus, libmp3lame, aac."""
    data = samples if samples.ndim == 2 else samples[:, None]
    channels = data.shape[1]
    planar = np.ascontiguousarray(data.T.astype(np.float32))
    out = av.open(str(path), mode="w", format=fmt)
    stream = out.add_stream(codec, rate=rate, layout="mono" if channels == 1 else "stereo")
    chunk = 1152 if codec == "libmp3lame" else 1024
    for start in range(0, planar.shape[1], chunk):
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planar[:, start:start + chunk]), format="fltp",
                                           layout=stream.layout.name)
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode(None):
        out.mux(packet)
    out.close()
    return path


def write_video(path: Path, frames: int, fps: int, size: int = 64) -> Path:
    """A tiny clip, H.264 in MP4 or VP9 in WebM by the suffix; each frame a different grey."""
    webm = path.suffix == ".webm"
    out = av.open(str(path), mode="w", format="webm" if webm else "mp4")
    if webm:
        stream = out.add_stream("libvpx-vp9", rate=fps, options={"deadline": "realtime", "cpu-used": "8"})
    else:
        stream = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
    stream.width = stream.height = size
    stream.pix_fmt = "yuv420p"
    for i in range(frames):
        image = np.full((size, size, 3), (i * 7) % 256, dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = i
        frame.time_base = Fraction(1, fps)
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)
    out.close()
    return path


@contextmanager
def serving(server):
    """``server`` (a lecture.voice.record.RecordServer) answering on a thread of its own;
    shut down and closed on exit."""
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_helpers_make_what_they_say(tmp_path: Path) -> None:
    x = with_silence(speechlike(1.0, 44100), 44100, 0.5, 0.25)
    assert x.size == int(1.75 * 44100)
    path = write_encoded(tmp_path / "a.flac", stereo(x), 44100, "flac")
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert (stream.codec_context.name, stream.rate, stream.channels) == ("flac", 44100, 2)
    video = write_video(tmp_path / "v.webm", 5, 30)
    with av.open(str(video)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 5


def test_package_exports_load_lazily() -> None:
    import subprocess
    import sys

    import lecture.voice as voice

    assert sorted(voice.__all__) == voice.__all__
    for name in voice.__all__:
        assert getattr(voice, name) is not None
    # a bare import (what a render with nothing to do pays) loads neither numpy nor PyAV
    probe = "import sys, lecture.voice; print('numpy' in sys.modules, 'av' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]

"""lecture/voice/audio.py: decoding, trimming, loudness, mixing, AAC/Opus tracks, joining
clips with audio by packet copy with no drift at any boundary (checked by decoding)."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from lecture.voice import VoiceError, audio
from test_voice_support import speechlike, stereo, with_silence, write_encoded, write_video, write_wav_int16

RATE = audio.RATE


def lufs(samples: np.ndarray) -> float:
    import pyloudnorm

    return float(pyloudnorm.Meter(RATE).integrated_loudness(samples.astype(np.float64)))


def peak_db(samples: np.ndarray) -> float:
    return 20 * np.log10(np.max(np.abs(samples)))


# Decoding ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["wav", "flac", "webm", "mp3", "m4a"])
def test_decode_any_format_to_48k_mono(tmp_path: Path, kind: str) -> None:
    x = stereo(speechlike(1.5, 44100, level_db=-20))
    path = tmp_path / f"a.{kind}"
    if kind == "wav":
        write_wav_int16(path, x, 44100)
    else:
        codec = {"flac": "flac", "webm": "libopus", "mp3": "libmp3lame", "m4a": "aac"}[kind]
        rate = 48000 if kind == "webm" else 44100  # Opus runs at 48 kHz
        write_encoded(path, x if rate == 44100 else stereo(speechlike(1.5, rate, level_db=-20)), rate, codec,
                      fmt="ipod" if kind == "m4a" else None)
    y = audio.decode_audio(path)
    assert y.dtype == np.float32 and y.ndim == 1
    # 1.5 s of sound (plus codec padding: mp3/aac add up to a few tens of ms)
    assert 1.5 * RATE - 50 <= y.size <= 1.5 * RATE + 0.06 * RATE
    assert 20 * np.log10(np.sqrt(np.mean(y**2))) == pytest.approx(-20 - 1, abs=2.5)  # the two channels averaged


def test_trim_cuts_known_silence_and_keeps_margins(tmp_path: Path) -> None:
    sound = speechlike(2.0, 44100, level_db=-25)
    path = write_wav_int16(tmp_path / "a.wav", stereo(with_silence(sound, 44100, 0.8, 1.3)), 44100)
    trimmed, cut_start, cut_end = audio.trim_silence(audio.decode_audio(path))
    margin = audio.TRIM_MARGIN_S
    window = audio.TRIM_WINDOW_S
    assert cut_start == pytest.approx(0.8 - margin, abs=window + 0.002)
    assert cut_end == pytest.approx(1.3 - margin, abs=window + 0.002)
    assert trimmed.size / RATE == pytest.approx(2.0 + 2 * margin, abs=2 * window + 0.004)


def test_trim_of_digital_silence_is_empty() -> None:
    trimmed, _, _ = audio.trim_silence(np.zeros(RATE, np.float32))
    assert trimmed.size == 0


@pytest.mark.parametrize("level_db", [-40.0, -6.0])
def test_normalise_reaches_minus_16_lufs_under_the_peak_limit(level_db: float) -> None:
    x = speechlike(3.0, RATE, level_db=level_db)
    y, info = audio.normalise_loudness(x)
    assert lufs(y) == pytest.approx(-16.0, abs=0.5)
    assert peak_db(y) <= -1.0
    assert not info.peak_limited and info.output_lufs == pytest.approx(-16.0, abs=0.01)


def test_normalise_limits_peaks_and_still_reaches_the_target_when_the_peak_limit_binds() -> None:
    x = speechlike(3.0, RATE, level_db=-30)
    x[RATE] = 0.9  # one click: -16 LUFS by gain alone would put it far above -1 dBFS
    y, info = audio.normalise_loudness(x)
    assert info.peak_limited
    assert peak_db(y) <= -1.0
    assert lufs(y) == pytest.approx(-16.0, abs=0.5) and lufs(y) == pytest.approx(info.output_lufs, abs=0.05)
    # away from the click the signal is only scaled, not distorted
    quiet = slice(RATE + RATE // 2, 2 * RATE)
    gain = float(np.dot(y[quiet], x[quiet]) / np.dot(x[quiet], x[quiet]))
    assert gain > 1 and np.allclose(y[quiet], x[quiet] * gain, atol=1e-3)


def test_short_sound_is_measured() -> None:
    y, info = audio.normalise_loudness(speechlike(0.25, RATE, level_db=-30))
    assert np.isfinite(info.input_lufs) and peak_db(y) <= -1.0


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk" * 40])
def test_empty_or_corrupt_file_is_one_line_error_naming_it(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(VoiceError) as err:
        audio.decode_audio(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


# Mixing -----------------------------------------------------------------------------------
def test_mix_track_places_voices_and_refuses_overlap(tmp_path: Path) -> None:
    a, b = tmp_path / "a.wav", tmp_path / "b.wav"
    audio.write_wav(a, np.full(4800, 0.5, np.float32))
    audio.write_wav(b, np.full(9600, -0.25, np.float32))
    track = audio.mix_track([(1.0, b), (0.5, a)], 2.0)
    assert track.size == 2 * RATE and track.dtype == np.float32
    assert np.all(track[24000:28800] == 0.5) and np.all(track[48000:57600] == -0.25)
    assert not track[:24000].any() and not track[28800:48000].any() and not track[57600:].any()
    with pytest.raises(AssertionError):
        audio.mix_track([(0.5, a), (0.55, b)], 2.0)
    with pytest.raises(AssertionError):
        audio.mix_track([(1.9, b)], 2.0)


# Into clips -------------------------------------------------------------------------------
def _top_level_boxes(path: Path) -> list[str]:
    data, boxes, at = path.read_bytes(), [], 0
    while at + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[at:at + 8])
        boxes.append(name.decode("latin-1"))
        if size == 1:
            size = struct.unpack(">Q", data[at + 8:at + 16])[0]
        at += size if size else len(data)
    return boxes


def _video_packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(video=0) if p.size]


@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_encode_audio_into_clip(tmp_path: Path, suffix: str) -> None:
    video = write_video(tmp_path / f"v{suffix}", 45, 30)
    samples = speechlike(1.2, RATE, level_db=-20)  # shorter than the 1.5 s video: padded
    out = tmp_path / f"out{suffix}"
    if suffix == ".mp4":
        audio.encode_aac_into_mp4(video, samples, out)
    else:
        audio.encode_opus_into_webm(video, samples, out)
    assert _video_packets(out) == _video_packets(video)  # the video is copied as it is
    with av.open(str(out)) as container:
        stream = container.streams.audio[0]
        assert stream.rate == RATE and stream.channels == 1
        if suffix == ".mp4":
            assert stream.codec_context.name == "aac" and stream.profile == "LC"
        else:
            assert stream.codec_context.name == "opus"
    if suffix == ".mp4":
        boxes = _top_level_boxes(out)
        assert boxes.index("moov") < boxes.index("mdat")  # faststart
    track = audio.decode_track(out)
    assert track.size / RATE == pytest.approx(1.5, abs=0.025)
    assert audio.speech_energy(out, 0.1, 1.1) > 0.05
    assert audio.speech_energy(out, 1.25, 1.5) < 1e-3


def _burst_clips(tmp_path: Path, suffix: str, frame_counts: list[int], fps: int) -> list[Path]:
    """Clips whose audio is silent but for a 1 kHz burst in its first 0.1 s."""
    clips = []
    encode = audio.encode_aac_into_mp4 if suffix == ".mp4" else audio.encode_opus_into_webm
    for i, frames in enumerate(frame_counts):
        video = write_video(tmp_path / f"v{i}{suffix}", frames, fps)
        samples = np.zeros(int(round(frames / fps * RATE)), np.float32)
        n = int(0.1 * RATE)
        samples[:n] = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(n) / RATE)
        clip = tmp_path / f"c{i}{suffix}"
        encode(video, samples, clip)
        clips.append(clip)
    return clips


@pytest.mark.parametrize("suffix", [".mp4", ".webm"])
def test_concat_with_audio_has_no_drift_at_any_boundary(tmp_path: Path, suffix: str) -> None:
    fps = 30
    # Durations that are no whole number of AAC (1024) or Opus (960) frames: joined naively,
    # each clip's padding (up to ~2 audio frames) would push the next clip's audio later.
    frame_counts = [37, 53, 41, 29, 61, 43]
    clips = _burst_clips(tmp_path, suffix, frame_counts, fps)
    joined = tmp_path / f"lecture{suffix}"
    placed = audio.concat_with_audio(clips, joined)
    one_frame = 1 / fps

    with av.open(str(joined)) as container:
        video_pts = [float(f.pts * f.time_base) for f in container.decode(video=0)]
    assert len(video_pts) == sum(frame_counts)
    with av.open(str(joined)) as container:
        audio_frames = [(float(f.pts * f.time_base), f.samples) for f in container.decode(audio=0)]
    # the decoded audio is contiguous: each frame starts where the previous one ended
    for (t0, n0), (t1, _) in zip(audio_frames, audio_frames[1:]):
        assert t1 == pytest.approx(t0 + n0 / RATE, abs=0.0015)
    assert audio_frames[-1][0] + audio_frames[-1][1] / RATE == pytest.approx(len(video_pts) / fps, abs=one_frame)

    track = audio.decode_track(joined)
    starts = np.cumsum([0, *frame_counts[:-1]])
    for i, first_frame in enumerate(starts):
        boundary = video_pts[first_frame]  # the clip's first video frame, as decoded
        assert boundary == pytest.approx(first_frame / fps, abs=1e-3)
        # the first decoded audio frame at or after the boundary starts within one video frame
        first_audio = min(t for t, n in audio_frames if t + n / RATE > boundary)
        assert abs(first_audio - boundary) <= one_frame
        # and the clip's own sound (its burst) begins within one video frame of its video
        lo = max(0, int((boundary - 0.05) * RATE))
        onset = lo / RATE + np.flatnonzero(np.abs(track[lo:lo + int(0.2 * RATE)]) > 0.1)[0] / RATE
        assert abs(onset - boundary) <= one_frame, f"clip {i}: audio {onset - boundary:+.4f} s off its video"
        assert abs(placed[i]["audio_start_s"] - placed[i]["video_start_s"]) <= 0.0112
        assert placed[i]["video_start_s"] == pytest.approx(boundary, abs=1e-3)
        # the burst is the clip's, not an echo of the previous one: silence just before
        assert audio.speech_energy(joined, boundary - 0.2, boundary - 0.05) < 1e-3


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="Debian ffprobe not installed")
def test_ffprobe_agrees_on_the_joined_durations(tmp_path: Path) -> None:
    clips = _burst_clips(tmp_path, ".mp4", [37, 53, 41], 30)
    joined = tmp_path / "lecture.mp4"
    audio.concat_with_audio(clips, joined)
    result = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,duration", "-of", "csv=p=0",
                             str(joined)], capture_output=True, text=True, check=True)
    durations = {kind: float(d) for kind, d in (line.split(",") for line in result.stdout.split())}
    assert durations["audio"] == pytest.approx(durations["video"], abs=1 / 30)


def test_concat_refuses_mixed_clips(tmp_path: Path) -> None:
    voiced = _burst_clips(tmp_path, ".mp4", [30], 30)[0]
    silent = write_video(tmp_path / "silent.mp4", 30, 30)
    with pytest.raises(VoiceError, match="silent.mp4"):
        audio.concat_with_audio([voiced, silent], tmp_path / "x.mp4")
    other_rate = write_video(tmp_path / "other.mp4", 30, 25)
    with pytest.raises(VoiceError, match="other.mp4"):
        audio.concat_with_audio([silent, other_rate], tmp_path / "x.mp4")


def test_speech_energy_windows(tmp_path: Path) -> None:
    video = write_video(tmp_path / "v.mp4", 60, 30)
    samples = np.zeros(2 * RATE, np.float32)
    samples[RATE // 2:RATE] = 0.3 * np.sin(2 * np.pi * 440 * np.arange(RATE // 2) / RATE)
    out = tmp_path / "a.mp4"
    audio.encode_aac_into_mp4(video, samples, out)
    assert audio.speech_energy(out, 0.6, 0.9) == pytest.approx(0.3 / np.sqrt(2), rel=0.05)
    assert audio.speech_energy(out, 0.0, 0.45) < 1e-3
    assert audio.speech_energy(out, 1.05, 2.0) < 1e-3

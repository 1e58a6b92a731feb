"""Audio through PyAV, numpy and pyloudnorm (no ffmpeg binary).

Two halves:

- preparing one beat's voice: ``decode_audio`` (any container/codec/rate/channels to
  48 kHz mono float32), ``trim_silence``, ``normalise_loudness`` (-16 LUFS integrated,
  sample peaks at most -1 dBFS, measured by pyloudnorm), ``read_wav`` / ``write_wav``;
- putting voices into the published files: ``mix_track`` (beats on a clip's timeline),
  ``encode_aac_into_mp4`` / ``encode_opus_into_webm`` (the clip's video packets copied,
  an audio track added) and ``concat_with_audio`` (clips joined by packet copy of both
  streams, audio re-placed at every clip's exact video start so nothing drifts).

``speech_energy`` measures a decoded file's audio in a time window (for tests).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from .errors import VoiceError
from .constants import PEAK_DBFS, RATE, SILENCE_DB, TARGET_LUFS, TRIM_MARGIN_S, TRIM_WINDOW_S

MAX_DECODE_S = 600.0     # decoding stops here (a beat may last 60 s: see sources.MAX_BEAT_S)
AAC_BITRATE = 96_000     # per channel
OPUS_BITRATE = 48_000    # per channel
AAC_FRAME = 1024
OPUS_FRAME = 960
BITEXACT = {"fflags": "+bitexact"}  # same inputs, same bytes (no random Matroska track UIDs, no muxer version)


# One beat's voice ------------------------------------------------------------------------
def decode_audio(path: str | Path, rate: int = RATE, max_seconds: float = MAX_DECODE_S,
                 name: str | None = None) -> np.ndarray:
    """The first audio stream of any file PyAV reads, as mono float32 at ``rate``.

    Raises VoiceError (naming the file, or ``name`` if given) for a missing, empty or
    undecodable file, one without audio, one with no samples, or one longer than
    ``max_seconds``.
    """
    path = Path(path)
    where = name or str(path)
    if not path.is_file():
        raise VoiceError(f"{where}: not a file")
    if path.stat().st_size == 0:
        raise VoiceError(f"{where}: empty file")
    chunks: list[np.ndarray] = []
    total = 0
    limit = int(max_seconds * rate)
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise VoiceError(f"{where}: no audio stream")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            for frame in container.decode(stream):
                frame.pts = None  # resample by sample count; timestamps of odd files vary
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total > limit:
                    raise VoiceError(f"{where}: longer than {max_seconds:.0f} s")
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except VoiceError:
        raise
    except (av.FFmpegError, ValueError, OSError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise VoiceError(f"{where}: cannot decode audio ({reason})") from None
    samples = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    if samples.size == 0:
        raise VoiceError(f"{where}: no audio samples (empty or corrupt file)")
    if not np.all(np.isfinite(samples)):
        raise VoiceError(f"{where}: audio holds NaN or infinite samples")
    return samples


def write_wav(path: str | Path, samples: np.ndarray, rate: int = RATE) -> None:
    """A float32 WAV (mono or (n, channels)), written under a temporary name then renamed."""
    from scipy.io import wavfile

    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    wavfile.write(tmp, rate, np.asarray(samples, dtype=np.float32))
    os.replace(tmp, path)


def read_wav(path: str | Path) -> tuple[np.ndarray, int]:
    """A WAV written by ``write_wav`` (or any PCM/float WAV) as float32 and its rate."""
    from scipy.io import wavfile

    rate, data = wavfile.read(Path(path))
    if data.dtype.kind in "iu":
        info = np.iinfo(data.dtype)
        data = (data.astype(np.float64) - (info.max + info.min + 1) / 2) / (info.max + 1)
    return np.asarray(data, dtype=np.float32), int(rate)


def trim_silence(samples: np.ndarray, rate: int = RATE, threshold_db: float = SILENCE_DB,
                 margin_s: float = TRIM_MARGIN_S, window_s: float = TRIM_WINDOW_S) -> tuple[np.ndarray, float, float]:
    """Leading and trailing silence cut: windows of ``window_s`` whose RMS is more than
    ``-threshold_db`` below the loudest window's are silence; ``margin_s`` is kept on each
    side of the sound. Returns (trimmed, seconds cut at the start, seconds cut at the end).
    An all-silent input is returned empty.
    """
    n = samples.size
    window = max(1, int(round(window_s * rate)))
    count = math.ceil(n / window)
    if count == 0:
        return samples, 0.0, 0.0
    padded = np.zeros(count * window, dtype=np.float64)
    padded[:n] = samples
    rms = np.sqrt(np.mean(padded.reshape(count, window) ** 2, axis=1))
    loudest = float(rms.max())
    if loudest <= 0.0:
        return samples[:0], n / rate, 0.0
    loud = np.flatnonzero(rms >= loudest * 10.0 ** (threshold_db / 20.0))
    margin = int(round(margin_s * rate))
    start = max(0, int(loud[0]) * window - margin)
    end = min(n, (int(loud[-1]) + 1) * window + margin)
    return samples[start:end], start / rate, (n - end) / rate


@dataclass(frozen=True)
class Loudness:
    """What ``normalise_loudness`` measured and did."""

    input_lufs: float      # integrated loudness before
    output_lufs: float     # after (the target, or less if the peak limit bound)
    gain_db: float         # applied
    peak_dbfs: float       # sample peak after
    peak_limited: bool     # a limiter took peaks down to stay under PEAK_DBFS

    def as_dict(self) -> dict[str, object]:
        return {"input_lufs": round(self.input_lufs, 2), "output_lufs": round(self.output_lufs, 2),
                "gain_db": round(self.gain_db, 2), "peak_dbfs": round(self.peak_dbfs, 2),
                "peak_limited": self.peak_limited}


def integrated_loudness(samples: np.ndarray, rate: int = RATE) -> float:
    """ITU-R BS.1770 integrated loudness (LUFS) by pyloudnorm; shorter than one 400 ms
    block is measured padded with silence (which the -70 LUFS gate then ignores)."""
    import pyloudnorm

    data = np.asarray(samples, dtype=np.float64)
    block = int(0.4 * rate) + 1
    if data.shape[0] < block:
        pad = np.zeros((block - data.shape[0], *data.shape[1:]))
        data = np.concatenate([data, pad])
    return float(pyloudnorm.Meter(rate).integrated_loudness(data))


def _limit(samples: np.ndarray, rate: int, ceiling_dbfs: float) -> np.ndarray:
    """Peaks above ``ceiling_dbfs`` brought down by a look-ahead-free brickwall limiter
    (pedalboard's, i.e. JUCE's), then any sample still over the ceiling clipped to it."""
    import pedalboard

    limiter = pedalboard.Limiter(threshold_db=ceiling_dbfs, release_ms=60.0)
    out = limiter(np.asarray(samples, dtype=np.float32).reshape(1, -1), rate).reshape(-1)
    ceiling = 10.0 ** (ceiling_dbfs / 20.0)
    return np.clip(out, -ceiling, ceiling).astype(np.float32)


def normalise_loudness(samples: np.ndarray, rate: int = RATE, target_lufs: float = TARGET_LUFS,
                       peak_dbfs: float = PEAK_DBFS) -> tuple[np.ndarray, Loudness]:
    """Bring the integrated loudness (pyloudnorm, ITU-R BS.1770-4) to ``target_lufs`` with
    no sample above ``peak_dbfs``. Where the gain alone would push peaks over the ceiling
    (speech is peaky: espeak-ng always is), a limiter takes the peaks down and the gain is
    re-measured, a few rounds, so the target is still met. Raises ValueError for silence."""
    measured = integrated_loudness(samples, rate)
    if not math.isfinite(measured):
        raise ValueError("silent: no loudness to measure")
    source = np.asarray(samples, dtype=np.float64)
    ceiling = 10.0 ** (peak_dbfs / 20.0)
    gain_db = target_lufs - measured
    limited = False
    out = source
    for _round in range(4):
        out = (source * 10.0 ** (gain_db / 20.0)).astype(np.float32)
        if float(np.max(np.abs(out))) > ceiling * 0.9999:
            out = _limit(out, rate, peak_dbfs - 0.05)
            limited = True
        now = integrated_loudness(out, rate)
        if not math.isfinite(now) or abs(now - target_lufs) <= 0.1 or _round == 3:
            break
        gain_db += target_lufs - now
    out_peak = float(np.max(np.abs(out)))
    output_lufs = integrated_loudness(out, rate)
    return out, Loudness(measured, output_lufs, gain_db, 20.0 * math.log10(out_peak), limited)


# Tracks and files -------------------------------------------------------------------------
def mix_track(placements: Sequence[tuple[float, str | Path]], duration_s: float, rate: int = RATE) -> np.ndarray:
    """A mono float32 track of ``duration_s``: each (start_s, wav) placed at its start,
    silence elsewhere. Voices never overlap (asserted); a voice may not run past the end
    by more than 10 ms (asserted; the last few samples are cut)."""
    length = int(round(duration_s * rate))
    track = np.zeros(length, dtype=np.float32)
    previous_end = 0
    for start_s, path in sorted(placements, key=lambda p: p[0]):
        samples, wav_rate = read_wav(path)
        assert wav_rate == rate, f"{path}: {wav_rate} Hz, expected {rate}"
        if samples.ndim > 1:
            samples = samples.mean(axis=1)
        start = int(round(start_s * rate))
        end = start + samples.size
        assert start >= previous_end, f"{path}: starts at {start_s:.3f} s, before the previous voice ends"
        assert start >= 0 and end <= length + int(0.01 * rate), (
            f"{path}: {start_s:.3f}-{end / rate:.3f} s is outside the track's 0-{duration_s:.3f} s")
        end = min(end, length)
        track[start:end] = samples[: end - start]
        previous_end = start + samples.size
    return track


@dataclass(frozen=True)
class _Video:
    fps: Fraction
    frames: int
    codec: str
    width: int
    height: int
    extradata: bytes

    @property
    def duration(self) -> Fraction:
        return Fraction(self.frames) / self.fps


def _video_info(container: av.container.InputContainer, path: Path) -> _Video:
    if not container.streams.video:
        raise VoiceError(f"{path}: no video stream")
    stream = container.streams.video[0]
    rate = stream.base_rate or stream.guessed_rate or stream.average_rate
    if not rate:
        raise VoiceError(f"{path}: unknown frame rate")
    frames = stream.frames
    if not frames:  # WebM keeps no count: demux a second opening (a seek may skip packets)
        with av.open(str(path)) as again:
            frames = sum(1 for packet in again.demux(again.streams.video[0]) if packet.size)
    ctx = stream.codec_context
    return _Video(Fraction(rate).limit_denominator(1001), int(frames), ctx.name, ctx.width, ctx.height,
                  bytes(ctx.extradata or b""))


def _probe_video(path: Path) -> _Video:
    with av.open(str(path)) as container:
        return _video_info(container, path)


def _planar(samples: np.ndarray) -> np.ndarray:
    """(channels, n) float32 from mono (n,), (n, channels) or (channels, n) with channels <= 2."""
    data = np.asarray(samples, dtype=np.float32)
    if data.ndim == 1:
        return data[None, :]
    if data.ndim == 2 and data.shape[1] in (1, 2) and data.shape[0] > 2:
        return np.ascontiguousarray(data.T)
    if data.ndim == 2 and data.shape[0] in (1, 2):
        return np.ascontiguousarray(data)
    raise ValueError(f"samples of shape {data.shape}: expected mono or stereo")


def _encode_into(video_path: str | Path, samples: np.ndarray, out_path: str | Path, fmt: str, codec: str,
                 frame: int, bitrate: int, rate: int, options: dict[str, str]) -> None:
    video_path, out_path = Path(video_path), Path(out_path)
    planar = _planar(samples)
    channels = planar.shape[0]
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    with av.open(str(video_path)) as src:
        info = _video_info(src, video_path)
        length = int(round(info.duration * rate))
        if planar.shape[1] < length:
            planar = np.pad(planar, ((0, 0), (0, length - planar.shape[1])))
        planar = np.ascontiguousarray(planar[:, :length])
        in_video = src.streams.video[0]
        out = av.open(str(tmp), mode="w", format=fmt, options=options)
        try:
            video = out.add_stream_from_template(template=in_video)
            video.time_base = in_video.time_base
            audio = out.add_stream(codec, rate=rate, layout="mono" if channels == 1 else "stereo")
            audio.bit_rate = bitrate * channels
            audio.time_base = Fraction(1, rate)
            position = 0  # samples encoded so far

            def encode_until(until: int | None) -> None:
                nonlocal position
                stop = length if until is None else min(length, until)
                while position < stop:
                    chunk = planar[:, position:position + frame]
                    audio_frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), format="fltp",
                                                             layout=audio.layout.name)
                    audio_frame.sample_rate = rate
                    audio_frame.pts = position
                    audio_frame.time_base = Fraction(1, rate)
                    for packet in audio.encode(audio_frame):
                        out.mux(packet)
                    position += chunk.shape[1]
                if until is None:
                    for packet in audio.encode(None):
                        out.mux(packet)

            for packet in src.demux(in_video):
                if packet.dts is None and packet.pts is None:
                    continue
                if packet.dts is not None:
                    encode_until(int((packet.dts * in_video.time_base + Fraction(1, 2)) * rate))
                packet.stream = video
                out.mux(packet)
            encode_until(None)
        except BaseException:
            out.close()
            tmp.unlink(missing_ok=True)
            raise
        out.close()
    os.replace(tmp, out_path)


def encode_aac_into_mp4(video_mp4: str | Path, samples: np.ndarray, out_mp4: str | Path, rate: int = RATE,
                        bitrate: int = AAC_BITRATE) -> None:
    """``out_mp4`` = the video packets of ``video_mp4`` as they are + ``samples`` (mono, or
    stereo as (n, 2)/(2, n)) as AAC-LC at ``rate``, faststart. The audio is cut or padded
    with silence to the video's frame-exact duration. ``bitrate`` is per channel."""
    _encode_into(video_mp4, samples, out_mp4, "mp4", "aac", AAC_FRAME, bitrate, rate,
                 {**BITEXACT, "movflags": "+faststart"})


def encode_opus_into_webm(video_webm: str | Path, samples: np.ndarray, out_webm: str | Path, rate: int = RATE,
                          bitrate: int = OPUS_BITRATE) -> None:
    """``out_webm`` = the video packets of ``video_webm`` + ``samples`` as Opus (libopus,
    20 ms frames), cut or padded to the video's duration. ``bitrate`` is per channel."""
    _encode_into(video_webm, samples, out_webm, "webm", "libopus", OPUS_FRAME, bitrate, rate, dict(BITEXACT))


@dataclass(frozen=True)
class _Clip:
    path: Path
    video: _Video
    audio_codec: str | None
    audio_extradata: bytes
    audio_first_pts: Fraction  # seconds (negative: encoder priming / pre-skip)
    audio_frame: Fraction      # seconds of one packet


def _probe_clip(path: Path) -> _Clip:
    with av.open(str(path)) as container:
        video = _video_info(container, path)
        if not container.streams.audio:
            return _Clip(path, video, None, b"", Fraction(0), Fraction(0))
        stream = container.streams.audio[0]
        first = None
        longest = 0
        for packet in container.demux(stream):
            if packet.pts is None or not packet.size:
                continue
            if first is None:
                first = packet.pts
            longest = max(longest, packet.duration or 0)
            if longest and first is not None and packet.pts - first > 4 * longest:
                break
        if first is None:
            raise VoiceError(f"{path}: audio stream without packets")
        ctx = stream.codec_context
        return _Clip(path, video, ctx.name, bytes(ctx.extradata or b""), first * stream.time_base,
                     longest * stream.time_base)


def concat_with_audio(inputs: Sequence[str | Path], out: str | Path) -> list[dict[str, float]]:
    """Join clips (all MP4 or all WebM, same codecs and settings) by packet copy of video
    and audio, into ``out`` (MP4 faststart or WebM, by its suffix).

    Video: each clip's packets shifted by the frame-exact duration of the clips before.
    Audio: packets stay contiguous (no gaps, nothing overlaps), and each clip's audio starts
    where its own first packet belongs on the joined timeline (its video start plus the
    packet's own offset, negative for AAC priming and Opus pre-skip): the previous clip's
    audio is cut at the packet boundary nearest to that point (dropping the overhang the
    encoder's padding adds), so at every boundary audio and video agree within half an
    audio packet (about 11 ms) and no error accumulates. Clips without audio: all of them
    or none. Returns, per clip, its video start and where its audio was placed (seconds).
    """
    paths = [Path(p) for p in inputs]
    if not paths:
        raise VoiceError("nothing to join")
    out = Path(out)
    fmt = {".mp4": "mp4", ".webm": "webm"}.get(out.suffix.lower())
    if fmt is None:
        raise VoiceError(f"{out}: expected a .mp4 or .webm output")
    clips = [_probe_clip(p) for p in paths]
    first = clips[0]
    for clip in clips[1:]:
        v, f = clip.video, first.video
        if (v.codec, v.width, v.height, v.fps, v.extradata) != (f.codec, f.width, f.height, f.fps, f.extradata):
            raise VoiceError(f"cannot join {clip.path.name} to {first.path.name} without re-encoding: "
                             f"video {v.codec} {v.width}x{v.height}@{v.fps} vs {f.codec} {f.width}x{f.height}@{f.fps}"
                             " or other codec parameters")
        if (clip.audio_codec, clip.audio_extradata) != (first.audio_codec, first.audio_extradata):
            raise VoiceError(f"cannot join {clip.path.name} to {first.path.name} without re-encoding: "
                             f"audio {clip.audio_codec or 'none'} vs {first.audio_codec or 'none'} or other settings")
    starts = [Fraction(0)]
    for clip in clips:
        starts.append(starts[-1] + clip.video.duration)
    has_audio = first.audio_codec is not None
    placed: list[dict[str, float]] = []
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    options = {**BITEXACT, "movflags": "+faststart"} if fmt == "mp4" else dict(BITEXACT)
    container = av.open(str(tmp), mode="w", format=fmt, options=options)
    try:
        out_video = out_audio = None
        position = first.audio_first_pts  # where the next audio packet goes (seconds)
        placed_any = False
        for i, clip in enumerate(clips):
            last = i == len(clips) - 1
            # The point this clip's audio must stop nearest to: the next clip's first packet.
            stop_at = starts[i + 1] + (Fraction(0) if last else clips[i + 1].audio_first_pts)
            offset = starts[i]
            if has_audio and i > 0:
                placed[-1]["audio_end_s"] = float(position)
            placed.append({"video_start_s": float(offset),
                           "audio_start_s": float(position - clip.audio_first_pts) if has_audio else float(offset)})
            with av.open(str(clip.path)) as src:
                in_video = src.streams.video[0]
                streams = [in_video]
                if out_video is None:
                    out_video = container.add_stream_from_template(template=in_video)
                    out_video.time_base = in_video.time_base
                in_audio = None
                if has_audio:
                    in_audio = src.streams.audio[0]
                    streams.append(in_audio)
                    if out_audio is None:
                        out_audio = container.add_stream_from_template(template=in_audio)
                        out_audio.time_base = in_audio.time_base
                vtb = out_video.time_base
                frame_ticks = int(round(1 / (clip.video.fps * vtb)))
                audio_done = False
                for packet in src.demux(*streams):
                    if packet.dts is None and packet.pts is None:
                        continue
                    if packet.stream.type == "video":
                        tb = packet.time_base
                        if packet.pts is not None:
                            packet.pts = int(round((packet.pts * tb + offset) / vtb))
                        if packet.dts is not None:
                            packet.dts = int(round((packet.dts * tb + offset) / vtb))
                        packet.duration = frame_ticks
                        packet.time_base = vtb
                        packet.stream = out_video
                        container.mux(packet)
                        continue
                    if audio_done or not packet.size:
                        continue
                    step = clip.audio_frame
                    if position + step / 2 > stop_at:
                        audio_done = True
                        continue
                    atb = out_audio.time_base
                    if i > 0 or placed_any:
                        # Skip-samples side data (Opus pre-skip / end trimming of a clip) says
                        # "drop part of this packet's output": only true at the joined file's
                        # start. A fresh packet holds the bytes without it.
                        keyframe = packet.is_keyframe
                        packet = av.Packet(bytes(packet))
                        packet.is_keyframe = keyframe
                    placed_any = True
                    packet.pts = packet.dts = int(round(position / atb))
                    packet.duration = int(round(step / atb))
                    packet.time_base = atb
                    packet.stream = out_audio
                    container.mux(packet)
                    position += step
                if has_audio and position + clip.audio_frame / 2 <= stop_at:
                    raise VoiceError(f"{clip.path}: its audio ends {float(stop_at - position):.3f} s before its video")
        if has_audio:
            placed[-1]["audio_end_s"] = float(position)
    except BaseException:
        container.close()
        tmp.unlink(missing_ok=True)
        raise
    container.close()
    os.replace(tmp, out)
    return placed


# Measuring --------------------------------------------------------------------------------
def decode_track(path: str | Path, rate: int = RATE) -> np.ndarray:
    """A file's first audio stream decoded to mono float32, each decoded frame placed at
    its own timestamp (so gaps and shifts in a file's timing show)."""
    track = np.zeros(0, dtype=np.float32)
    used = 0
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        for frame in container.decode(stream):
            data = frame.to_ndarray().astype(np.float32)
            if frame.format.is_planar:
                mono = data.mean(axis=0)
            else:
                mono = data.reshape(-1, len(frame.layout.channels)).mean(axis=1)
            if frame.sample_rate != rate:
                raise ValueError(f"{path}: {frame.sample_rate} Hz audio, expected {rate}")
            start = int(round(float(frame.pts * frame.time_base) * rate)) if frame.pts is not None else used
            start = max(start, 0)
            end = start + mono.size
            if end > track.size:  # grow geometrically: a long lecture decodes in linear time
                track = np.concatenate([track, np.zeros(max(end - track.size, track.size), dtype=np.float32)])
            track[start:end] = mono
            used = max(used, end)
    return track[:used]


def speech_energy(path: str | Path, start_s: float, end_s: float) -> float:
    """RMS (linear, full scale = 1) of a file's decoded audio between two times."""
    track = decode_track(path)
    window = track[max(0, int(start_s * RATE)):max(0, int(end_s * RATE))]
    return float(np.sqrt(np.mean(window.astype(np.float64) ** 2))) if window.size else 0.0

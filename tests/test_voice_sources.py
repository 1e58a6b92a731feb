"""Voice sources: --voice parsing, recordings (any format, trimmed, -16 LUFS), espeak-ng in
Korean and English, a TTS command, the disk cache, scene keys, and every bad input as a
one-line VoiceError naming the file or beat."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from lecture.voice import VoiceError, audio
from lecture.voice.command import CommandSource
from lecture.voice.script import Beat
from lecture.voice.sources import VoiceCache, open_voices, parse_voice, scene_voice_key
from test_voice_support import speechlike, stereo, with_silence, write_encoded, write_wav_int16

BEATS = [
    Beat("01-title/intro_say", "title", 1, "intro_say", "자연어처리를 위한 Negative Log Likelihood 강의를 시작합니다.", 4.0),
    Beat("01-title/outline_say", "title", 2, "outline_say", "가능도에서 출발해 로그 가능도까지 살펴봅니다.", 4.7),
    Beat("12-closing/thanks_say", "closing", 6, "thanks_say", "들어 주셔서 감사합니다.", 1.1),
]
EN_BEAT = Beat("01-title/intro_say", "title", 1, "intro_say",
               "Welcome to this lecture on negative log likelihood for natural language processing.", 4.0)
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")


def lufs(path: Path) -> float:
    import pyloudnorm

    samples, rate = audio.read_wav(path)
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


def assert_one_line(err: pytest.ExceptionInfo, *parts: str) -> None:
    message = str(err.value)
    assert "\n" not in message, message
    for part in parts:
        assert part in message, message


def record(root: Path, beat_id: str, kind: str, seconds: float = 1.0, lead: float = 0.3, tail: float = 0.4,
           lang: str = "ko", level_db: float = -28.0) -> Path:
    """A recording of ``seconds`` of sound with known silence around it, 44.1 kHz stereo
    (Opus: 48 kHz), as wav / flac / webm (Opus)."""
    stem, name = beat_id.split("/")
    folder = root / lang / stem
    folder.mkdir(parents=True, exist_ok=True)
    rate = 48000 if kind == "webm" else 44100
    samples = stereo(with_silence(speechlike(seconds, rate, level_db=level_db), rate, lead, tail))
    path = folder / f"{name}.{kind}"
    if kind == "wav":
        return write_wav_int16(path, samples, rate)
    return write_encoded(path, samples, rate, {"flac": "flac", "webm": "libopus"}[kind])


# Parsing ----------------------------------------------------------------------------------
def test_parse_voice() -> None:
    assert parse_voice("none").silent
    assert parse_voice("espeak").kind == "espeak"
    spec = parse_voice("recorded:rec", "espeak")
    assert spec.kind == "recorded" and Path(spec.argument).is_absolute() and spec.fallback == "espeak"
    assert parse_voice("command:say -o {out} < {text}").argument == "say -o {out} < {text}"
    for bad in ("loud", "recorded:", "espeak:x", "command:cat {text}"):
        with pytest.raises(VoiceError) as err:
            parse_voice(bad)
        assert_one_line(err, "--voice")
    with pytest.raises(VoiceError, match="only applies"):
        parse_voice("espeak", "none")


# Recordings -------------------------------------------------------------------------------
def test_recordings_of_any_format_are_trimmed_and_normalised(tmp_path: Path) -> None:
    root = tmp_path / "rec"
    lengths = {"01-title/intro_say": ("wav", 1.2, 0.5, 0.9), "01-title/outline_say": ("flac", 2.0, 0.25, 0.6),
               "12-closing/thanks_say": ("webm", 0.8, 0.4, 0.3)}
    for beat_id, (kind, seconds, lead, tail) in lengths.items():
        record(root, beat_id, kind, seconds, lead, tail)
    plan = open_voices(parse_voice(f"recorded:{root}"), "ko", BEATS, tmp_path / "cache")
    assert plan.counts() == {"recorded": 3}
    assert plan.summary() == "voices: 3 recorded"
    for beat in BEATS:
        kind, seconds, lead, tail = lengths[beat.id]
        voice = plan.voice(beat)
        assert voice.source == "recorded" and voice.origin.endswith(f"{beat.key}.{kind}")
        samples, rate = audio.read_wav(voice.path)
        assert rate == 48000 and samples.ndim == 1 and samples.dtype == np.float32
        # the sound, plus the kept 50 ms margins (to one 10 ms analysis window each side;
        # Opus smears a sound's edges over about one 20 ms frame)
        tolerance = 0.025 if kind != "webm" else 0.045
        assert voice.duration_s == pytest.approx(seconds + 2 * audio.TRIM_MARGIN_S, abs=tolerance)
        assert voice.trimmed_start_s == pytest.approx(lead - audio.TRIM_MARGIN_S, abs=tolerance)
        assert lufs(voice.path) == pytest.approx(-16.0, abs=0.5)
        assert 20 * np.log10(np.abs(samples).max()) <= -1.0
        assert not voice.loudness.peak_limited and not voice.cached
    assert all(plan.voice(beat).cached for beat in BEATS)  # the second time: from the cache


def test_replaced_recording_changes_key_and_voice(tmp_path: Path) -> None:
    root = tmp_path / "rec"
    for beat in BEATS:
        record(root, beat.id, "wav")
    spec = parse_voice(f"recorded:{root}")
    plan = open_voices(spec, "ko", BEATS, tmp_path / "cache")
    before = plan.key(BEATS[0]), scene_voice_key(spec, "ko", "01-title"), scene_voice_key(spec, "ko", "12-closing")
    first = plan.voice(BEATS[0])
    record(root, BEATS[0].id, "wav", seconds=1.7)
    plan = open_voices(spec, "ko", BEATS, tmp_path / "cache")
    after = plan.key(BEATS[0]), scene_voice_key(spec, "ko", "01-title"), scene_voice_key(spec, "ko", "12-closing")
    assert after[0] != before[0] and after[1] != before[1]
    assert after[2] == before[2]  # the other scene keeps its key
    second = plan.voice(BEATS[0])
    assert not second.cached and second.duration_s > first.duration_s + 0.6


def test_missing_recordings_listed_in_one_error_or_filled_by_the_fallback(tmp_path: Path) -> None:
    root = tmp_path / "rec"
    record(root, BEATS[1].id, "wav")
    with pytest.raises(VoiceError) as err:
        open_voices(parse_voice(f"recorded:{root}"), "ko", BEATS, tmp_path / "cache")
    assert_one_line(err, "2 of 3 beats", "01-title/intro_say", "12-closing/thanks_say", "--voice-fallback")
    assert "outline_say" not in str(err.value)
    plan = open_voices(parse_voice(f"recorded:{root}", "none"), "ko", BEATS, tmp_path / "cache")
    assert plan.counts() == {"none": 2, "recorded": 1}
    assert plan.summary() == "voices: 1 recorded, 2 silent (fallback)"
    silent = plan.voice(BEATS[0])
    assert silent.source == "none" and silent.path is None and silent.duration_s == 0.0
    if shutil.which("espeak-ng"):
        plan = open_voices(parse_voice(f"recorded:{root}", "espeak"), "ko", BEATS, tmp_path / "cache")
        assert plan.counts() == {"espeak": 2, "recorded": 1}
        assert plan.voice(BEATS[2]).source == "espeak"


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ({"01-title/intro_sya.wav": "wav"}, ("intro_sya.wav", "closest: 01-title/intro_say")),
        ({"1-title/intro_say.wav": "wav"}, ("1-title", "closest: 01-title")),
        ({"intro_say.wav": "wav"}, ("intro_say.wav", "outside a scene folder")),
        ({"01-title/intro_say.wav": "wav", "01-title/intro_say.flac": "flac"}, ("two recordings", "intro_say.flac")),
    ],
)
def test_misnamed_recordings_are_errors_naming_the_closest_beat(tmp_path: Path, layout: dict[str, str],
                                                                 expected: tuple[str, ...]) -> None:
    root = tmp_path / "rec"
    for beat in BEATS:
        record(root, beat.id, "wav")
    for relative, kind in layout.items():
        path = root / "ko" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        write_wav_int16(path, speechlike(0.5, 44100), 44100) if kind == "wav" else write_encoded(
            path, speechlike(0.5, 44100), 44100, "flac")
    with pytest.raises(VoiceError) as err:
        open_voices(parse_voice(f"recorded:{root}", "none"), "ko", BEATS, tmp_path / "cache")
    assert_one_line(err, *expected)


def test_other_files_and_unvoiced_scenes_are_ignored(tmp_path: Path) -> None:
    root = tmp_path / "rec"
    for beat in BEATS:
        record(root, beat.id, "wav")
    (root / "ko" / "01-title" / "notes.txt").write_text("take 3 was best")
    (root / "ko" / "01-title" / ".intro_say.wav.swp").write_bytes(b"x")
    (root / "ko" / "09-phone-os").mkdir()
    (root / "ko" / "09-phone-os" / "typo_sya.wav").write_bytes(b"not looked at: scene 9 is not rendered")
    plan = open_voices(parse_voice(f"recorded:{root}"), "ko", BEATS, tmp_path / "cache")
    assert plan.counts() == {"recorded": 3}


def test_recording_folder_that_is_not_a_folder(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "rec.wav"
    not_a_folder.write_bytes(b"RIFF")
    for root, reason in ((not_a_folder, "not a folder"), (tmp_path / "nowhere", "no such folder")):
        with pytest.raises(VoiceError) as err:
            open_voices(parse_voice(f"recorded:{root}", "none"), "ko", BEATS, tmp_path / "cache")
        assert_one_line(err, str(root), reason)


@pytest.mark.parametrize("case", ["empty", "corrupt", "silent", "too long"])
def test_bad_recordings_are_one_line_errors_naming_the_file(tmp_path: Path, case: str) -> None:
    root = tmp_path / "rec"
    for beat in BEATS:
        record(root, beat.id, "wav")
    path = root / "ko" / "01-title" / "intro_say.wav"
    if case == "empty":
        path.write_bytes(b"")
    elif case == "corrupt":
        path.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 8)
    elif case == "silent":
        write_wav_int16(path, np.zeros(44100), 44100)
    else:
        write_wav_int16(path, speechlike(61.0, 16000, level_db=-20), 16000)
    plan = open_voices(parse_voice(f"recorded:{root}"), "ko", BEATS, tmp_path / "cache")
    with pytest.raises(VoiceError) as err:
        plan.voice(BEATS[0])
    reason = {"empty": "empty file", "corrupt": "", "silent": "silent", "too long": "longer than the 60 s"}[case]
    assert_one_line(err, str(path), reason)


# espeak -----------------------------------------------------------------------------------
@needs_espeak
@pytest.mark.parametrize(("lang", "beat"), [("ko", BEATS[0]), ("en", EN_BEAT)])
def test_espeak_speaks_korean_and_english(tmp_path: Path, lang: str, beat: Beat) -> None:
    plan = open_voices(parse_voice("espeak"), lang, [beat], tmp_path / "cache")
    voice = plan.voice(beat)
    assert voice.source == "espeak" and voice.origin.startswith("espeak-ng ")
    assert 2.0 < voice.duration_s < 12.0
    assert audio.speech_energy(voice.path, 0.0, voice.duration_s) > 0.03
    samples, _ = audio.read_wav(voice.path)
    assert 20 * np.log10(np.abs(samples).max()) <= -1.0
    # espeak's peaks are high for its loudness: the limiter takes them down, -16 LUFS is met
    assert lufs(voice.path) == pytest.approx(-16.0, abs=0.5)
    assert lufs(voice.path) == pytest.approx(voice.loudness.output_lufs, abs=0.05)
    again = open_voices(parse_voice("espeak"), lang, [beat], tmp_path / "cache").voice(beat)
    assert again.cached and again.path == voice.path


@needs_espeak
def test_the_korean_voice_says_a_minus_sign_in_korean(tmp_path: Path, monkeypatch) -> None:
    """The caption writes "−784.3137" (the screen's minus sign); espeak-ng's Korean voice
    read it in English ("(en) minus") and dropped a hyphen, so "-1을 곱해" was "일을 곱해"."""
    import subprocess

    from lecture.voice import espeak

    line = "기울기는 −784.3137에서 −3.9959로 줄었고, 로그 가능도에 -1을 곱해 1 − p를 봅니다."
    spoken = espeak.spoken_text(line, "ko")
    assert spoken == "기울기는 마이너스 784.3137에서 마이너스 3.9959로 줄었고, 로그 가능도에 마이너스 1을 곱해 1 빼기 p를 봅니다."
    assert espeak.spoken_text("손실 −log p, log(1−p)", "ko") == "손실 마이너스 log p, log(1 빼기 p)"
    assert espeak.spoken_text("smallest: −1232.40, 1 − p", "en") == "smallest: −1232.40, 1 − p"  # read "minus"
    phonemes = subprocess.run(["espeak-ng", "-q", "-x", "-v", "ko", spoken], capture_output=True, text=True).stdout
    assert "(en)m'aIn@s" not in phonemes and phonemes.count("ma'in@s") == 3  # Korean "마이너스", not English
    # and it is what the voice is made from
    written = []

    def run(command, **kwargs):
        written.append(Path(command[command.index("-f") + 1]).read_text(encoding="utf-8"))
        raise subprocess.TimeoutExpired(command, 0)

    monkeypatch.setattr(espeak.subprocess, "run", run)
    with pytest.raises(VoiceError):
        espeak.EspeakSource(VoiceCache(tmp_path / "cache")).produce("08-x/value_say", "ko", line, tmp_path)
    assert written == [spoken + "\n"]


# TTS command ------------------------------------------------------------------------------
def _tone_wav(tmp_path: Path) -> Path:
    return write_wav_int16(tmp_path / "tone.wav", stereo(with_silence(speechlike(1.0, 22050), 22050, 0.2, 0.2)), 22050)


def test_command_runs_once_per_line_and_sees_text_and_lang(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    template = f"cat {{text}} >> {log}; echo {{lang}} >> {log}; cp {_tone_wav(tmp_path)} {{out}}"
    spec = parse_voice(f"command:{template}")
    plan = open_voices(spec, "ko", BEATS, tmp_path / "cache")
    first = plan.voice(BEATS[0])
    assert first.source == "command" and not first.cached
    assert lufs(first.path) == pytest.approx(-16.0, abs=0.5)
    assert log.read_text(encoding="utf-8") == BEATS[0].text + "\nko\n"
    plan = open_voices(spec, "ko", BEATS, tmp_path / "cache")
    assert plan.voice(BEATS[0]).cached
    assert log.read_text(encoding="utf-8").count("\n") == 2  # not run again
    plan.voice(BEATS[1])
    assert log.read_text(encoding="utf-8").count("\n") == 4  # a new line runs it
    assert scene_voice_key(spec, "ko", "01-title", ["a"]) != scene_voice_key(spec, "ko", "01-title", ["b"])
    assert scene_voice_key(spec, "ko", "01-title", ["a"]) != scene_voice_key(spec, "en", "01-title", ["a"])
    assert scene_voice_key("none", "ko", "01-title", ["a"]) == ""


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("echo 'model ko.onnx not found' >&2; exit 3 # {out}", "failed (exit status 3): model ko.onnx not found"),
        ("true {out}", "wrote nothing"),
        (": > {out}", "wrote nothing"),
        ("echo garbage > {out}", "cannot decode"),
        ("sleep 30; cp x {out}", "timed out after 0.5 s"),
    ],
)
def test_failing_command_is_one_line_error_naming_the_beat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          template: str, reason: str) -> None:
    monkeypatch.setattr(CommandSource, "timeout_s", 0.5)
    plan = open_voices(parse_voice(f"command:{template}"), "ko", BEATS, tmp_path / "cache")
    with pytest.raises(VoiceError) as err:
        plan.voice(BEATS[2])
    assert_one_line(err, "beat 12-closing/thanks_say", reason)
    assert not list((tmp_path / "cache").glob("*.json"))  # nothing cached


def test_cache_entry_without_its_wav_is_redone(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    spec = parse_voice(f"command:echo run >> {log}; cp {_tone_wav(tmp_path)} {{out}}")
    plan = open_voices(spec, "ko", BEATS, tmp_path / "cache")
    voice = plan.voice(BEATS[0])
    voice.path.unlink()
    assert VoiceCache(tmp_path / "cache").get(voice.key, BEATS[0].id) is None
    assert not plan.voice(BEATS[0]).cached and log.read_text().count("run") == 2

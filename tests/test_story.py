"""Issue 17: the data's story. The data file's story keys, their errors, Korean particles,
English counts, the script and the scenes' screen text for a named story, no story and the
deck's data, and the gate rule against the deck's story in other data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from mathcore import DataError, load_data, load_data_text, snapshot_text, story_hint, story_words
from mathcore.korean import josa
from mathcore.story import en_article, en_plural, en_singular

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


# Korean particles -------------------------------------------------------------------------
PARTICLE_TABLE = [
    # (word, 을/를, 이/가, 은/는, 과/와, 으로/로)
    ("체중", "을", "이", "은", "과", "으로"),       # final ㅇ
    ("키", "를", "가", "는", "와", "로"),            # no final
    ("시험 결과", "를", "가", "는", "와", "로"),     # no final, two words
    ("응시자", "를", "가", "는", "와", "로"),
    ("합격", "을", "이", "은", "과", "으로"),       # final ㄱ
    ("서울", "을", "이", "은", "과", "로"),         # ㄹ takes 로
    ("반응 시간", "을", "이", "은", "과", "으로"),
    ("Yes", "를", "가", "는", "와", "로"),          # 예스
    ("No", "를", "가", "는", "와", "로"),           # 노
    ("Android", "를", "가", "는", "와", "로"),      # 안드로이드
    ("iOS", "를", "가", "는", "와", "로"),          # 아이오에스
    ("Apple", "을", "이", "은", "과", "로"),        # 애플: ㄹ
    ("phone", "을", "이", "은", "과", "으로"),      # 폰
    ("team", "을", "이", "은", "과", "으로"),       # 팀
    ("URL", "을", "이", "은", "과", "로"),          # 유알엘
    ("PC", "를", "가", "는", "와", "로"),           # 피시
    ("7", "을", "이", "은", "과", "로"),            # 칠: ㄹ
    ("3", "을", "이", "은", "과", "으로"),          # 삼
    ("2", "를", "가", "는", "와", "로"),            # 이
    ("10", "을", "이", "은", "과", "으로"),         # 십
    ("100", "을", "이", "은", "과", "으로"),        # 백
    ("10000", "을", "이", "은", "과", "으로"),      # 만
    ("0.25", "를", "가", "는", "와", "로"),         # 영점이오
    ("1,140", "을", "이", "은", "과", "으로"),      # 천백사십
    ("합격 55", "를", "가", "는", "와", "로"),      # mixed: 오십오
    ("7번", "을", "이", "은", "과", "으로"),        # counter
    ("3개", "를", "가", "는", "와", "로"),
    ("14 kg", "을", "이", "은", "과", "으로"),      # 십사 킬로그램
    ("합격(pass)", "을", "이", "은", "과", "으로"),  # the parenthetical is not read
    ("'예'", "를", "가", "는", "와", "로"),         # quotes
    ("θ₃", "을", "이", "은", "과", "으로"),         # 세타 삼 (subscript digits)
    ("θ₂", "를", "가", "는", "와", "로"),           # 세타 이
    ("1.2 × 10⁻⁵", "을", "이", "은", "과", "으로"),  # 10의 -5제곱
]


@pytest.mark.parametrize("row", PARTICLE_TABLE, ids=[row[0] for row in PARTICLE_TABLE])
def test_korean_particles_follow_the_final_sound(row) -> None:
    word, *expected = row
    asked = ("을", "이", "은", "과", "으로")
    assert [josa(word, p) for p in asked] == expected
    # either form may be asked for
    assert [josa(word, p) for p in ("를", "가", "는", "와", "로")] == expected


def test_an_unreadable_ending_gets_both_forms() -> None:
    assert josa("漢字", "을") == "을(를)"


# English counts and articles --------------------------------------------------------------
def test_english_plurals_singulars_and_articles() -> None:
    assert [en_plural(w) for w in ("exam result", "coin toss", "family", "passer-by")] == \
        ["exam results", "coin tosses", "families", "passers-by"]
    assert [en_singular(w) for w in ("candidates", "coin tosses", "people", "passers-by")] == \
        ["candidate", "coin toss", "person", "passer-by"]
    assert [en_article(w) for w in ("exam result", "body weight", "hour", "unit")] == ["an", "a", "an", "a"]
    words = story_words(load_data(DATA / "story_exam.toml"), "en")
    assert (words.count(1), words.count(55)) == ("1 candidate", "55 candidates")
    assert words.as_fields()["a_b_measure"] == "an exam result"


# The data file's keys ---------------------------------------------------------------------
def test_the_story_keys_load_and_survive_a_snapshot() -> None:
    data = load_data(DATA / "story_exam.toml")
    assert (data.heights.measure.ko, data.heights.measure.en) == ("체중", "body weight")
    assert (data.binary.subjects.ko, data.binary.subjects.en, data.binary.counter) == ("응시자", "candidates", "명")
    again = load_data_text(snapshot_text(data), "snapshot.toml")
    assert (again.heights, again.binary) == (data.heights, data.binary)
    plain = load_data_text('[binary]\nmeasure = "result"\n', "x.toml")
    assert (plain.binary.measure.ko, plain.binary.measure.en) == ("result", "result")
    one = load_data_text('[heights]\nmeasure = { en = "weight" }\n', "x.toml")
    assert (one.heights.measure.ko, one.heights.measure.en) == ("weight", "weight")


BAD_VALUES = [
    ('[heights]\nmeasure = ""\n', "heights.measure", "expected non-empty text"),
    ('[heights]\nmeasure = "\\u200b\\u200b"\n', "heights.measure", "only invisible characters"),
    ('[binary]\nmeasure = "' + "가" * 41 + '"\n', "binary.measure", "at most 40 characters"),
    ('[binary]\nsubjects = "people 😀"\ncounter = "명"\n', "binary.subjects", "emoji"),
    ('[binary]\nmeasure = { ko = "결과", fr = "résultat" }\n', "binary.measure", 'key "fr"'),
    ('[binary]\nmeasure = {}\n', "binary.measure", "an empty table"),
    ('[binary]\nmeasure = { ko = "" }\n', "binary.measure.ko", "expected non-empty text"),
    ('[binary]\nmeasure = { en = "a\\nb" }\n', "binary.measure.en", "breaks the line"),
    ('[binary]\ncounter = "people"\n', "binary.counter", "one or two Hangul syllables"),
    ('[binary]\ncounter = "사람들"\n', "binary.counter", "one or two Hangul syllables"),
    ('[binary]\ncounter = { ko = "명" }\n', "binary.counter", "expected text"),
    ('[binary]\nsubjects = "응시자"\n', "binary.counter", "missing: with subjects"),
    ('[binary]\nmeasure = 3\n', "binary.measure", "expected text"),
]


@pytest.mark.parametrize(("text", "key", "message"), BAD_VALUES, ids=[row[1] + "-" + str(i) for i, row in enumerate(BAD_VALUES)])
def test_a_bad_story_value_is_one_error_naming_the_key(text, key, message) -> None:
    try:
        load_data_text(text, "data.toml")
    except DataError as err:
        assert err.key == key, str(err)
        assert message in str(err), str(err)
        assert "\n" not in str(err)
    else:
        pytest.fail(f"accepted {text!r}")


def test_the_cli_refuses_a_bad_counter_with_exit_2(tmp_path) -> None:
    path = tmp_path / "data.toml"
    path.write_text('[binary]\ncounter = "people"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "lecture.cli", "compute", "--data", str(path)],
                          capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f'error: {path}: binary.counter: expected a Korean counter of one or two '
                                                f'Hangul syllables (명, 번, 개, 마리, ...), got "people"']


# Modes and the hint -----------------------------------------------------------------------
def test_modes_and_the_hint_line() -> None:
    deck, named, neutral = (load_data(None), load_data(DATA / "story_exam.toml"), load_data(DATA / "story_none.toml"))
    assert (story_words(deck, "ko").heights_mode, story_words(deck, "ko").binary_mode) == ("deck", "deck")
    assert (story_words(named, "en").heights_mode, story_words(named, "en").binary_mode) == ("named", "named")
    assert (story_words(neutral, "ko").heights_mode, story_words(neutral, "ko").binary_mode) == ("neutral", "neutral")
    assert story_words(deck, "ko").count(10) == "10명" and story_words(neutral, "ko").count(20) == "20번"
    assert story_hint(deck) is None and story_hint(named) is None
    hint = story_hint(neutral)
    assert hint.startswith("hint: ") and "[heights] measure" in hint and "[binary] measure, subjects, counter" in hint
    assert "\n" not in hint
    # the deck's samples with other counts: only [binary] is hinted at
    partial = load_data_text("[binary]\ncounts = [3, 17]\n", "x.toml")
    assert "[heights]" not in story_hint(partial) and "[binary]" in story_hint(partial)


def test_compute_prints_the_hint_once_on_stderr() -> None:
    done = subprocess.run([sys.executable, "-m", "lecture.cli", "compute", "--data", str(DATA / "story_none.toml")],
                          capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0
    assert [line for line in done.stderr.splitlines() if line.startswith("hint:")] == [done.stderr.strip()]
    named = subprocess.run([sys.executable, "-m", "lecture.cli", "compute", "--data", str(DATA / "story_exam.toml")],
                           capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert named.returncode == 0 and "hint:" not in named.stderr


# The gate rule ----------------------------------------------------------------------------
def test_the_gate_rule_finds_the_decks_story_in_other_data() -> None:
    from lecture.check.story import story_problems, story_record

    neutral = load_data(DATA / "story_none.toml")
    record = story_record(neutral, "ko")
    beats = [[0, 3000, "길 가는 사람 20명의 핸드폰 운영체제를 조사했습니다."]]
    layout = [{"time_s": 3.0, "texts": [{"text": "예제: 핸드폰 운영체제 점유율"}]}]
    problems = story_problems(record, beats, layout)
    words = sorted({re.search(r"story word '([^']+)'", message).group(1) for _at, message in problems})
    assert words == ["길 가는 사람", "운영체제", "점유율", "핸드폰"]
    assert story_problems(record, [[0, 3000, "관측 20번 중 3번이 'Yes'입니다."]], []) == []
    # English, and the deck's own data: nothing to flag there
    en = story_record(neutral, "en")
    assert story_problems(en, [[0, 1000, "We asked 20 passers-by which operating system their phone runs."]], [])
    assert story_problems(story_record(load_data(None), "en"),
                          [[0, 1000, "We asked 10 passers-by which operating system their phone runs."]], []) == []
    # heights are the deck's, counts are not: 키 표본 is fine, 핸드폰 is not
    partial = story_record(load_data_text("[binary]\ncounts = [3, 17]\n", "x.toml"), "ko")
    found = story_problems(partial, [[0, 1000, "키 표본 10개와 핸드폰"]], [])
    assert [re.search(r"story word '([^']+)'", m).group(1) for _a, m in found] == ["핸드폰"]
    # a user whose own story is about phones may say so
    phones = story_record(load_data_text('[binary]\ncounts = [3, 17]\nmeasure = "핸드폰 제조사"\n', "x.toml"), "ko")
    assert story_problems(phones, [[0, 1000, "핸드폰 제조사를 모았습니다."]], []) == []


# The script and the scenes' screen text, per story ---------------------------------------
STORY_SCENES = ("title", "likelihood-discrete", "height-samples", "phone-os")

# (data file, lang): what the script and the screen must say, and must not
EXPECTED = {
    ("story_exam.toml", "ko"): {
        "screen": ["체중 표본 14개 (kg)", "응시자 100명의 시험 결과", "관측: 100명 중 55명이 합격",
                   "예제: 응시자 100명의 시험 결과", "55명", "비율 추정값", "k = 합격인 응시자 수"],
        "script": ["예제로는 체중 표본 14개와, 응시자 100명의 시험 결과를 함께 사용합니다.",
                   "응시자 100명 중 55명의 시험 결과가 '합격'입니다.", "관측한 체중 표본 14개를",
                   "응시자 100명의 시험 결과를 모았습니다.", "응시자 한 명의 시험 결과가 합격일 확률을 p라고 하면",
                   "100명 중 55명을 고르는", "이것이 합격 비율의 추정값입니다."]},
    ("story_exam.toml", "en"): {
        "screen": ["14 body weight samples (kg)", "Exam results of 100 candidates", "Observed: 합격 for 55 of 100 candidates",
                   "Example: exam results of 100 candidates", "estimated proportion", "k = count of 합격"],
        "script": ["14 body weight samples, and the exam results of 100 candidates.",
                   "Of 100 candidates, 55 had the exam result 합격.", "Here are 14 observed body weight samples",
                   "The exam result was 합격 for 55 and 불합격 for 45.", "our estimate of the proportion of 합격."]},
    ("story_none.toml", "ko"): {
        "screen": ["표본 14개 (kg)", "결과가 둘 중 하나인 관측 20번", "관측: 20번 중 3번이 Yes", "예제: Yes의 비율", "3번", "k = Yes인 관측 수"],
        "script": ["예제로는 표본 14개와, 결과가 둘 중 하나인 관측 20번을 함께 사용합니다.",
                   "관측해 보니 20번 중 3번이 'Yes'입니다.", "결과가 Yes와 No 두 가지뿐인 관측을 20번 했습니다.",
                   "관측 한 번의 결과가 Yes일 확률을", "20번 중 3번을 고르는", "이것이 Yes 비율의 추정값입니다."]},
    ("story_none.toml", "en"): {
        "screen": ["14 samples (kg)", "20 observations with two outcomes", "Observed: Yes for 3 of 20 observations",
                   "Example: the proportion of Yes"],
        "script": ["14 samples, and 20 observations with two possible outcomes.", "Yes came up in 3 of 20 observations.",
                   "We have 20 observations, each either Yes or No.", "The outcome was Yes for 3 and No for 17."]},
    (None, "ko"): {
        "screen": ["키 표본 10개 (cm)", "길 가는 사람 10명의 핸드폰 운영체제", "관측: 10명 중 7명이 Android",
                   "예제: 핸드폰 운영체제 점유율", "점유율 추정값", "k = Android 사용자 수"],
        "script": ["예제로는 키 표본 10개와, 길 가는 사람 10명의 핸드폰 운영체제 조사를 함께 사용합니다.",
                   "관측해 보니 10명 중 7명이 'Android'입니다.", "길 가는 사람 10명의 핸드폰 운영체제를 조사했습니다.",
                   "한 사람이 Android일 확률을", "이것이 Android 점유율의 추정값입니다."]},
    (None, "en"): {
        "screen": ["10 heights (cm)", "Phone OS of 10 passers-by", "Observed: 7 of 10 use Android",
                   "Example: phone OS share", "estimated share", "k = number of Android users"],
        "script": ["10 height measurements, and the phone operating systems of 10 passers-by.",
                   "We asked 10 people, and 7 of them use Android.", "We asked 10 passers-by which operating system their phone runs.",
                   "our estimate of the Android share."]},
}
NEVER = {
    "ko": ["핸드폰", "운영체제", "길 가는 사람", "점유율", "키 표본", "을(를)", "이(가)"],
    "en": ["phone", "Phone", "operating system", "passers-by", "heights (", "height measurement", "share",
           "1 candidates", "1 observations"],
}


def _screen_texts(scene) -> list[str]:
    return [item["text"] for beat in scene.layout_beats for item in beat["texts"]]


@pytest.mark.slow
@pytest.mark.parametrize(("data_file", "lang"), list(EXPECTED), ids=[f"{d or 'deck'}-{lang}" for d, lang in EXPECTED])
def test_the_scenes_say_the_datas_story(data_file, lang, monkeypatch, manim_config) -> None:
    """Screen texts (every text at every beat's end) and narration of the scenes that tell the
    story, in a fast dry run; the deck's story words never where the data are not the deck's."""
    from scene_checks import run_scene, use_lecture
    from scenes import SCENES_BY_ID

    from lecture.check.story import story_problems, story_record

    use_lecture(monkeypatch, lang, data_file)
    screen, narration, problems = [], [], []
    for scene_id in STORY_SCENES:
        scene = run_scene(SCENES_BY_ID[scene_id])
        texts = _screen_texts(scene)
        captions = [sub.content for sub in scene.renderer.file_writer.subcaptions]
        screen += texts
        narration += captions
        beats = [[0, 1, text] for text in captions]
        problems += story_problems(story_record(scene.data, lang), beats, scene.layout_beats)
    expected = EXPECTED[(data_file, lang)]
    shown, said = "\n".join(screen), "\n".join(narration)
    for text in expected["screen"]:
        assert text in shown, f"not on screen: {text!r}\n{shown}"
    for text in expected["script"]:
        assert text in said, f"not narrated: {text!r}\n{said}"
    assert problems == []
    assert "{" not in said and "}" not in said  # every field filled
    if data_file is not None:
        for word in NEVER[lang]:
            assert word not in shown and word not in said, f"{word!r} in a lecture with other data"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_script_command_tells_the_story(lang) -> None:
    """`nll-lecture script` (the beats every voice and caption come from) with a named story."""
    done = subprocess.run([sys.executable, "-m", "lecture.cli", "script", "--lang", lang, "--data",
                           str(DATA / "story_exam.toml"), *(a for s in STORY_SCENES for a in ("--scene", s))],
                          capture_output=True, text=True, cwd=ROOT, timeout=600,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(Path.home())})
    assert done.returncode == 0, done.stderr[-2000:]
    for text in EXPECTED[("story_exam.toml", lang)]["script"]:
        assert text in done.stdout, f"not in the script: {text!r}"
    said = "\n".join(line for line in done.stdout.splitlines() if line.startswith("    "))  # the lines, not the ids
    for word in NEVER[lang]:
        assert word not in said


@pytest.mark.slow
def test_the_gate_rule_fails_a_scene_made_to_tell_the_decks_story(monkeypatch, manim_config) -> None:
    """Break it on purpose: scene 9 with other data but the deck's lines; the rule must say so."""
    from scene_checks import run_scene, use_lecture
    from scenes import SCENES_BY_ID, story

    from lecture.check.story import story_problems, story_record

    use_lecture(monkeypatch, "ko", "story_none.toml")
    original = story.pick_template
    monkeypatch.setattr(story, "pick_template", lambda table, scene_id, key, modes: original(table, scene_id, key, ("deck", "deck")))
    scene = run_scene(SCENES_BY_ID["phone-os"])
    beats = [[0, 1, sub.content] for sub in scene.renderer.file_writer.subcaptions]
    problems = story_problems(story_record(scene.data, "ko"), beats, scene.layout_beats)
    assert any("핸드폰" in message and "on screen" in message for _at, message in problems), problems
    assert any("narration" in message for _at, message in problems), problems

"""Captions shaped as subtitles (lecture/captions.py): every narration line of both
languages, random text (hypothesis), and the rule checker catching each broken rule."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lecture import captions
from lecture.captions import RULES, Cue, SubtitleRules, balanced_lines, cue_chars, cue_problems, split_beat
from scenes import SCENES_IN_ORDER, strings
from scenes import theme


def _words(text: str) -> list[str]:
    return text.split()


def _strength(glue) -> int:
    return 0 if glue is None else glue.strength


def _runs(text: str, rules: SubtitleRules, units=()) -> list[list[str]]:
    """The breakable units of ``text``, grouped into glued runs (a number and its unit, a
    formula too long for a line: units joined by a glue)."""
    words, glue = captions.caption_units(text, rules.max_line_chars, units)
    runs: list[list[str]] = []
    for i, word in enumerate(words):
        if i and glue[i - 1] is not None:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _runs_fit(text: str, rules: SubtitleRules, units=()) -> bool:
    """Every glued run of ``text`` fits one cue."""
    return all(len(run) == 1 or _fits(run, rules) for run in _runs(text, rules, units))


def _atoms(text: str, rules: SubtitleRules, units=()) -> list[list[str]]:
    """What a cue may not end inside, as lists of breakable units: each glued run that fits
    a cue, else each of its units; every free word."""
    atoms = []
    for run in _runs(text, rules, units):
        atoms += [run] if len(run) == 1 or _fits(run, rules) else [[word] for word in run]
    return atoms


def _greedy_cue_count(atoms: list[list[str]], rules: SubtitleRules) -> int:
    """The fewest cues: take as many atoms as still fit two lines (fitting is kept when an
    atom is taken off either end, so greedy is optimal)."""
    count, i = 0, 0
    while i < len(atoms):
        j = i + 1
        while j < len(atoms) and _fits([w for atom in atoms[i:j + 1] for w in atom], rules):
            j += 1
        count, i = count + 1, j
    return count


def _fits(words: list[str], rules: SubtitleRules) -> bool:
    whole = " ".join(words)
    if len(whole) <= rules.max_line_chars:
        return True
    return any(max(len(" ".join(words[:k])), len(" ".join(words[k:]))) <= rules.max_line_chars
               for k in range(1, len(words)))


def assert_subtitles(start_ms: int, end_ms: int, text: str, rules: SubtitleRules, units=()) -> list[Cue]:
    """Every rule, checked directly (not through cue_problems); ``units``: the data's own."""
    cues = split_beat(start_ms, end_ms, text, rules, units)
    assert cues, text
    # The words, in order, nothing lost or cut: breaks only between words (eojeol).
    assert [w for cue in cues for w in cue.text.split()] == text.split()
    previous_end = start_ms
    all_words, all_glue = captions.caption_units(text, rules.max_line_chars, units)
    first = 0
    for cue in cues:
        lines = cue.text.split("\n")
        assert 1 <= len(lines) <= rules.max_lines, cue
        longest_word = max(len(w) for w in cue.text.split())
        for line in lines:
            assert line == line.strip() and line, cue
            assert len(line) <= max(rules.max_line_chars, longest_word), (len(line), cue)
        if len(lines) == 1:
            assert len(lines[0]) <= rules.max_line_chars or len(cue.text.split()) == 1 or not _fits(cue.text.split(), rules)
        else:  # two lines only when one does not do, and no break would balance them better
            # the breakable units (a detached particle, a number and its unit, a formula kept
            # whole when it fits a line) and the glue between them: a line breaks at the
            # weakest glue there is (none, mostly), then as evenly as can be
            # the cue's units as the beat's text makes them (a formula's parentheses may
            # open in an earlier cue)
            count = next(n for n in range(1, len(all_words) - first + 1)
                         if " ".join(all_words[first:first + n]) == " ".join(lines))
            words, glue = all_words[first:first + count], all_glue[first:first + count - 1]
            assert len(" ".join(words)) > rules.max_line_chars
            gap = abs(len(lines[0]) - len(lines[1]))
            chosen = [k for k in range(1, len(words)) if " ".join(words[:k]) == lines[0]]
            assert chosen, (cue, words)
            held = _strength(glue[chosen[0] - 1])
            for k in range(1, len(words)):
                top, bottom = " ".join(words[:k]), " ".join(words[k:])
                if max(len(top), len(bottom)) <= rules.max_line_chars and top != lines[0]:
                    assert (_strength(glue[k - 1]), abs(len(top) - len(bottom))) >= (held, gap), (cue, top, bottom)
        # inside the beat, in order, at most 7 s
        assert start_ms <= previous_end <= cue.start_ms < cue.end_ms <= end_ms
        assert cue.end_ms - cue.start_ms <= rules.max_cue_ms
        previous_end = cue.end_ms
        first += next(n for n in range(1, len(all_words) - first + 1)
                      if " ".join(all_words[first:first + n]) == " ".join(cue.text.split("\n")))
    # no cue ends at a glue (inside a number and its unit, a formula...) unless the glued run
    # fits no cue; and the fewest cues that keep that
    atoms = _atoms(text, rules, units)
    ends, done = set(), 0
    for cue in cues[:-1]:
        done += len(cue.text.split())
        ends.add(done)
    bounds, at = set(), 0
    for atom in atoms:
        at += sum(len(word.split()) for word in atom)
        bounds.add(at)
    assert ends <= bounds, (text, [c.text for c in cues])
    if _runs_fit(text, rules, units):  # every glued run fits a cue
        assert len(cues) == _greedy_cue_count(atoms, rules)
    else:  # a formula longer than a cue: fewest glued ends first, so perhaps more cues
        assert len(cues) >= _greedy_cue_count(atoms, rules)
    # times in proportion to characters: each cue starts where its share begins
    total = sum(cue_chars(c.text) for c in cues)
    done = 0
    for cue in cues:
        assert cue.start_ms == start_ms + (end_ms - start_ms) * done // total
        done += cue_chars(cue.text)
    return cues


# Every narration line -------------------------------------------------------------------
FIELD = re.compile(r"\{[^{}]*\}")
FILLERS = ("7", "168.34", "2.050 × 10^12")  # short and long numbers as the scenes fill them
# fields that are never a long number: counts, proportions, steps (filled "0.7" for the long one)
SMALL_FIELDS = frozenset({"p", "p_hat", "k", "n", "m", "tol", "rate", "start", "final_p", "steps", "at", "first",
                          "last", "rest", "rises", "moves", "shown", "best", "a", "b", "index"})


def _narration_lines(lang: str) -> list[tuple[str, str]]:
    lines = []
    for spec in SCENES_IN_ORDER:
        for key, template in strings(spec.id, lang).items():
            if key.endswith("_say"):
                for filler in FILLERS if FIELD.search(template) else ("",):
                    def value(match, filler=filler):
                        name = match.group(0)[1:-1].split(":")[0]
                        return "0.7" if len(filler) > 6 and name in SMALL_FIELDS else filler
                    lines.append((f"{spec.id}/{key}", FIELD.sub(value, template)))
    return lines


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_narration_line_makes_subtitles_that_keep_every_rule(lang) -> None:
    rules = RULES[lang]
    lines = _narration_lines(lang)
    assert len(lines) > 60
    for name, text in lines:
        # the silent render's pacing: the line's reading time, whole frames
        end_ms = int(max(len(text) * theme.SECONDS_PER_CHAR[lang], theme.MIN_BEAT_S) * 1000) + 67
        cues = assert_subtitles(0, end_ms, text, rules)
        beat = Cue(0, end_ms, text)
        assert cue_problems(cues, [beat], rules) == [], (name, cues)
        for cue in cues:  # reading rate under the limit at the silent render's pacing
            assert cue_chars(cue.text) / ((cue.end_ms - cue.start_ms) / 1000) <= rules.max_chars_per_s, (name, cue)


def test_the_silent_pacing_is_under_the_reading_limits() -> None:
    for lang, rules in RULES.items():
        assert 1 / theme.SECONDS_PER_CHAR[lang] < rules.max_chars_per_s
    assert theme.MIN_BEAT_S * 1000 >= RULES["ko"].min_cue_ms


DATA = Path(__file__).parent / "data"


@pytest.mark.slow
@pytest.mark.parametrize(("data", "lang"), [
    (None, "ko"), (None, "en"),  # the deck: cm, 명
    ("story_exam.toml", "ko"),  # kg, 명
    ("story_coin.toml", "ko"),  # ms, 번
    ("metres_25.toml", "en"),  # m
])
def test_every_beat_keeps_every_rule(data, lang) -> None:
    """The beats as the scenes narrate them (numbers of the data filled in; the beats are
    cached in ~/.cache/nll-lecture/beats): every subtitle rule, no cue ending between a
    number and its unit or counter or inside a formula (the gate's rule finds nothing)."""
    from mathcore import load_data
    from mathcore.story import story_words

    from lecture.check.cuebreaks import cue_break_problems
    from lecture.voice.script import collect_beats

    path = str(DATA / data) if data else None
    loaded = load_data(path)
    units = [loaded.heights.unit, story_words(loaded, lang).counter]
    beats = collect_beats(lang, path)
    assert len(beats) > 60
    rules = RULES[lang]
    measured = 0
    for beat in beats:
        end_ms = int(round(beat.silent_duration_s * 1000))
        cues = assert_subtitles(0, end_ms, beat.text, rules, units)
        narration = [Cue(0, end_ms, beat.text)]
        assert cue_problems(cues, narration, rules, units=units) == [], (beat.id, cues)
        assert cue_break_problems(cues, narration, rules.max_line_chars, units) == [], (beat.id, cues)
        words = captions.tokens(beat.text)
        measured += sum(1 for g in captions.glues(words, units) if g is not None and g.strength == captions.UNIT.strength)
    assert measured > 0  # the beats hold numbers with units or counters written apart


# Korean: never inside an eojeol; a detached particle stays with its word ------------------
def test_korean_breaks_between_eojeol_and_keeps_a_detached_particle() -> None:
    text = "최대 가능도 추정값은 μ̂ = 168.34 입니다. 이 값에서 가능도가 가장 큽니다."
    cues = split_beat(0, 6000, text, RULES["ko"])
    lines = [line for cue in cues for line in cue.text.split("\n")]
    assert all(not line.startswith("입니다") for line in lines)
    assert any("168.34 입니다." in line for line in lines)
    assert [w for cue in cues for w in cue.text.split()] == text.split()


def test_a_no_break_space_keeps_a_term_on_one_line() -> None:
    """"음의 로그 가능도 (NLL)" joined by U+00A0: split from the plain-space version of the same
    line, it breaks inside the term; joined, it never does, and breaks no rule."""
    plain = "부호를 뒤집으면 음의 로그 가능도 (NLL)가 됩니다. 봉우리는 골짜기가 되고, 이제 최솟값을 찾으면 됩니다."
    term = "음의\u00a0로그\u00a0가능도\u00a0(NLL)"
    joined = plain.replace("음의 로그 가능도 (NLL)", term)
    plain_lines = [line for cue in split_beat(0, 9000, plain, RULES["ko"]) for line in cue.text.split("\n")]
    assert not any("음의 로그 가능도 (NLL)" in line for line in plain_lines)
    cues = split_beat(0, 9000, joined, RULES["ko"])
    assert sum(line.count(term) for cue in cues for line in cue.text.split("\n")) == 1
    assert cue_problems(cues, [Cue(0, 9000, joined)], RULES["ko"]) == []


def test_balanced_lines_prefers_even_lines_and_one_line_when_it_fits() -> None:
    rules = RULES["en"]
    assert balanced_lines("a short line".split(), rules) == ["a short line"]
    top, bottom = balanced_lines("Likelihood measures how likely the observed events are under this model.".split(),
                                 rules)
    assert (top, bottom) == ("Likelihood measures how likely the", "observed events are under this model.")


def test_a_long_beat_leaves_its_cue_at_seven_seconds() -> None:
    cues = split_beat(1000, 20000, "가능도를 봅시다.", RULES["ko"])
    assert cues == [Cue(1000, 8000, "가능도를 봅시다.")]


# Random text ------------------------------------------------------------------------------
HANGUL = st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=7)
LATIN = st.text(alphabet=string.ascii_letters + string.digits + ".,()=-", min_size=1, max_size=12)
WORDS = st.lists(st.one_of(HANGUL, LATIN, st.sampled_from(["은", "는", "입니다.", "μ̂", "="])), min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(words=WORDS, lang=st.sampled_from(["ko", "en"]), start=st.integers(0, 100_000),
       duration=st.integers(1000, 60_000))  # a beat lasts at least MIN_BEAT_S
def test_random_text_keeps_every_rule(words, lang, start, duration) -> None:
    text = " ".join(words)
    assert_subtitles(start, start + duration, text, RULES[lang])


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.one_of(HANGUL, LATIN), min_size=1, max_size=30), lang=st.sampled_from(["ko", "en"]))
def test_random_text_at_the_reading_rate_has_no_problem(words, lang) -> None:
    text = " ".join(words)
    rules = RULES[lang]
    if max(len(w) for w in words) > rules.max_line_chars:
        return  # a word longer than a line cannot be set (the checker says so: see below)
    end_ms = int(max(len(text) / (rules.max_chars_per_s - 1), 1.0) * 1000) + 1
    cues = split_beat(0, end_ms, text, rules)
    problems = [p for p in cue_problems(cues, [Cue(0, end_ms, text)], rules) if "lasts" not in p.message]
    assert problems == []


# The checker ------------------------------------------------------------------------------
def _messages(cues, beats, rules=RULES["ko"], voiced=False):
    return [(p.level, p.message) for p in cue_problems(cues, beats, rules, voiced)]


def test_the_checker_names_each_broken_rule() -> None:
    beat = Cue(0, 10000, "가능도는 데이터가 주어졌을 때 모수가 얼마나 그럴듯한지를 재는 함수입니다.")
    ok = split_beat(0, 10000, beat.text, RULES["ko"])
    assert _messages(ok, [beat]) == []
    one_line = Cue(0, 4000, "가능도는 데이터가 주어졌을 때 모수가")
    rest = Cue(4000, 8000, "얼마나 그럴듯한지를\n재는 함수입니다.")
    assert _messages([one_line, rest], [beat]) == [
        ("error", 'caption "가능도는 데이터가 주어졌을 때 모수가" line "가능도는 데이터가 주어졌을 때 모수가" has 20 characters (at most 16)'.replace('" line', '": line')),
    ]
    three = Cue(0, 4000, "가능도는\n데이터가 주어졌을\n때 모수가")
    assert ("error", 'caption "가능도는 / 데이터가 주어졌을 / 때 모수가" has 3 lines (at most 2)') in _messages([three, rest], [beat])
    unbalanced = Cue(0, 4000, "가능도는\n데이터가 주어졌을 때 모수가")
    assert ("error", 'caption "가능도는 / 데이터가 주어졌을 때 모수가": lines of 4 and 15 characters '
                     '(balanced: 9 and 10)') in _messages([unbalanced, rest], [beat])
    cut = Cue(0, 4000, "가능도는 데이터\n가 주어졌을 때 모수가")
    assert any("breaks inside a word" in m for _, m in _messages([cut, rest], [beat]))
    short = Cue(0, 500, "가능도는 데이터가\n주어졌을 때 모수가")
    assert ("error", 'caption "가능도는 데이터가 / 주어졌을 때 모수가" lasts 0.50 s (at least 0.833 s)') in _messages([short, rest], [beat])
    assert ("error", 'caption "가능도는 데이터가 / 주어졌을 때 모수가" asks 40.0 characters a second (at most 12)') in _messages([short, rest], [beat])
    assert ("warning", 'caption "가능도는 데이터가 / 주어졌을 때 모수가" asks 40.0 characters a second (at most 12)') in _messages([short, rest], [beat], voiced=True)
    long = Cue(0, 7500, "가능도는 데이터가\n주어졌을 때 모수가")
    assert ("error", 'caption "가능도는 데이터가 / 주어졌을 때 모수가" lasts 7.50 s (at most 7 s)') in _messages([long, rest], [beat])
    crossing = Cue(9000, 11000, "얼마나 그럴듯한지를\n재는 함수입니다.")
    found = _messages([ok[0], crossing], [beat, Cue(10000, 12000, "다음 줄")])
    assert ("error", 'caption "얼마나 그럴듯한지를 / 재는 함수입니다." is not inside one narration beat') in found
    assert ("error", 'narration "얼마나 그럴듯한지를 재는 함수입니다." has no caption') in found
    english = Cue(0, 3000, "x" * 43)
    assert ("error", f'caption "{"x" * 39}…": line "{"x" * 43}" has 43 characters (at most 42)') in _messages(
        [english], [english], RULES["en"])


# Never between a number and its unit or counter, never inside a formula -----------------
# Made-up lines, each built so that main's splitter before this rule (commit 5fb4bb1) ended
# a cue exactly between the two words named (checked against that splitter; the first four
# are the review's: "2.62" | "cm에", "p̂" | "= 7/10", "=" | "0.7."); the later ones pad a
# formula or a measure with filler words until the old cue boundary fell inside it.
TRAPS = [
    ('ko', '모델은 정규분포입니다. 표준편차 σ는 2.62 cm에 고정하고 평균 μ만 바꿔 봅니다.', '2.62', 'cm에'),
    ('ko', '합격한 응시자는 모두 55 명이었습니다. 나머지는 불합격입니다.', '55', '명이었습니다.'),
    ('ko', '세 곡선의 최고점과 최저점은 모두 p̂ = 7/10 = 0.7에 있습니다.', 'p̂', '='),
    ('ko', '기울기가 0이 되는 곳은 p = 7/10 = 0.7. 앞에서 구한 추정값 p̂과 같습니다.', '=', '0.7.'),
    ('ko', '그러면 남은 식을 가능도 L (p)로 쓰고 그 최댓값을 찾습니다.', 'L', '(p)로'),
    ('ko', '그러면 로그를 취하면 합 7 log p가 되고 최댓값의 위치는 그대로입니다.', 'log', 'p가'),
    ('ko', '가능도를 이제 다시 그러면 여기서는 곱하면 a + b 꼴 그러면 여기서는 곱하면 됩니다. 가능도를', '+', 'b'),
    ('ko', '가능도를 이제 다시 그러면 a + b 꼴 그러면 여기서는 곱하면', 'a', '+'),
    ('ko', '가능도를 이제 다시 그러면 여기서는 1 − p입니다. 그러면 여기서는 곱하면', '1', '−'),
    ('ko', '가능도를 이제 다시 1 − p입니다. 그러면 여기서는 곱하면', '−', 'p입니다.'),
    ('ko', '가능도를 이제 2.05 × 10¹²로 그러면 여기서는 곱하면', '×', '10¹²로'),
    ('ko', '가능도를 이제 다시 그러면 2.05 × 10¹²로 그러면 여기서는', '2.05', '×'),
    ('ko', '가능도를 이제 다시 7 / 10입니다. 그러면 여기서는 곱하면', '/', '10입니다.'),
    ('ko', '가능도를 이제 다시 그러면 a · b가 그러면 여기서는 곱하면 됩니다.', '·', 'b가'),
    ('ko', '가능도를 이제 다시 그러면 e ^ x와 그러면 여기서는 곱하면 됩니다.', '^', 'x와'),
    ('ko', '가능도를 이제 1.71 m입니다. 그러면 여기서는 곱하면', '1.71', 'm입니다.'),
    ('ko', '가능도를 이제 63.5 kg에서 그러면 여기서는 곱하면', '63.5', 'kg에서'),
    ('ko', '가능도를 이제 다시 그러면 20 번 그러면 여기서는 곱하면 됩니다.', '20', '번'),
    ('en', 'we now look at the likelihood again, 2.62 cm and at the likelihood again, we now look', '2.62', 'cm'),
    ('en', 'we now look at the likelihood again, 63.5 kg and at the likelihood again, we now look', '63.5', 'kg'),
    ('en', 'we now look at the likelihood again, 55 candidates passed at the likelihood again, we', '55', 'candidates'),
    ('en', 'we now look at the likelihood again, we now p̂ = 0.7, the at the likelihood again, we now look', 'p̂', '='),
    ('en', 'we now look at the likelihood again, p = 0.7, the at the likelihood again, we now look', '=', '0.7,'),
    ('en', 'we now look at the likelihood again, we 7 log p + 3 log(1 − p) at the likelihood again, we now look', '+', '3'),
    ('en', 'we now look at the likelihood again, we 1 − p, by at the likelihood again, we now look', '−', 'p,'),
    ('en', 'we now look at the likelihood again, 2.05 × 10¹², which at the likelihood again, we now', '×', '10¹²,'),
    ('en', 'we now look at the likelihood again, we L (p) from at the likelihood again, we now look', 'L', '(p)'),
    ('en', 'we now look at the likelihood again, we log p is at the likelihood again, we now look', 'log', 'p'),
    ('en', 'we now look at the likelihood again, we 7 / 10 here at the likelihood again, we now look', '/', '10'),
]

def _breaks(cues: list[Cue]) -> set[tuple[str, str]]:
    """Every (word, next word) pair a cue ends or a line breaks between."""
    pairs = set()
    lines = [captions.tokens(line) for cue in cues for line in cue.text.split("\n")]
    for top, bottom in zip(lines, lines[1:]):
        pairs.add((top[-1], bottom[0]))
    return pairs


@pytest.mark.parametrize(("lang", "text", "left", "right"), TRAPS)
def test_no_cue_or_line_ends_between_a_number_and_its_unit_or_inside_a_formula(lang, text, left, right) -> None:
    rules = RULES[lang]
    end_ms = int(max(len(text) * theme.SECONDS_PER_CHAR[lang], theme.MIN_BEAT_S) * 1000) + 67
    cues = assert_subtitles(0, end_ms, text, rules)
    assert (left, right) not in _breaks(cues), [c.text for c in cues]
    assert cue_problems(cues, [Cue(0, end_ms, text)], rules) == []
    words = captions.tokens(text)
    glue = captions.glues(words)[[i for i in range(len(words) - 1) if (words[i], words[i + 1]) == (left, right)][0]]
    assert glue is not None and glue.rule.startswith(("between a number", "inside a formula", "between a function"))


def test_a_formula_longer_than_a_line_breaks_its_line_before_an_operator_and_never_ends_a_cue_inside() -> None:
    text = "NLL을 p에 대해 미분하면 기울기는 −7/p + 3/(1−p)입니다."
    cues = split_beat(0, 6000, text, RULES["ko"])
    assert [c.text for c in cues] == ["NLL을 p에 대해\n미분하면 기울기는", "−7/p\n+ 3/(1−p)입니다."]


def test_the_datas_own_unit_and_counter_hold_too() -> None:
    text = "평균은 12 근이었습니다. 그러면"
    assert ("12", "근이었습니다.") in _breaks(split_beat(0, 8000, text, RULES["ko"]))  # 근 is no unit of ours
    assert ("12", "근이었습니다.") not in _breaks(split_beat(0, 8000, text, RULES["ko"], units=["근"]))

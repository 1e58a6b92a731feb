"""Korean particles (조사) after any text: a noun, a label, a number, a Latin word.

Which form a particle takes depends on how the word before it ends when read aloud:
은/이/을/과/으로 after a final consonant (받침), 는/가/를/와/로 after a vowel, and 로
(not 으로) after ㄹ too. Hangul is read from its last syllable; a number as it is read in
Sino-Korean (7 칠, 10 십, 2.5 이점오); a Latin word by its usual Korean reading (Yes 예스,
Android 안드로이드, iOS 아이오에스, Apple 애플, phone 폰), an acronym letter by letter.

No PyPI library was used: ``tossi`` (the best known) was last released in 2017 and reads
neither Latin words nor numbers. This is one small function, tested with a table
(tests/test_story.py).

>>> [josa(w, "을") for w in ("체중", "키", "Yes", "Android", "iOS", "합격 55", "7", "10")]
['을', '를', '를', '를', '를', '를', '을', '을']
>>> [josa(w, "으로") for w in ("서울", "체중", "키", "Apple", "3")]
['로', '으로', '로', '로', '으로']
>>> [josa(w, "을") for w in ("θ̂", "p̂", "θ", "σ", "γ", "θ₁")]
['을', '을', '를', '를', '을', '을']
"""

from __future__ import annotations

import re

# (form after a final consonant, form after a vowel); 으로/로: ㄹ takes the vowel form.
PARTICLES: dict[str, tuple[str, str]] = {}
for _with, _without in (("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"), ("으로", "로"),
                        ("이나", "나"), ("이랑", "랑"), ("아", "야"), ("이라는", "라는"), ("이라고", "라고"),
                        ("이에요", "예요"), ("이었", "였"), ("이다", "다")):
    PARTICLES[_with] = PARTICLES[_without] = (_with, _without)

# Sino-Korean reading of a digit: does its syllable end in a consonant, and is it ㄹ?
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "9": ""}
_GROUP_FINAL = ("", "ㄴ", "ㄱ", "", "ㅇ")  # 만 억 조 경 (after the units group)
_PLACE_FINAL = ("", "ㅂ", "ㄱ", "ㄴ")  # 십 백 천 (tens, hundreds, thousands)
# Letter names read aloud (acronyms): A 에이 ... L 엘, M 엠, N 엔, R 알.
_LETTER_FINAL = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}
# Units after a number, read in Korean (14 kg: 십사 킬로그램).
_UNIT_FINAL = {"kg": "ㅁ", "g": "ㅁ", "mg": "ㅁ", "cm": "", "mm": "", "m": "", "km": "", "ms": "",
               "s": "", "%": "", "℃": "", "°": "", "in": "", "lb": "", "min": "", "h": ""}
# Greek letters as Korean reads them (θ 세타, μ 뮤, γ 감마, ε 엡실론); a hat is 햇 (θ̂ 세타햇).
_GREEK_FINAL = {"α": "", "β": "", "γ": "ㅁ", "δ": "", "ε": "ㄴ", "ζ": "", "η": "", "θ": "", "ι": "", "κ": "",
                "λ": "", "μ": "", "ν": "", "ξ": "", "ο": "ㄴ", "π": "", "ρ": "", "σ": "", "τ": "", "υ": "ㄴ",
                "φ": "", "χ": "", "ψ": "", "ω": "", "Γ": "ㅁ", "Δ": "", "Θ": "", "Λ": "", "Σ": "", "Φ": "",
                "Ψ": "", "Ω": ""}
_HAT = "\u0302"
_VOWELS = set("aeiouy")
_POWER = re.compile(r"10[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+\Z")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_CLOSING = "\"'’”」』)]}>.,!?:; \t"


def _number_final(digits: str) -> str:
    """The final consonant of a number read in Sino-Korean ('' for a vowel)."""
    if "." in digits:
        whole, _, fraction = digits.partition(".")
        fraction = fraction.rstrip()
        if fraction:
            return _DIGIT_FINAL[fraction[-1]]  # 이점오: the last digit, read alone
        digits = whole
    number = int(digits or "0")
    if number == 0:
        return "ㅇ"  # 영
    group = 0
    while number % 10_000 == 0:
        number //= 10_000
        group += 1
    if group:
        return _GROUP_FINAL[min(group, 4)]
    units = number % 10_000
    for place in range(4):
        digit = units // 10**place % 10
        if digit:
            return _DIGIT_FINAL[str(digit)] if place == 0 else _PLACE_FINAL[place]
    return ""


def _latin_final(word: str) -> str | None:
    """The final consonant of a Latin word as Koreans read it ('' for a vowel), or None."""
    if not word:
        return None
    lower = word.lower()
    # An acronym (OS, PC, iOS, HTML) is read letter by letter: the last letter's name.
    if len(word) >= 2 and (word.isupper() or any(c.isupper() for c in word[1:])) and len(word) <= 6:
        return _LETTER_FINAL.get(lower[-1], "")
    if len(word) == 1:
        return _LETTER_FINAL.get(lower, "")
    silent_e = len(lower) > 3 and lower.endswith("e") and lower[-2] not in _VOWELS and lower[-2] != "l" and lower[-3] in _VOWELS
    if silent_e:  # phone 폰, game 게임, line 라인, code 코드
        lower = lower[:-1]
    if lower.endswith(("le", "l")):  # apple 애플, girl 걸
        return "ㄹ"
    if lower.endswith("ng"):  # king 킹
        return "ㅇ"
    last = lower[-1]
    if last in "mn":  # team 팀, phone 폰
        return "ㅁ" if last == "m" else "ㄴ"
    if last in "ckpt":
        # After one short vowel a stop is a final consonant (chat 챗, book 북, pop 팝, Mac 맥);
        # after a long vowel (make 메이크) or a consonant (test 테스트) it is a syllable of its own.
        stem = lower[:-2] if lower.endswith("ck") else lower[:-1]
        short = not silent_e and bool(stem) and stem[-1] in _VOWELS and stem[-1] != "y"
        return {"c": "ㄱ", "k": "ㄱ", "p": "ㅂ", "t": "ㅅ"}[last] if short else ""
    return ""  # vowels, s 스, d 드, x 엑스, r 어 (computer 컴퓨터), f 프 ...


_HANGUL_FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def final_sound(text: str) -> str | None:
    """The final consonant of ``text`` read aloud: a jamo such as 'ㄹ', '' after a vowel,
    None when it cannot be told (an ending in Hanja, say).

    >>> final_sound("체중"), final_sound("키"), final_sound("서울"), final_sound("Yes"), final_sound("7번")
    ('ㅇ', '', 'ㄹ', '', 'ㄴ')
    """
    text = str(text).rstrip()
    # A parenthetical at the end is not read before the particle: 합격(pass) -> 합격.
    while text.endswith(")") and "(" in text:
        text = text[:text.rindex("(")].rstrip()
    text = text.rstrip(_CLOSING)
    if not text:
        return None
    if _POWER.search(text):  # 1.2 × 10⁻⁵: 10의 -5제곱
        return "ㅂ"
    if text.endswith(_HAT):  # θ̂, p̂, μ̂: 세타햇, 피햇, 뮤햇
        return "ㅅ"
    text = text.translate(_SUBSCRIPTS)  # θ₃: 세타 삼
    last = text[-1]
    if last in _GREEK_FINAL:
        return _GREEK_FINAL[last]
    if "\uac00" <= last <= "\ud7a3":
        index = (ord(last) - 0xAC00) % 28
        return "" if index == 0 else _HANGUL_FINALS[index - 1]
    number = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z%℃°]{0,3})\Z", text)
    if number and (not number.group(2) or number.group(2).lower() in _UNIT_FINAL):
        unit = number.group(2).lower()
        return _UNIT_FINAL[unit] if unit else _number_final(number.group(1).replace(",", ""))
    word = re.search(r"[A-Za-z]+\Z", text)
    if word:
        return _latin_final(word.group())
    return None


def josa(text: str, particle: str) -> str:
    """The form of ``particle`` (either form may be given: 은 or 는, 으로 or 로) that
    follows ``text``; both forms as 은(는) when the ending cannot be told.

    >>> josa("응시자", "은"), josa("합격", "이"), josa("서울", "으로"), josa("漢", "을")
    ('는', '이', '로', '을(를)')
    """
    with_final, without_final = PARTICLES[particle]
    final = final_sound(text)
    if final is None:
        return f"{with_final}({without_final})"
    if not final or (final == "ㄹ" and with_final == "으로"):
        return without_final
    return with_final


def with_josa(text: str, particle: str) -> str:
    """``text`` followed by the right form of ``particle``.

    >>> with_josa("Android", "이"), with_josa("체중", "를")
    ('Android가', '체중을')
    """
    return f"{text}{josa(text, particle)}"

"""Numbers said in digits or words (en, zh, ko): one table per language and one reader, shared by the
amounts of ``dosing`` (a regimen, a duration, days a month) and the counts of the red flags (a pattern of
``red_flags.yaml`` writes ``{{count>=10}}`` for a count of ten or more, expanded here into the words and
digits of its language).

English: "one" to "ninety-nine" ("twenty-four", "twenty four"), "a dozen" (12), "a
hundred"; Chinese: "一" to "九十九", "两", "一百" to "九百"; "十几" is read as 10 and "几十" as 20
(the least they can mean: a count is compared with a maximum or a threshold, so the least reading
never makes a safe amount look dangerous, while "十几片" a day is still over most maxima); Korean:
native numbers 하나 (한) to 아흔아홉 ("열두", "스물네", "서른"), Sino-Korean ones from 십 to 구십구
("십이", "이십") and the hundreds (백 to 구백); 일 to 구 alone only where a reader asks for them. Two
Chinese neighbours ("三四") are read at the top, as the regimen readers always did.
"""

from __future__ import annotations

import re

__all__ = [
    "EN_HOURS",
    "EN_NUM",
    "EN_OFTEN",
    "KO_NUM",
    "ZH_NUM",
    "count_at_least",
    "en_number",
    "ko_number",
    "zh_number",
]

_DIGITS = r"\d+(?:\.\d+)?"

# --- English -----------------------------------------------------------------------------------------

_EN_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _en_table() -> dict[str, int]:
    table = {w: i + 1 for i, w in enumerate(_EN_ONES)} | {w: i + 10 for i, w in enumerate(_EN_TEENS)}
    for i, tens in enumerate(_EN_TENS):
        table[tens] = 20 + 10 * i
        for j, one in enumerate(_EN_ONES):
            table[f"{tens}-{one}"] = table[f"{tens} {one}"] = 21 + 10 * i + j
    table |= {"a dozen": 12, "dozen": 12, "half a dozen": 6, "a hundred": 100, "one hundred": 100}
    return table


# Words of a count (a number of units): "a couple of", "a few" and "several" are read at their least
# but one (2, 3, 3, as the regimen readers always did); "a"/"an" is one.
_EN_WORDS = _en_table()
_EN_VAGUE = {"a couple of": 2, "a few": 3, "several": 3, "a": 1, "an": 1}
# Said of doses, not units ("twice a day"): read by en_number, not in EN_NUM.
_EN_TIMES = {"once": 1, "twice": 2, "thrice": 3}


def _alternation(words: dict[str, int] | list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", " ") for w in sorted(words, key=lambda w: (-len(w), w)))


# A number said in digits or words, as one group; a word never starts inside another word ("often" is
# not "ten").
EN_NUM = rf"({_DIGITS}|(?<![a-z])(?:{_alternation([*_EN_WORDS, *_EN_VAGUE])})(?![a-z]))"


def _en_words(low: int, high: int, *extra: str) -> str:
    words = [*extra, *(w for w, v in _EN_WORDS.items() if low <= v <= high)]
    return rf"(\d+|(?<![a-z])(?:{_alternation(words)})(?![a-z]))"


# How often: doses a day in digits, "once", "twice", "thrice" or a word from three to twenty-four
# ("eight times a day"; "two a day" is left out, as it always was: it is as often two units a day as
# two doses), and hours between doses from two to twenty-four ("every twelve hours").
EN_OFTEN = _en_words(3, 24, *_EN_TIMES)
EN_HOURS = _en_words(2, 24)


def en_number(word: str) -> float | None:
    """The value of an English number said in digits or words ("12", "twelve", "twenty-four", "a dozen",
    "twice"); None when it is none."""
    word = re.sub(r"\s+", " ", word.strip())
    if re.fullmatch(_DIGITS, word):
        return float(word)
    value = _EN_WORDS.get(word) or _EN_VAGUE.get(word) or _EN_TIMES.get(word)
    return float(value) if value is not None else None


# --- Chinese -----------------------------------------------------------------------------------------

_ZH_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
ZH_NUM = rf"({_DIGITS}|[一二两俩三四五六七八九十百零半几]+)"


def zh_number(word: str) -> float | None:
    """Digits or Chinese numerals up to 999 ("两", "十五", "二十四", "一百二", "半"); "几" (a few)
    counts as 3, "十几" as 10 and "几十" as 20 (the least they can mean); two neighbours ("三四") at
    the top."""
    if re.fullmatch(_DIGITS, word):
        return float(word)
    if word == "半":
        return 0.5
    if word in ("几", "好几"):
        return 3.0
    if len(word) == 2 and word[0] in _ZH_DIGITS and word[1] in _ZH_DIGITS:
        low, high = _ZH_DIGITS[word[0]], _ZH_DIGITS[word[1]]
        if high == low + 1:  # "三四次": three or four, read at the top
            return float(high)
    hundreds = 0
    if "百" in word:
        head, _, word = word.partition("百")
        if head not in _ZH_DIGITS and head not in ("", "几"):
            return None
        hundreds = 100 * (_ZH_DIGITS.get(head, 2 if head == "几" else 1))
        word = word.lstrip("零")
        if not word:
            return float(hundreds)
        if len(word) == 1 and word in _ZH_DIGITS and "十" not in word:  # "一百二": 120
            return float(hundreds + 10 * _ZH_DIGITS[word])
    if "十" in word:
        tens, _, ones = word.partition("十")
        if tens == "几":
            tens_value = 2
        elif tens in _ZH_DIGITS or tens == "":
            tens_value = _ZH_DIGITS.get(tens, 1)
        else:
            return None
        if ones not in _ZH_DIGITS and ones not in ("", "几"):
            return float(hundreds + tens_value * 10)  # "十一二": at least 10
        return float(hundreds + tens_value * 10 + _ZH_DIGITS.get(ones, 0))
    if word in _ZH_DIGITS:
        return float(hundreds + _ZH_DIGITS[word])
    return float(hundreds) if hundreds else None


def _zh_words() -> dict[str, int]:
    ones = {k: v for k, v in _ZH_DIGITS.items() if k != "俩"}
    table: dict[str, int] = dict(ones) | {"十": 10, "十几": 10, "几十": 20}
    for one, v in ones.items():
        if one != "两":
            table[f"十{one}"] = 10 + v
            table[f"{one}十"] = 10 * v
            table[f"{one}十几"] = 10 * v
            for two, w in ones.items():
                if two != "两":
                    table[f"{one}十{two}"] = 10 * v + w
        table[f"{one}百"] = 100 * v
    table |= {"几百": 200, "上百": 100}
    return table


# --- Korean ------------------------------------------------------------------------------------------

_KO_NATIVE_ONES = {
    "하나": 1,
    "한": 1,
    "둘": 2,
    "두": 2,
    "셋": 3,
    "세": 3,
    "석": 3,
    "넷": 4,
    "네": 4,
    "넉": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
}
_KO_NATIVE_TENS = {
    "열": 10,
    "스물": 20,
    "서른": 30,
    "마흔": 40,
    "쉰": 50,
    "예순": 60,
    "일흔": 70,
    "여든": 80,
    "아흔": 90,
}
_KO_SINO = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}


def _ko_table() -> dict[str, int]:
    table = dict(_KO_NATIVE_ONES) | dict(_KO_NATIVE_TENS) | {"스무": 20}
    for tens, t in _KO_NATIVE_TENS.items():
        for one, v in _KO_NATIVE_ONES.items():
            if one not in ("석", "넉"):
                table[tens + one] = t + v
    # Sino-Korean from 10 ("십", "십이", "이십", "이십사", "백"); the digits 일 to 구 alone are words of their
    # own too often (이 "this", 사 "buy", 오 "come", 일 "day"): they are read only where a reader asks.
    sino_tens = {"십": 10} | {d + "십": 10 * v for d, v in _KO_SINO.items() if d != "일"}
    for tens, t in sino_tens.items():
        table[tens] = t
        for d, v in _KO_SINO.items():
            table[tens + d] = t + v
    table["백"] = 100
    table |= {d + "백": 100 * v for d, v in _KO_SINO.items() if d != "일"}
    return table


_KO_WORDS = _ko_table()
# Regimens read the native numbers and the Sino-Korean ones from ten; durations add 일 to 구 themselves.
KO_NUM = rf"({_DIGITS}|{_alternation(_KO_WORDS)})"


def ko_number(word: str) -> float | None:
    """Digits, native Korean numbers ("한", "열두", "스물네") or Sino-Korean ones ("십이", "이십", "삼")."""
    if re.fullmatch(_DIGITS, word):
        return float(word)
    value = _KO_WORDS.get(word) or _KO_SINO.get(word)
    return float(value) if value is not None else None


# --- a count of at least n, for the patterns of the knowledge files ----------------------------------


def _digits_at_least(n: int) -> str:
    """Digits of a whole number of at least ``n`` (1 to 99), without a leading zero."""
    if n <= 1:
        return r"[1-9]\d*"
    if n < 10:
        return rf"(?:[1-9]\d+|[{n}-9])"
    tens, ones = divmod(n, 10)
    parts = [r"[1-9]\d{2,}"]
    if tens < 9:
        parts.append(rf"[{tens + 1}-9]\d")
    parts.append(rf"{tens}[{ones}-9]")
    return "(?:" + "|".join(parts) + ")"


_WORDS_BY_LANG = {"en": _EN_WORDS, "zh": _zh_words(), "ko": _KO_WORDS}


def count_at_least(n: int, lang: str) -> str:
    """A regular expression (no groups) for a whole count of at least ``n`` said in ``lang``: digits or the
    number words of this module's tables ("twelve", "十二", "열두", "스물네")."""
    words = [w for w, v in _WORDS_BY_LANG[lang].items() if v >= n]
    if lang == "en":
        return rf"(?:{_digits_at_least(n)}|(?<![a-z])(?:{_alternation(words)})(?![a-z]))"
    return rf"(?:(?<!\d){_digits_at_least(n)}|{_alternation(words)})"

"""Amounts said in the symptom text (en, zh, ko): a child's body weight, a regimen ("2 every 4 hours",
"一次3粒，一天3次", "한 번에 2알씩 하루 3번"), how long a medicine has been used ("for 3 weeks", "半年",
"3개월째"), on how many days a month ("20 days a month", "一个月有20天", "한 달에 20일"), and a strength
named in a query ("ibuprofen 800 mg").

The numbers are read here; what they are compared with (a dose per kg, a daily maximum, a number of
days) is data with its source in ``rules.yaml``. Every reader answers None when the text does not say,
so a check that needs the number simply does not fire. English patterns see the normalised text with
single spaces; Chinese and Korean patterns see it with every space removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from medrush.safety.numbers import EN_HOURS, EN_NUM, EN_OFTEN, KO_NUM, ZH_NUM, en_number, ko_number, zh_number
from medrush.safety.text import normalise

__all__ = [
    "Regimen",
    "body_weight_kg",
    "days_a_month",
    "durations_said",
    "mg_per_ml",
    "named_mg_per_ml",
    "named_strength_mg",
    "pregnancy_said",
    "stated_mg_a_day",
    "stated_ml_a_dose",
    "stated_regimen",
    "used_days",
]

# --- body weight -------------------------------------------------------------------------------------

# A weight that changed ("lost 5 kg", "体重掉了5公斤", "5kg 빠졌어요") is not a body weight.
_WEIGHT_CHANGE_EN = re.compile(r"\b(lost|losing|lose|gained|gaining|gain|put on|dropped)\b[^.,;]{0,12}$")
_WEIGHT_CHANGE_AFTER_EN = re.compile(r"^[^.,;]{0,8}\b(lost|loss|less|down|lighter|heavier)\b")
_WEIGHT_CHANGE_ZH = re.compile(r"(掉|减|瘦|降|轻|少|涨|胖|增|长)了?[^，。,.]{0,2}$")
_WEIGHT_CHANGE_AFTER_ZH = re.compile(r"^(左右)?(的)?(体重)?[^，。,.]{0,2}(掉|减|瘦|降|轻|少|涨|胖|增)")
_WEIGHT_CHANGE_AFTER_KO = re.compile(r"^[^.,]{0,4}(빠졌|빠지|줄었|줄어|늘었|늘어|쪘|감량|증가)")

_EN_WEIGHT = re.compile(r"(\d+(?:\.\d+)?) ?(?:kg|kgs|kilos?|kilograms?)\b")
_ZH_WEIGHT = re.compile(r"(\d+(?:\.\d+)?) ?(公斤|千克|kg)")
_ZH_JIN = re.compile(r"(?:体重|重)[^，。,.\d]{0,3}(\d+(?:\.\d+)?)斤")
# A number of jin beside a child's age or a word for a baby or child ("宝宝一岁半，22斤", "儿子3岁28斤"):
# a body weight without 体重.
_ZH_JIN_CHILD = re.compile(
    r"(?:宝宝|宝贝|孩子|小孩|儿子|女儿|闺女|娃|婴儿|孙子|孙女|外孙|[\d一二两三四五六七八九十半]+(?:岁|个月|月大|周岁)[半多]?)"
    r"[^。.\d斤]{0,6}?(\d+(?:\.\d+)?)斤"
)
_KO_WEIGHT = re.compile(r"(\d+(?:\.\d+)?) ?(kg|킬로그램|킬로|키로)")
# Round 29: a weight said in number words ("十公斤", "ten kilos", "열 킬로"), read with the number readers.
_ZH_WEIGHT_WORDS = re.compile(
    r"(?<![\d一二两三四五六七八九十百零])([一二两三四五六七八九十百]{1,4})(?:公斤|千克)"
)
_EN_WEIGHT_WORDS = re.compile(rf"\b{EN_NUM} ?(?:kg|kgs|kilos?|kilograms?)\b")
_KO_WEIGHT_WORDS = re.compile(rf"{KO_NUM} ?(?:킬로그램|킬로|키로)")


def body_weight_kg(symptoms: str | None) -> float | None:
    """The body weight the text gives in kilograms ("weighs 10 kg", "(14kg)", "体重10公斤", "28斤" after
    体重 (a jin is half a kilogram), "몸무게 14kg", "18킬로"); None when it gives none, or only a change
    of weight ("lost 5 kg", "体重掉了5公斤"). Weights outside 1.5-200 kg are not read."""
    if not symptoms:
        return None
    text = normalise(symptoms)
    compact = text.replace(" ", "")
    for m in _EN_WEIGHT.finditer(text):
        if not _changed(text[max(0, m.start() - 24) : m.start()], text[m.end() :]):
            return _plausible(float(m.group(1)))
    for m in (*_ZH_JIN.finditer(compact), *_ZH_JIN_CHILD.finditer(compact)):
        if not _changed(compact[max(0, m.start(1) - 8) : m.start(1)], compact[m.end() :]):
            return _plausible(float(m.group(1)) / 2)
    for pattern in (_ZH_WEIGHT, _KO_WEIGHT):
        for m in pattern.finditer(text):
            if not _changed(text[max(0, m.start() - 24) : m.start()], text[m.end() :]):
                return _plausible(float(m.group(1)))
    words = ((_ZH_WEIGHT_WORDS, zh_number), (_EN_WEIGHT_WORDS, en_number), (_KO_WEIGHT_WORDS, ko_number))
    for pattern, read in words:
        for m in pattern.finditer(text):
            kg = read(m.group(1))
            if kg is not None and not _changed(text[max(0, m.start() - 24) : m.start()], text[m.end() :]):
                return _plausible(kg)
    return None


def _changed(before: str, after: str) -> bool:
    """Words of a change of weight beside a number of kilograms ("lost 5 kg", "掉了5公斤", "3kg 빠졌어요")."""
    return bool(
        _WEIGHT_CHANGE_EN.search(before)
        or _WEIGHT_CHANGE_AFTER_EN.search(after)
        or _WEIGHT_CHANGE_ZH.search(before.replace(" ", ""))
        or _WEIGHT_CHANGE_AFTER_ZH.search(after.replace(" ", ""))
        or _WEIGHT_CHANGE_AFTER_KO.search(after.replace(" ", ""))
    )


def _plausible(kg: float) -> float | None:
    return kg if 1.5 <= kg <= 200 else None


# --- a regimen: units a dose and doses a day ---------------------------------------------------------


def _names_as_units(text: str, names: Iterable[str]) -> str:
    """``text`` with an English name of an ordered tablet after a number read as the unit ("2 nurofen",
    "two ibuprofen" -> "2 tablets"); names of three or more letters, whole words only. A number after the
    name is a strength ("2 nurofen 200"), unless it is a count of times ("2 imodium 6 times a day", after
    round 25)."""
    words = sorted({n.lower() for n in names if re.fullmatch(r"[a-z][a-z-]{2,24}", n.lower())}, key=len)
    if not words:
        return text
    pattern = re.compile(
        r"\b(\d+|one|two|three|four|a couple of)( or \d+| or two| or three)? (?:"
        + "|".join(map(re.escape, words))
        + r")s?\b(?! (?:\d+(?! ?times?\b)|mg|gel|cream|spray|syrup|liquid|suspension|for children))"
    )
    return pattern.sub(lambda m: f"{m.group(1)}{m.group(2) or ''} tablets", text)


_EN_UNIT = r"(?:tablets?|caplets?|capsules?|caps|pills?|tabs?|gelcaps?|softgels?|of these|of them|of those)"
_EN_EVERY = re.compile(
    EN_NUM
    + r"(?:-\d+)? ?"
    + _EN_UNIT
    + r"? (?:every|each) "
    + EN_HOURS
    + r"(?: ?(?:-|to) ?\d+)? ?(?:hours?|hrs?|h)\b"
)
_EN_TIMES = re.compile(
    EN_NUM
    + r"(?:-\d+)? ?"
    + _EN_UNIT
    + r"?(?: up to| about)? "
    + EN_OFTEN
    + r"(?: times?)?"
    + r" (?:a|per|each|every) day\b"
)
_EN_PER_DAY = re.compile(EN_NUM + r" ?" + _EN_UNIT + r" (?:a|per|each|every) day\b")
_EN_UNITS = re.compile(
    r"(?:take|takes|taking|took|have|having|give|giving|use|using)? ?" + EN_NUM + r"(?:-\d+)? ?" + _EN_UNIT
)
_EN_DOSES = re.compile(EN_OFTEN + r"(?: times?)? (?:a|per|each|every) day\b")
_EN_HOURS = re.compile(r"(?:every|each) " + EN_HOURS + r"(?: ?(?:-|to) ?\d+)? ?(?:hours?|hrs?|h)\b")

_ZH_UNIT = r"(?:片|粒|颗|丸|袋|包|支|瓶)"
_ZH_UNITS = re.compile(
    r"(?:一次|每次|一回|每回)(?:吃|服|服用|用)?" + ZH_NUM + r"(?:[-~到至]" + ZH_NUM + r")?" + _ZH_UNIT
)
_ZH_DOSES = re.compile(r"(?:一天|每天|一日|每日)(?:吃|服|服用|用)?" + ZH_NUM + r"次")
_ZH_DOSES_MAX = re.compile(r"(?:一天|每天|一日|每日)(?:不超过|最多|不得超过)" + ZH_NUM + r"次")
_ZH_HOURS = re.compile(r"每(?:隔)?" + ZH_NUM + r"个?(?:小时|钟头)")
_ZH_HOURS_UNITS = re.compile(
    r"每(?:隔)?" + ZH_NUM + r"个?(?:小时|钟头)(?:就)?(?:吃|服|服用|用)?" + ZH_NUM + _ZH_UNIT
)
_ZH_PER_DAY = re.compile(r"(?:一天|每天|一日|每日)(?:吃|服|服用|用|喝)?" + ZH_NUM + _ZH_UNIT)

_KO_UNIT = r"(?:알|정|캡슐|개|포|병)"
_KO_UNITS = re.compile(r"(?:한번에|1회에?|한번|매번)" + KO_NUM + _KO_UNIT)
# "두 알씩 하루에 네 번": units a dose said with 씩 (each time), native numerals included.
_KO_UNITS_EACH = re.compile(KO_NUM + _KO_UNIT + r"씩")
_KO_DOSES = re.compile(r"하루(?:에)?" + KO_NUM + r"(?:번|회|차례)")
_KO_HOURS = re.compile(KO_NUM + r"시간(?:마다|간격)")
_KO_PER_DAY = re.compile(r"하루(?:에)?" + KO_NUM + _KO_UNIT)

# After round 25: times of day listed as the doses of a day, only with a count a dose said beside them
# ("one each morning, noon and night", "早中晚各一片", "아침 점심 저녁 하나씩"); the count of times is the
# number of doses a day. Without a count a dose ("worse morning and night") nothing is read.
_EN_DAY_TIMES = (
    (r"morning,? (?:noon|midday|lunch(?:time)?|afternoon),? and (?:night|evening|bedtime)", 3.0),
    (r"morning and (?:night|evening|bedtime)", 2.0),
)
_EN_DAY_TIMES_FIRST = tuple(
    (
        re.compile(
            EN_NUM + r" ?(?:" + _EN_UNIT + r" ?(?:each )?|each )(?:every |each |in the )?" + times + r"\b"
        ),
        n,
    )
    for times, n in _EN_DAY_TIMES
)
_EN_DAY_TIMES_AFTER = tuple(
    (
        re.compile(r"\b(?:every |each |in the )?" + times + r",? " + EN_NUM + r" ?" + _EN_UNIT + r"? each\b"),
        n,
    )
    for times, n in _EN_DAY_TIMES
)
_ZH_EACH_TIME = r"各(?:吃|服|服用|用)?" + ZH_NUM + _ZH_UNIT + r"?(?!次|回)"  # 各一次: doses, not units
_ZH_DAY_TIMES = (
    (re.compile(r"(?:早中晚|早午晚|早上中午晚上|早上、中午、晚上)" + _ZH_EACH_TIME), 3.0),
    (re.compile(r"(?:早晚|早上晚上|早上和晚上|早、晚)" + _ZH_EACH_TIME), 2.0),
)
_KO_EACH_TIME = r"(?:에|으로|마다)?(?:각각|각)?" + KO_NUM + _KO_UNIT + r"?씩"
_KO_DAY_TIMES = (
    (re.compile(r"아침,?점심,?(?:저녁|밤)" + _KO_EACH_TIME), 3.0),
    (re.compile(r"아침,?(?:저녁|밤)" + _KO_EACH_TIME), 2.0),
)


# The most a day the text says will be taken ("no more than 8 in 24 hours", "一天最多8片", "하루 최대 8알"):
# a regimen is read as at most this many units a day.
_EN_CAP = re.compile(
    r"(?:no more than|not more than|never more than|max(?:imum)?(?: of)?|at most|up to) "
    + EN_NUM
    + r" ?"
    + _EN_UNIT
    + r"?(?: in| a| per| each| every)? ?(?:24 ?(?:hours?|hrs?|h)|day)\b"
)
_ZH_CAP = re.compile(
    r"(?:一天|每天|一日|每日|24小时)内?(?:最多|不超过|不得超过|最多不超过)(?:吃|服)?" + ZH_NUM + _ZH_UNIT
)
_KO_CAP = re.compile(r"(?:하루|24시간)(?:에)?(?:최대|많아야)" + KO_NUM + _KO_UNIT)


_RANGE = re.compile(r"^\d+(?:\.\d+)? ?(?:-|to|or) ?(\d+(?:\.\d+)?)\b")


def _top(words: str, first: float | None) -> float | None:
    """The top of a range of units at the start of ``words`` ("1-2 tablets", "1 or 2"), else ``first``."""
    found = _RANGE.match(words)
    return float(found.group(1)) if found else first


@dataclass(frozen=True, slots=True)
class Regimen:
    """Units of a product taken in a day, as the text states it, and the words it was read from."""

    units_a_day: float
    words: str


def stated_regimen(symptoms: str | None, names: Iterable[str] = ()) -> Regimen | None:
    """The units a day the text says are taken: units a dose times doses a day ("2 every 4 hours" is 12,
    "一次3粒，一天3次" is 9, "한 번에 2알씩 하루 3번" is 6), or units a day said outright ("8 tablets a
    day", "一天吃8片", "하루에 8알"). A range counts at its top ("1-2片"); "every 4 to 6 hours" at the
    longer interval. None when the text does not give both parts. ``names`` (round 21): English names of
    the ordered tablets (a brand, the ingredient) that stand for the unit after a number ("2 Nurofen four
    times a day" is 8 tablets a day). After round 25: times of day listed with a count a dose ("아침 점심
    저녁 하나씩" is 3, "早晚各一片" 2, "2 tablets morning and night" 4)."""
    if not symptoms:
        return None
    text = _names_as_units(normalise(symptoms), names)
    compact = text.replace(" ", "")
    best: Regimen | None = None

    def keep(units: float | None, per_day: float | None, words: str) -> None:
        nonlocal best
        if units is None or per_day is None or units <= 0 or per_day <= 0:
            return
        if best is None or units * per_day > best.units_a_day:
            best = Regimen(units * per_day, words)

    for m in _EN_EVERY.finditer(text):
        interval = en_number(m.group(2))
        span = re.search(r"(?:-|to) ?(\d+)", m.group(0)[m.group(0).rfind(m.group(2)) :])
        if span:
            interval = float(span.group(1))
        keep(_top(m.group(0), en_number(m.group(1))), 24 / interval if interval else None, m.group(0))
    for m in _EN_TIMES.finditer(text):
        keep(_top(m.group(0), en_number(m.group(1))), en_number(m.group(2)), m.group(0))
    for m in _EN_PER_DAY.finditer(text):
        keep(en_number(m.group(1)), 1.0, m.group(0))
    if best is None:  # the two parts apart: "I take 2 caplets ... three times a day"
        # A dose is a few units; "20 tablets left" is a count, not a dose.
        doses_said = (
            _top(text[m.start(1) : m.end()], en_number(m.group(1))) for m in _EN_UNITS.finditer(text)
        )
        units = next((n for n in doses_said if n is not None and n <= 4), None)
        doses = next((m for m in _EN_DOSES.finditer(text)), None)
        hours = next((m for m in _EN_HOURS.finditer(text)), None)
        if doses is not None:
            keep(units, en_number(doses.group(1)), doses.group(0))
        elif hours is not None and (h := en_number(hours.group(1))):
            keep(units, 24 / h, hours.group(0))

    zh_first = _ZH_UNITS.search(compact)
    if zh_first is not None:
        m = zh_first
        units = zh_number(m.group(2)) if m.group(2) else zh_number(m.group(1))
        doses = _ZH_DOSES.search(compact) or _ZH_DOSES_MAX.search(compact)
        if doses is not None:
            keep(units, zh_number(doses.group(1)), f"{m.group(0)}，{doses.group(0)}")
        elif (hours := _ZH_HOURS.search(compact)) is not None and (h := zh_number(hours.group(1))):
            keep(units, 24 / h, f"{m.group(0)}，{hours.group(0)}")
    for m in _ZH_HOURS_UNITS.finditer(compact):
        interval = zh_number(m.group(1))
        keep(zh_number(m.group(2)), 24 / interval if interval else None, m.group(0))
    for m in _ZH_PER_DAY.finditer(compact):
        keep(zh_number(m.group(1)), 1.0, m.group(0))

    ko_units = _KO_UNITS.search(compact) or _KO_UNITS_EACH.search(compact)
    if ko_units is not None:
        units = ko_number(ko_units.group(1))
        doses = _KO_DOSES.search(compact)
        if doses is not None:
            keep(units, ko_number(doses.group(1)), f"{ko_units.group(0)} {doses.group(0)}")
        elif (hours := _KO_HOURS.search(compact)) is not None and (h := ko_number(hours.group(1))):
            keep(units, 24 / h, f"{ko_units.group(0)} {hours.group(0)}")
    for m in _KO_PER_DAY.finditer(compact):
        keep(ko_number(m.group(1)), 1.0, m.group(0))
    for pattern, doses_a_day in (*_EN_DAY_TIMES_FIRST, *_EN_DAY_TIMES_AFTER):
        for m in pattern.finditer(text):
            keep(en_number(m.group(1)), doses_a_day, m.group(0))
    for pattern, doses_a_day in _ZH_DAY_TIMES:
        for m in pattern.finditer(compact):
            keep(zh_number(m.group(1)), doses_a_day, m.group(0))
    for pattern, doses_a_day in _KO_DAY_TIMES:
        for m in pattern.finditer(compact):
            keep(ko_number(m.group(1)), doses_a_day, m.group(0))
    if best is None:
        return None
    caps = [
        n
        for n in (
            *(en_number(m.group(1)) for m in _EN_CAP.finditer(text)),
            *(zh_number(m.group(1)) for m in _ZH_CAP.finditer(compact)),
            *(ko_number(m.group(1)) for m in _KO_CAP.finditer(compact)),
        )
        if n is not None
    ]
    if caps and min(caps) < best.units_a_day:
        return Regimen(min(caps), best.words)
    return best


_EN_MG_A_DAY = re.compile(
    r"(\d+(?:\.\d+)?) ?(mg|g|grams?|milligrams?)(?: of [a-z ]{1,30}?)? (?:a|per|each|every) day\b"
)
_ZH_MG_A_DAY = re.compile(r"(?:一天|每天|一日|每日)(?:吃|服|服用|共)?(\d+(?:\.\d+)?)(毫克|mg|克|g)")
_KO_MG_A_DAY = re.compile(r"하루(?:에)?(?:총)?(\d+(?:\.\d+)?)(밀리그램|mg|그램|g)")
_MG_UNITS = {"mg": 1.0, "milligram": 1.0, "milligrams": 1.0, "毫克": 1.0, "밀리그램": 1.0}


def stated_mg_a_day(symptoms: str | None) -> tuple[float, str] | None:
    """An amount a day said in milligrams or grams ("7.8 g a day", "一天吃3克", "하루 4000mg"), with the
    words; the largest when several are said. None when the text says none."""
    if not symptoms:
        return None
    text = normalise(symptoms)
    compact = text.replace(" ", "")
    found = [*_EN_MG_A_DAY.finditer(text), *_ZH_MG_A_DAY.finditer(compact), *_KO_MG_A_DAY.finditer(compact)]
    amounts = [(float(m.group(1)) * _MG_UNITS.get(m.group(2), 1000.0), m.group(0)) for m in found]
    return max(amounts) if amounts else None


# --- a dose of a liquid measured in millilitres --------------------------------------------------------

# "10 ml", "7.5ml", "每次10毫升", "5ml씩", "5밀리", "two teaspoons" (5 ml each), "2茶匙"; not a concentration
# ("120mg/5ml") nor a bottle's size ("a 100 ml bottle", "100毫升一瓶", "100ml 한 병").
_ML = re.compile(
    r"(?<![/\d.])(\d+(?:\.\d+)?) ?(ml|mls|millilitres?|milliliters?|毫升|밀리리터|밀리|미리)(?![a-z/])"
)
_TSP = re.compile(
    r"(?<![/\d.])(\d+(?:\.\d+)?|half a|a|one|two|three|半|一|两|二|三) ?(teaspoons?|tsps?|茶匙|小勺)(?![a-z])"
)
# Round 26: a dose in millilitres said in number words ("每次五毫升", "两毫升半" 2.5, "five ml", "two and a
# half ml"); Korean ones below.
_ZH_ML_WORDS = re.compile(
    r"(?<![\d.一二两俩三四五六七八九十百零半几])([一二两俩三四五六七八九十]+)(?:个)?(半)?毫升(半)?"
)
_EN_ML_WORDS = re.compile(
    r"(?<![a-z])(one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty)( and a half)? ?"
    r"(?:ml|mls|millilitres?|milliliters?)(?![a-z])"
)
# Round 27: a Korean dose in millilitres said in number words ("열 미리씩", "다섯 밀리리터"):
# "미리" and "밀리" only with 씩 ("each") after them, as "열" is also "fever" and "미리" also "in
# advance" ("열 미리 내리려고").
_KO_ML_WORDS = re.compile(rf"{KO_NUM}(?:(?:미리|밀리)씩|밀리리터(?:씩)?)")
_BOTTLE_AFTER = re.compile(r"^ ?(?:bottles?|of (?:the )?bottle|瓶|一瓶|装|병|한병|짜리)")
_BOTTLE_BEFORE = re.compile(r"(?:bottle|瓶|병)[^.,，。]{0,6}$")
_CONCENTRATION_BEFORE = re.compile(r"(?:mg|g|mcg|毫克|克|밀리그램) ?(?:/|per|in|每) ?$")


def stated_ml_a_dose(symptoms: str | None) -> tuple[float, str] | None:
    """A dose of a liquid the text gives in millilitres ("10 ml", "每次喂10毫升", "5ml씩", "2.5毫升") or
    teaspoons (5 ml each: "two teaspoons", "2茶匙"), with the words; the largest when several are said,
    and only amounts of a dose (at most 30 ml). None when the text gives none, or only a concentration
    ("120 mg/5 ml") or a bottle's size ("a 100 ml bottle")."""
    if not symptoms:
        return None
    text = normalise(symptoms)
    found: list[tuple[float, str]] = []
    for m in _ML.finditer(text):
        before = text[max(0, m.start() - 12) : m.start()]
        if _BOTTLE_AFTER.match(text[m.end() :]) or _BOTTLE_BEFORE.search(before[-8:]):
            continue
        if _CONCENTRATION_BEFORE.search(before):  # "160 mg / 5 ml", "160 mg per 5 ml": a concentration
            continue
        found.append((float(m.group(1)), m.group(0)))
    compact = text.replace(" ", "")
    for pattern, read in ((_ZH_ML_WORDS, zh_number), (_KO_ML_WORDS, ko_number)):
        for m in pattern.finditer(compact):
            if _BOTTLE_AFTER.match(compact[m.end() :]) or _BOTTLE_BEFORE.search(
                compact[max(0, m.start() - 8) : m.start()]
            ):
                continue
            n = read(m.group(1))
            if n is not None:
                half = pattern is _ZH_ML_WORDS and bool(m.group(2) or m.group(3))  # 两毫升半, 两个半毫升
                found.append((n + (0.5 if half else 0.0), m.group(0)))
    for m in _EN_ML_WORDS.finditer(text):
        if _BOTTLE_AFTER.match(text[m.end() :]):
            continue
        n = en_number(m.group(1))
        if n is not None:
            found.append((n + (0.5 if m.group(2) else 0.0), m.group(0)))
    for m in _TSP.finditer(text):
        said = m.group(1)
        n = 0.5 if said == "half a" else en_number(said) if said.isascii() else zh_number(said)
        if n is not None:
            found.append((n * 5.0, m.group(0)))
    doses = [f for f in found if 0 < f[0] <= 30]
    return max(doses) if doses else None


def stated_ml_a_day(symptoms: str | None) -> tuple[float, str] | None:
    """Leftovers of round 19: the ml a day of a liquid regimen the text gives, a dose in ml
    (``stated_ml_a_dose``) times the doses a day ("10 ml four times a day" 40, "一次10毫升 一天4次" 40,
    "10ml씩 하루 4번" 40, "5 ml every 4 hours" 30), with the words; None without both parts."""
    dose = stated_ml_a_dose(symptoms)
    if dose is None or not symptoms:
        return None
    text = normalise(symptoms)
    compact = text.replace(" ", "")
    per_day: tuple[float | None, str] | None = None
    if (m := _EN_DOSES.search(text)) is not None:
        per_day = (en_number(m.group(1)), m.group(0))
    elif (m := _ZH_DOSES.search(compact) or _ZH_DOSES_MAX.search(compact)) is not None:
        per_day = (zh_number(m.group(1)), m.group(0))
    elif (m := _KO_DOSES.search(compact)) is not None:
        per_day = (ko_number(m.group(1)), m.group(0))
    else:
        for pattern, view, number in (
            (_EN_HOURS, text, en_number),
            (_ZH_HOURS, compact, zh_number),
            (_KO_HOURS, compact, ko_number),
        ):
            if (m := pattern.search(view)) is not None and (h := number(m.group(1))):
                per_day = (24 / h, m.group(0))
                break
    if per_day is None or not per_day[0] or per_day[0] > 12:
        return None
    return (dose[0] * per_day[0], f"{dose[1]}, {per_day[1]}")


_CONCENTRATION = re.compile(r"^(mg|g|mcg)/(\d+(?:\.\d+)?)? ?ml$")
_CONC_TO_MG = {"mg": 1.0, "g": 1000.0, "mcg": 0.001}


def mg_per_ml(strength: float | None, unit: str | None) -> float | None:
    """The concentration of a liquid in mg per ml from a product's strength and unit (100 with "mg/5ml" is
    20; 100 with "mg/ml" is 100); None when the unit is no concentration."""
    if strength is None or unit is None:
        return None
    m = _CONCENTRATION.match(unit.strip().lower().replace(" ", ""))
    if m is None:
        return None
    volume = float(m.group(2)) if m.group(2) else 1.0
    return strength * _CONC_TO_MG[m.group(1)] / volume if volume > 0 else None


# "120 mg/5 ml", "160毫克/5毫升", "32mg/ml" in a product's name.
_NAMED_CONCENTRATION = re.compile(
    r"(\d+(?:\.\d+)?) ?(?:mg|毫克|밀리그램) ?(?:/|per|每) ?(\d+(?:\.\d+)?)? ?(?:ml|毫升|밀리리터)(?![a-z])"
)


def named_mg_per_ml(names: Iterable[str | None], strength: float | None, unit: str | None) -> float | None:
    """Round 19: the concentration of a liquid whose ingredient gives only its mg ("paracetamol 120 mg")
    while its name says per how many ml ("Children's paracetamol 120 mg/5 ml"): mg per ml, when a name
    states it with the same mg; None otherwise."""
    if strength is None or unit is None or unit.strip().lower() not in ("mg", "毫克", "밀리그램"):
        return None
    for name in names:
        for m in _NAMED_CONCENTRATION.finditer(normalise(name or "")):
            volume = float(m.group(2)) if m.group(2) else 1.0
            if float(m.group(1)) == strength and volume > 0:
                return strength / volume
    return None


# --- a strength named in a query ---------------------------------------------------------------------

_STRENGTH = re.compile(r"(\d+(?:\.\d+)?) ?(mg|g|毫克|克|밀리그램|밀리|그램)(?![a-z/])")
_TO_MG = {"mg": 1.0, "毫克": 1.0, "밀리그램": 1.0, "밀리": 1.0, "g": 1000.0, "克": 1000.0, "그램": 1000.0}


def named_strength_mg(query: str | None) -> float | None:
    """The one strength in milligrams a query names ("ibuprofen 800mg", "布洛芬 0.3g", "이부프로펜
    800밀리그램"); None when it names none, more than one, or a concentration ("160 mg/5 ml")."""
    if not query:
        return None
    found = _STRENGTH.findall(normalise(query))
    if len(found) != 1:
        return None
    number, unit = found[0]
    return float(number) * _TO_MG[unit]


# --- how long, and on how many days a month ----------------------------------------------------------

_EN_DAYS_A_MONTH = re.compile(
    r"(?:about |around |over |more than |at least |nearly |almost )?"
    + EN_NUM
    + r"(?: or more)? days? (?:a|per|each|every|of the) month"
)
_ZH_DAYS_A_MONTH = re.compile(r"(?:一个月|每个?月|一月)[^，。,.]{0,4}?" + ZH_NUM + r"多?天")
# "월" alone is "a month" ("월 20일 정도"), never the month of a date ("1월 20일", "시월 3일": round 19).
_KO_DAYS_A_MONTH = re.compile(
    r"(?:한달|매달|매월|한달에|(?<![\d일이삼사오육칠팔구십유시])월)(?:에)?(?:평균|보통|거의)?"
    + KO_NUM
    + r"일"
)
_KO_DAYS_A_MONTH_N = re.compile(r"(?:한달|매달|매월)(?:에)?(?:평균|보통|거의)?(\d+)일")


def days_a_month(symptoms: str | None) -> tuple[float, str] | None:
    """The days a month a medicine is taken, as said ("20 days a month", "一个月有20天要吃", "한 달에 20일
    넘게"), with the words; None when the text does not say."""
    if not symptoms:
        return None
    text = normalise(symptoms)
    compact = text.replace(" ", "")
    m = _EN_DAYS_A_MONTH.search(text)
    if m and (n := en_number(m.group(1))) is not None:
        return n, m.group(0)
    z = _ZH_DAYS_A_MONTH.search(compact)
    if z and (n := zh_number(z.group(1))) is not None:
        return n, z.group(0)
    k = _KO_DAYS_A_MONTH_N.search(compact) or _KO_DAYS_A_MONTH.search(compact)
    if k and (n := ko_number(k.group(1))) is not None:
        return n, k.group(0)
    return None


_EN_UNIT_DAYS = {"day": 1, "night": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}
_EN_DURATION = re.compile(
    r"(?:for|since|over|past|last|about|almost|nearly|more than|the past|the last)? ?"
    + EN_NUM
    + r"(?: or (?:\d+|two|three|four|five|six))?(?:-\d+)? (day|night|week|fortnight|month|year)s?\b"
    r"(?! ago| old|-old| of age)"
)
_EN_FREQUENCY_AFTER = re.compile(r"^ ?(?:a|per|each|every|of the) (?:month|week|year)")
_EN_FREQUENCY_BEFORE = re.compile(
    r"\b(?:days?|nights?|times?|once|twice|tablets?|caplets?|capsules?|pills?|one|two)\s*$"
)
_ZH_DURATION = re.compile(r"(半|" + ZH_NUM[1:-1] + r")(多)?(个多?|多个)?(天|日|周|星期|礼拜|月|年)(多)?")
_KO_DURATION = re.compile(
    r"("
    + KO_NUM[1:-1]
    + r"|일|이|삼|사|오|육|칠|팔|구|십)(?:여)?(일|주일|주|달|개월|년)(?:째|동안|넘게|이상|간|가까이|정도|여)"
)
_KO_HALF_MONTH = re.compile(r"보름(?:째|동안|넘게|이상|간)")
_ZH_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "月": 30, "年": 365}
_KO_UNIT_DAYS = {"일": 1, "주일": 7, "주": 7, "달": 30, "개월": 30, "년": 365}

# Words of taking or using a medicine, in the clause of a duration ("have used Afrin every night for 3
# weeks", "已经吃了半年", "3개월째 매일 먹고"), as against how long an illness has lasted.
_EN_USE = re.compile(
    r"\b(use|used|using|uses|take|took|taking|taken|takes|spray|sprayed|spraying|been on|on it"
    r"|(?:have|has|had|been) (?:done|doing)|put(?:ting)? (?:them |it |drops )?in"
    r"|every (?:day|night|morning|evening)|daily|nightly|each (?:day|night))\b"
)
_ZH_USE = re.compile(r"吃|服|用|喷|滴|擦|抹|涂")
_KO_USE = re.compile(r"먹|복용|뿌리|뿌려|사용|써|쓰|바르|발라|드시|드셨|매일|넣|점안")
_CLAUSE = re.compile(r"[.;!?。；！？,，、]|\b(?:but|and then|although|though)\b|但是|可是|하지만|그런데")


# A start said instead of a length (round 16): "since June", "since last month", "从上个月开始", "지난달부터".
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_EN_SINCE_MONTH = re.compile(
    r"\bsince (?:about |around |early |mid |late |the (?:start|beginning|end|middle) of )?("
    + "|".join(_MONTHS)
    + r")\b"
)
_EN_SINCE_LAST = re.compile(r"\bsince (?:last|the last) (week|month|year)\b")
_ZH_SINCE_MONTH = re.compile(
    r"(?:从|自|打)(\d{1,2}|[一二三四五六七八九十]{1,2})月份?(?:初|中|底)?(?:开始|起|以来|到现在)"
)
_ZH_SINCE_LAST = re.compile(r"(?:从|自|打)?(上个?月|上周|上个?星期|去年)(?:初|中|底)?(?:开始|起|以来|到现在)")
_KO_SINCE_MONTH = re.compile(r"(\d{1,2})월(?:초|중순|말)?부터")
_KO_SINCE_LAST = re.compile(r"(지난달|지난주|작년|지난해)(?:초|말)?부터")
_SINCE_LAST_DAYS = {
    "week": 7,
    "month": 30,
    "year": 365,
    "上月": 30,
    "上个月": 30,
    "上周": 7,
    "上星期": 7,
    "上个星期": 7,
    "去年": 365,
    "지난달": 30,
    "지난주": 7,
    "작년": 365,
    "지난해": 365,
}


def _days_since_month(month: int, today: date | None) -> float | None:
    """Days from the end of ``month`` (its last occurrence before today) to today: the least the text can
    mean; None for the current month or without today's date."""
    if today is None or not 1 <= month <= 12 or month == today.month:
        return None
    year = today.year if month < today.month else today.year - 1
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return float((today - end).days + 1)


def _since(spaced: str, compact: str, today: date | None) -> list[tuple[float, str]]:
    found: list[tuple[float, str]] = []
    for m in _EN_SINCE_MONTH.finditer(spaced):
        if (days := _days_since_month(_MONTHS[m.group(1)], today)) is not None:
            found.append((days, m.group(0)))
    for m in _ZH_SINCE_MONTH.finditer(compact):
        n = zh_number(m.group(1))
        if n is not None and (days := _days_since_month(int(n), today)) is not None:
            found.append((days, m.group(0)))
    for m in _KO_SINCE_MONTH.finditer(compact):
        if (days := _days_since_month(int(m.group(1)), today)) is not None:
            found.append((days, m.group(0)))
    for pattern, text in ((_EN_SINCE_LAST, spaced), (_ZH_SINCE_LAST, compact), (_KO_SINCE_LAST, compact)):
        for m in pattern.finditer(text):
            found.append((float(_SINCE_LAST_DAYS[m.group(1)]), m.group(0)))
    return found


def used_days(symptoms: str | None, *, of_use: bool, today: date | None = None) -> tuple[float, str] | None:
    """The longest of ``durations_said``, in days, with its words; None when the text gives no duration."""
    said = durations_said(symptoms, of_use=of_use, today=today)
    return max(((days, words) for days, words, _ in said), key=lambda d: d[0], default=None)


def durations_said(
    symptoms: str | None, *, of_use: bool, today: date | None = None
) -> list[tuple[float, str, str]]:
    """Each clause's longest duration, in days, with its words and the clause: "for 3 weeks" 21, "a month" 30,
    "一个多月" 30, "半年" 180, "两个月" 60, "3개월째" 90, "일주일째" 7, "보름" 15. With ``of_use`` only a
    duration in a clause that says the medicine is taken or used counts ("I've used it every night for 3
    weeks", not "a cough for 3 weeks"). "N days a month" is a frequency, not a duration, and "3 days ago"
    a point in time. A start counts too: "since last month" (30), "从上个月开始", "지난달부터", and with
    ``today`` a month ("since June", "从6月开始", "6월부터": the days since that month ended). The clause
    says what the duration is of ("vitamin D for 2 months" is not the omeprazole ordered)."""
    if not symptoms:
        return []
    text = normalise(symptoms)
    out: list[tuple[float, str, str]] = []
    for clause in _CLAUSE.split(text):
        if not clause or not clause.strip():
            continue
        spaced = clause.strip()
        compact = spaced.replace(" ", "")
        found: list[tuple[float, str]] = []
        for m in _EN_DURATION.finditer(spaced):
            if _EN_FREQUENCY_AFTER.match(spaced[m.end() :]):
                continue  # "20 days a month": a frequency
            if m.group(0).strip().startswith(m.group(1)) and _EN_FREQUENCY_BEFORE.search(spaced[: m.start()]):
                continue  # the "a month" of "20 days a month", the "a day" of "three times a day"
            n = en_number(m.group(1))
            if n is not None:
                found.append((n * _EN_UNIT_DAYS[m.group(2)], m.group(0).strip()))
        for m in _ZH_DURATION.finditer(compact):
            number, unit = m.group(1), m.group(4)
            if unit == "月" and not m.group(3):
                continue  # "3月" is March; a month count needs 个 ("两个月", "一个多月", "半个月")
            if unit in ("天", "日") and (compact[m.end() : m.end() + 1] in ("前",) or m.group(3)):
                continue
            if compact[m.end() : m.end() + 1] == "前" or compact[m.end() : m.end() + 2] in ("以前", "之前"):
                continue
            if compact[max(0, m.start() - 4) : m.start()].endswith(
                ("一个月有", "每个月", "一个月", "每月")
            ) and unit in (
                "天",
                "日",
            ):
                continue  # "一个月有20天": days a month
            if unit == "月" and re.match(r"有?[\d一二两三四五六七八九十几]+多?天", compact[m.end() :]):
                continue  # "一个月有20天": the month of a frequency
            if unit in ("月", "周", "天") and re.match(r"大|的(?:宝宝|孩子|婴儿|小孩)", compact[m.end() :]):
                continue  # "11个月大": an age
            n = zh_number(number)
            if n is not None:
                found.append((n * _ZH_UNIT_DAYS[unit], m.group(0)))
        for m in _KO_DURATION.finditer(compact):
            before = compact[max(0, m.start() - 4) : m.start()]
            if m.group(2) == "일" and before.endswith(("한달에", "매달", "매월", "달에")):
                continue  # "한 달에 20일": days a month
            n = ko_number(m.group(1))
            if n is not None:
                found.append((n * _KO_UNIT_DAYS[m.group(2)], m.group(0)))
        for m in _KO_HALF_MONTH.finditer(compact):
            found.append((15.0, m.group(0)))
        found.extend(_since(spaced, compact, today))
        if not found:
            continue
        if of_use and not (_EN_USE.search(spaced) or _ZH_USE.search(compact) or _KO_USE.search(compact)):
            continue
        days, words = max(found, key=lambda d: d[0])
        out.append((days, words, spaced))
    return out


# --- pregnancy said by a date (round 19) ----------------------------------------------------------------

# A day of a month: "January 20", "20th of Jan", "20 jan 2027"; "明年1月20号", "2027年1月20日";
# "내년 1월 20일". The year word, when said, is kept ("next year", 明年, 내년; this year, 今年, 올해).
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
_EN_DATE = re.compile(
    r"(?:(next|this) year,? )?(?:on )?(?:the )?(?:(\d{1,2})(?:st|nd|rd|th)? (?:of )?("
    + _MONTH_WORDS
    + r")\b|("
    + _MONTH_WORDS
    + r")\.? (\d{1,2})(?:st|nd|rd|th)?\b)(?:,? (20\d\d))?"
)
_CJK_DATE = re.compile(
    r"(明年|今年|내년|올해|(20\d\d)(?:年|년))?(?:的)?(\d{1,2})(?:月|월)(\d{1,2})(?:号|日|일)"
)
# A date in digits only (leftovers of round 19): "20/1", "1/20/2027", "2027/1/20", "1.20", "2027-01-20". Not a
# decimal of an amount or a length ("1.5 weeks", "2.5 ml") nor a time ("3:10").
_DIGIT_DATE = re.compile(
    r"(?<![\d.:/-])(?:(20\d\d)[/.-](\d{1,2})[/.-](\d{1,2})"
    r"|(\d{1,2})[/.-](\d{1,2})(?:[/.-](20\d\d|\d\d))?)"
    r"(?![\d:]|[/.-]\d"
    r"| ?(?:weeks?|wks?|days?|months?|years?|ml|mg|kg|g\b|%|周|天|个月|年|毫升|주|일|개월|달|년))"
)
_NEXT = ("next", "明年", "내년")
_THIS = ("this", "今年", "올해")

# Words that give a due date ("my due date is January 20", "预产期是明年1月20号", "출산 예정일이 1월 20일"),
# never another planned date ("수술 예정일", "생리 예정일", "an appointment on January 20").
_EN_DUE = re.compile(
    r"\b(?:due date|(?:baby|babys|baby is|im|i am|she is|shes|were|we are) due|\bedd\b)"
    r"|(?:^|(?<=[,.;:!?] )|(?<=[,.;:!?]))due\b(?= (?:on )?\d)"
)
_CJK_DUE = re.compile(r"预产期|(?:출산|분만)예정일|출산일")
# Another person's due date named just before ("my sister's due date", "我姐的预产期", "언니 출산 예정일"):
# the customer speaks of someone else, not of the patient (a third person written as "her" may be the
# patient).
# Another woman the customer may speak of, in each language (a due date or weeks of pregnancy said of her).
_OTHER_WOMAN_EN = (
    r"(?:sister|friend|daughter|wife|mum|mom|mother|colleague|cousin|niece|neighbour|neighbor|"
    r"daughter in law|sister in law|partner)s?"
)
_OTHER_WOMAN_ZH = r"(?:姐姐?|妹妹?|朋友|老婆|媳妇|女儿|同事|嫂子|表姐|表妹|闺蜜|儿媳)"
_OTHER_WOMAN_KO = r"(?:언니|누나|동생|친구|아내|와이프|딸|며느리|동료|올케|새언니)"
_OTHERS_DUE = re.compile(
    _OTHER_WOMAN_EN + r" $|" + _OTHER_WOMAN_ZH + r"的?$|" + _OTHER_WOMAN_KO + r"(?:의|가|는|도)?$"
)
# Words that give the first day of the last period ("last period was September 28", "末次月经9月28号",
# "마지막 생리가 9월 28일").
_EN_LMP = re.compile(r"\b(?:last (?:menstrual )?period|\blmp\b)")
_CJK_LMP = re.compile(r"末次月经|最后一次(?:月经|例假|大姨妈)|上次(?:月经|例假|大姨妈)|(?:마지막|지난)생리")
# A positive pregnancy test ("positive pregnancy test", "test came back positive", "验孕棒两条杠",
# "测出来阳性", "테스트기 두 줄"); a test word and a positive word a few words apart, not negated.
_EN_TEST = re.compile(
    r"\b(?:positive (?:pregnancy |home pregnancy |preg )?test|(?:pregnancy |preg )test[^.,;]{0,20}?"
    r"(?:positive|two (?:pink )?lines|pregnant)|two (?:pink )?lines on (?:the |a )?(?:pregnancy )?test)"
)
_EN_TEST_NO = re.compile(r"\b(?:not|no|negative|isnt|wasnt|never)\b")
_CJK_TEST = re.compile(
    r"(?:验孕棒|验孕|早孕试纸|试纸|测孕|임신테스트기?|테스트기|임테기)[^，。,.]{0,8}?"
    r"(?:两条杠|两道杠|两条线|两道线|双杠|阳性|有了|怀孕了|두줄|양성|임신)"
)
_CJK_TEST_NO = re.compile(r"不是|没有|没|不|아니|안나|않|음성|한줄")
# Round 27: pregnancy said as found out by a test or a check, with no test word before it
# ("上周刚测出来怀孕了", "医院查出怀孕", "지난주에 임신인 걸 알았어요", "병원에서 임신 확인했어요"): read
# as a positive test (weeks unknown); not another woman's ("老婆测出来怀孕了", "아내가 임신인 걸
# 알았어요"), not a question or a denial
# (``_CJK_TEST_NO`` just after it, "测出来怀孕了吗" by the question mark guard).
_CJK_FOUND_PREGNANT = re.compile(
    r"(?:测|查|验|检查|化验)(?:出来|出)了?(?:我)?(?:已经)?(?:是)?(?:怀孕|怀上|早孕)(?!了?[吗嘛没?？])"
    r"|임신(?:인|한|이라는|했다는)\s?(?:걸|것을|거를|사실을)\s?(?:알았|알게|확인)|임신\s?(?:확인|판정)(?:을)?\s?(?:했|받았|됐|되었)"
)
# A test of something else just before the test word ("코로나 테스트기 두 줄", "新冠抗原试纸两条杠",
# "covid test positive"): not a pregnancy test.
_OTHER_TEST = re.compile(
    r"코로나|코비드|독감|항원|자가진단|新冠|抗原|流感|核酸|covid|corona|flu|lateral flow|antigen|rapid"
)


def _said_date(m: re.Match[str], today: date, *, future: bool) -> date | None:
    """The date of a match of ``_EN_DATE`` or ``_CJK_DATE``; without a year, the next such day from today
    when ``future`` (a due date), else the last one up to today (a period)."""
    groups = m.groups()
    try:
        if m.re is _EN_DATE:
            word, day1, month1, month2, day2, year_said = groups
            month, day = _MONTHS[month1 or month2], int(day1 or day2)
        else:
            word, year_said, month_s, day_s = groups
            month, day = int(month_s), int(day_s)
            if word and word.endswith(("年", "년")):
                word = None
        if year_said:
            return date(int(year_said), month, day)
        if word in _NEXT:
            return date(today.year + 1, month, day)
        said = date(today.year, month, day)
        if word in _THIS:
            return said
        if future and said < today - timedelta(days=21):
            return date(today.year + 1, month, day)
        if not future and said > today:
            return date(today.year - 1, month, day)
        return said
    except (ValueError, KeyError):
        return None


def _date_after(pattern: re.Pattern[str], text: str, at: int) -> re.Match[str] | None:
    """The first date a few characters after a due-date or period word, in words or in digits only."""
    m = pattern.search(text, at, at + 24)
    d = _DIGIT_DATE.search(text, at, at + 24)
    if d is not None and (m is None or d.start() < m.start()):
        return d
    return m


def digit_date_readings(m: re.Match[str], today: date, *, future: bool, month_first: bool) -> list[date]:
    """The dates a date in digits only may be (a match of ``_DIGIT_DATE``). A year first ("2027/1/20") is
    year, month, day; two numbers are month and day in Chinese and Korean (``month_first``), while in English
    "3/10" may be 3 October or March 10: every valid reading is returned ("20/1" only 20 January, "1/20" only
    January 20). Without a year, the next such day from today when ``future`` (a due date), else the last one
    up to today (a period); a two-digit year is 20xx."""
    iso_year, iso_month, iso_day, first, second, year_said = m.groups()
    if iso_year:
        orders = [(int(iso_month), int(iso_day))]
        year: int | None = int(iso_year)
    else:
        a, b = int(first), int(second)
        orders = [(a, b)] if month_first else [(b, a), (a, b)]
        year = None
        if year_said:
            year = int(year_said) if len(year_said) == 4 else 2000 + int(year_said)
    out: list[date] = []
    for month, day in orders:
        try:
            if year is not None:
                said = date(year, month, day)
            else:
                said = date(today.year, month, day)
                if future and said < today - timedelta(days=21):
                    said = date(today.year + 1, month, day)
                if not future and said > today:
                    said = date(today.year - 1, month, day)
        except ValueError:
            continue
        if said not in out:
            out.append(said)
    return out


def _safer(weeks: set[int]) -> int | None:
    """The weeks of the one plausible reading of a date; None (weeks unknown: every pregnancy window applies,
    the early ones and the late ones) when an English "3/10" gives two plausible pregnancies that differ."""
    return next(iter(weeks)) if len(weeks) == 1 else None


def _readings(m: re.Match[str], today: date, *, future: bool, month_first: bool) -> list[date]:
    """Every date a date match may be: one for a date in words, one or two for a date in digits."""
    if m.re is _DIGIT_DATE:
        return digit_date_readings(m, today, future=future, month_first=month_first)
    when = _said_date(m, today, future=future)
    return [] if when is None else [when]


# Weeks or months of pregnancy said outright ("I'm 30 weeks pregnant", "怀孕30周", "孕5个月", "임신 30주차",
# "임신 5개월"); not "30 weeks after giving birth" nor a plan or its absence ("trying to get pregnant",
# "备孕3个月", "避孕", "没怀孕").
# Round 23: the British "N weeks gone" ("I'm about 9 weeks gone with our second") is read as "along" is.
_EN_WEEKS_PREGNANT = re.compile(r"\b(\d{1,2}) ?(weeks?|wks?|months?) (pregnant|along|gone)\b")
# "N weeks along" is pregnancy only said of a person ("I'm 20 weeks along", "she's 32 weeks along with our
# second"), in weeks, and not "along with the" ("the rash is 3 weeks along", "2 months along with the move").
_EN_ALONG_SUBJECT = re.compile(
    r"\b(?:i'?m|i am|she'?s|she is|we'?re|we are|" + _OTHER_WOMAN_EN + r" is)"
    r"(?: now| about| nearly| almost)? $"
)
# Round 22: "怀孕四个多月" (more than four months) is read as the months said.
_CJK_WEEKS_PREGNANT = re.compile(
    r"(?<![备想没未要避不怀])(?:怀孕|孕|妊娠|임신)(?:了|한지|한 지|중|중인데|된지)?"
    r"(\d{1,2}|[一二两三四五六七八九十]{1,3})(周|週|个多?月|個多?月|주|개월|달)"
)


# Another person named just before ("my sister is 20 weeks pregnant", "我姐怀孕32周", "언니가 임신 20주"): the
# customer speaks of someone else.
_OTHERS_PREGNANT = re.compile(
    _OTHER_WOMAN_EN
    + r" (?:is |who is |whos |was )?(?:now |about |nearly |almost )?$|"
    + _OTHER_WOMAN_ZH
    + r"(?:的|已经|现在|都)?$|"
    + _OTHER_WOMAN_KO
    + r"(?:의|가|는|도|이)?$"
)


# The medicine is for the other woman whose pregnancy is said (leftovers of round 19): "my wife is 20 weeks
# pregnant, can she take ibuprofen", "for my wife", "我老婆怀孕5个月了 她头疼能吃布洛芬吗", "给老婆买",
# "아내가 임신 20주인데 타이레놀 먹어도 되나요" (the subject said once carries to the question in Chinese
# and Korean, unless a first person comes between), "아내한테 먹여도", "그녀". Not "I'm staying with her",
# "helping her out", nor when the one asking says the medicine is for themself ("for myself", "can I take",
# "我自己", "제가 먹을").
_EN_FOR_HER = re.compile(
    r"\b(?:can|could|should|may|would|will|does|do) (?:she|her)\b"
    r"|\bis it (?:ok|okay|safe|alright|fine) for her\b"
    r"|\b(?:ok|okay|safe|alright|fine) for (?:her|my " + _OTHER_WOMAN_EN + r") to\b"
    r"|\bfor (?:her|my (?:pregnant )?" + _OTHER_WOMAN_EN + r")\b(?! to\b)"
    r"|\bshe (?:takes?|took|is taking|uses?|used|needs?|wants?|is after)\b"
    r"|\bgive (?:it |this |them )?(?:to )?her\b"
)
_EN_FOR_ME = re.compile(
    r"\bfor (?:me|myself)\b|\b(?:can|could|should|may) i (?:take|use|have)\b"
    r"|\bi (?:need|want|am taking|have been taking)\b"
)
_ZH_FOR_HER = re.compile(
    r"她[^，。,.?？!！]{0,8}?(?:能|可以|可不可以|能不能|该|要|想)(?:吃|用|服|喝)|给(?:她|我?"
    + _OTHER_WOMAN_ZH
    + r")(?:买|吃|用|喂)"
)
_KO_FOR_HER = re.compile(
    r"그녀|(?:" + _OTHER_WOMAN_KO + r")(?:한테|에게)(?:[^.?!]{0,12}?)(?:먹여|줘|주려|줄|사다)"
    r"|(?:" + _OTHER_WOMAN_KO + r")(?:가|는|이)?(?:먹을|복용할|쓸)약"
)
_CJK_FOR_ME = re.compile(r"我自己|给我(?:自己)?买|我(?:能|可以|能不能|可不可以)(?:吃|用)")
_KO_FOR_ME = re.compile(r"(?<![가-힣])(?:제가|내가|저는|나는|저도|나도)\s?(?:먹|복용)")
# A question of taking a medicine with no subject of its own, in Chinese and Korean.
_CJK_TAKE_QUESTION = re.compile(
    r"能吃|可以吃|能不能吃|可不可以吃|能用|可以用|能不能用|吃什么|用什么"
    r"|먹어도|복용해도|먹을 ?수 ?있|써도|드셔도|먹여도"
)
# A first person that takes the question over ("我头疼", "제가 허리가 아파서"); Korean ones as words.
_CJK_FIRST_PERSON = re.compile(r"我|(?<![가-힣])(?:저는|제가|저도|나는|내가|저한테|나도)")


def _spaced_at(text: str, compact_index: int) -> int:
    """The index in ``text`` of the character at ``compact_index`` of ``text`` without spaces."""
    seen = 0
    for i, ch in enumerate(text):
        if seen == compact_index:
            return i
        if ch != " ":
            seen += 1
    return len(text)


def medicine_for_her(text: str, after: int | None = None) -> bool:
    """Whether the normalised ``text`` says the medicine is for the other woman it speaks of: she or her as
    the one taking it ("can she take", "for her", "for my wife", "她...能吃", "给老婆买", "아내한테 먹여도",
    그녀), or a Chinese or Korean question of taking after index ``after`` (the end of what was said of her)
    with no first person before it ("我老婆怀孕7个月了，牙疼，能吃布洛芬吗", "아내가 임신 20주인데 타이레놀
    먹어도 되나요"); never when the one asking says the medicine is for themself ("for myself", "can I
    take", "我自己", "제가 먹을")."""
    compact = text.replace(" ", "")
    if _EN_FOR_ME.search(text) or _CJK_FOR_ME.search(compact) or _KO_FOR_ME.search(text):
        return False
    if _EN_FOR_HER.search(text) or _ZH_FOR_HER.search(compact) or _KO_FOR_HER.search(compact):
        return True
    if after is not None:
        q = _CJK_TAKE_QUESTION.search(text, after)
        return q is not None and not _CJK_FIRST_PERSON.search(text, after, q.start())
    return False


# A pregnancy of the past ("when I was 30 weeks pregnant with my son", "上次怀孕32周的时候",
# "첫째 임신 30주 때").
_EN_PAST_PREGNANCY = re.compile(
    r"\b(?:when i was|while i was|with my (?:son|daughter|first|last|eldest|other)|"
    r"(?:last|previous|first|other) pregnancy|back then)\b"
)
_CJK_PAST_PREGNANCY_BEFORE = re.compile(
    r"(?:上次|以前|之前|那次|那时|头胎|上一胎|第一胎|老大|첫째|둘째|예전|지난번|전에)"
)
_CJK_PAST_PREGNANCY_AFTER = re.compile(r"^(?:的时候|那时|时|때)")


# "She" said just before the weeks ("she's 30 weeks pregnant", "她怀孕了"): the woman the medicine may be for.
# Round 27: another woman named just before a found-out pregnancy ("我老婆上周测出来", "아내가 지난주에").
_OTHERS_PREGNANT_BEFORE = re.compile(_OTHER_WOMAN_ZH + r"|她|" + _OTHER_WOMAN_KO + r"(?:가|는|도|께서)")
_SHE_BEFORE = re.compile(r"\b(?:she|shes|she is)\s*$|她(?:现在|已经|都)?$|그녀(?:가|는)?$")


def _weeks_said(text: str, compact: str, *, hers_only: bool = False) -> tuple[int, str] | None:
    """Weeks or months of pregnancy said outright; another woman's only when the medicine is for her
    (``medicine_for_her``), and with ``hers_only`` only hers (a profile that says male)."""
    m = _EN_WEEKS_PREGNANT.search(text)
    if m is not None and m.group(3) in ("along", "gone"):
        subject = _EN_ALONG_SUBJECT.search(text[max(0, m.start() - 20) : m.start()])
        if (
            subject is None
            or (m.group(3) == "along" and m.group(2).startswith("month"))
            or text.startswith(" with the", m.end())
        ):
            m = None
    if m is not None:
        before = text[max(0, m.start() - 30) : m.start()]
        others = bool(_OTHERS_PREGNANT.search(before)) or (hers_only and bool(_SHE_BEFORE.search(before)))
        if (
            (others and not medicine_for_her(text))
            or (hers_only and not others)
            or _EN_PAST_PREGNANCY.search(text, max(0, m.start() - 30), min(len(text), m.end() + 30))
        ):
            m = None
    if m is not None:
        n = int(m.group(1))
        return (n if m.group(2).startswith("w") else int(n * 4.35), m.group(0))
    c = _CJK_WEEKS_PREGNANT.search(compact)
    if c is None:
        return None
    before = compact[max(0, c.start() - 8) : c.start()]
    others = bool(_OTHERS_PREGNANT.search(before)) or (hers_only and bool(_SHE_BEFORE.search(before)))
    if (
        (not others or medicine_for_her(text, _spaced_at(text, c.end())))
        and (others or not hers_only)
        and not _CJK_PAST_PREGNANCY_BEFORE.search(compact, max(0, c.start() - 6), c.start())
        and not _CJK_PAST_PREGNANCY_AFTER.match(compact[c.end() :])
    ):
        number = zh_number(c.group(1))
        if number is not None:
            weeks = int(number) if c.group(2) in ("周", "週", "주") else int(number * 4.35)
            return (weeks, c.group(0))
    return None


# A stage of pregnancy said (round 21): a trimester ("I'm in my second trimester", "孕中期", "임신 중기"),
# with the months said just after it read as such ("孕中期，五个半月了": 5.5 months); months with a half
# ("怀孕五个半月", "five and a half months pregnant"); a baby conceived so long ago in Korean ("아기 가진 지
# 두 달", "아이를 가졌어요") or Chinese ("怀上两个月了"). A trimester alone gives the first 10 weeks, the
# third 28 and the second weeks unknown (it spans the 20-week limit of the NSAIDs: every window applies).
_STAGE_WEEKS = {
    "first": 10,
    "1st": 10,
    "早": 10,
    "초기": 10,
    "second": None,
    "2nd": None,
    "中": None,
    "중기": None,
}
_STAGE_WEEKS |= {"third": 28, "3rd": 28, "晚": 28, "후기": 28, "말기": 28}
_EN_STAGE = re.compile(
    r"\b(?:im|i am|i'm) (?:now |currently )?in (?:my|the) (first|second|third|1st|2nd|3rd) trimester\b"
    r"(?! of (?!(?:my |this |the )?pregnancy))"
)
_CJK_STAGE = re.compile(
    r"(?<![备想没未要避不])(?:怀孕|孕|妊娠)(早|中|晚)期|임신\s?(초기|중기|후기|말기)(?!\s?(?:에는|엔|때))"
)
_ZH_MONTHS_AFTER = re.compile(
    r"^了?[，,、\s]*(?:现在|已经|都|快|差不多)?(\d{1,2}|[一二两三四五六七八九十]{1,2})个(半|多)?月"
)
_EN_MONTHS_WORDS = "one|two|three|four|five|six|seven|eight|nine"
_EN_HALF_MONTHS = re.compile(
    r"\b(\d|"
    + _EN_MONTHS_WORDS
    + r") and a half months? pregnant\b|\b("
    + _EN_MONTHS_WORDS
    + r") months? pregnant\b"
)
_ZH_HALF_MONTHS = re.compile(
    r"(?<![备想没未要避不怀])(?:怀孕|怀上|孕)(?:了)?(\d{1,2}|[一二两三四五六七八九十]{1,2})个(半)?月"
)
_KO_CONCEIVED = re.compile(
    r"(?:아기|애기|아이|애)(?:를|가)?\s?가진\s?지\s?(\d{1,2}|한|두|세|석|네|넉|다섯|여섯|일곱|여덟|아홉)\s?(주|달|개월)"
    r"|(?:아기|애기|아이|애)(?:를)?\s?가졌(?:어요|는데|습니다|고|거든|어)(?!\s?(?:을|던|었))"
)


def _stage_said(text: str, compact: str) -> tuple[bool, int | None, str] | None:
    """A stage of pregnancy said (``_EN_STAGE``, ``_CJK_STAGE``, months with a half, ``_KO_CONCEIVED``):
    (True, weeks or None, the words); not another person's or a past pregnancy."""

    def mine(view: str, start: int, window: int) -> bool:
        before = view[max(0, start - window) : start]
        return not (
            _OTHERS_PREGNANT.search(before.replace(" ", ""))
            or _CJK_PAST_PREGNANCY_BEFORE.search(before)
            or _EN_PAST_PREGNANCY.search(before)
        )

    m = _EN_HALF_MONTHS.search(text)
    if m is not None and mine(text, m.start(), 30):
        word = m.group(1) or m.group(2)
        n = float(word) if word.isdigit() else en_number(word) or 0.0  # one to nine: always read
        return (True, int((n + (0.5 if m.group(1) else 0)) * 4.35), m.group(0))
    z = _ZH_HALF_MONTHS.search(compact)
    if z is not None and mine(compact, z.start(), 8):
        number = zh_number(z.group(1))
        if number is not None:
            return (True, int((number + (0.5 if z.group(2) else 0)) * 4.35), z.group(0))
    e = _EN_STAGE.search(text)
    if e is not None and mine(text, e.start(), 30):
        return (True, _STAGE_WEEKS[e.group(1)], e.group(0))
    c = _CJK_STAGE.search(text)
    if c is not None and mine(text, c.start(), 10):
        after = _ZH_MONTHS_AFTER.match(text[c.end() :])
        if after is not None:
            number = zh_number(after.group(1))
            if number is not None:
                extra = 0.5 if after.group(2) == "半" else 0
                return (True, int((number + extra) * 4.35), text[c.start() : c.end() + after.end()])
        return (True, _STAGE_WEEKS[c.group(1) or c.group(2)], c.group(0))
    k = _KO_CONCEIVED.search(text)
    if k is not None and mine(text, k.start(), 12):
        if k.group(1) is None:
            return (True, None, k.group(0))
        n = int(k.group(1)) if k.group(1).isdigit() else int(ko_number(k.group(1)) or 0)
        weeks = n if k.group(2) == "주" else int(n * 4.35)
        if 2 <= weeks <= 42:
            return (True, weeks, k.group(0))
    return None


# Pregnancy said as a present fact of the one asking, without weeks ("I'm pregnant", "我怀孕了",
# "怀孕了，头疼", "임신 중인데", "임신했어요"): weeks unknown, as with a positive test. Not a question
# ("怀孕了吗", "am i pregnant"), a wish or its absence ("trying to get pregnant", "没怀孕", "임신 안 했어요"),
# someone else's ("my wife is pregnant", "老婆怀孕了", "아내가 임신했어요"), a past one ("임신했을 때") or
# 임신 중절 (a termination).
_EN_PREGNANT_NOW = re.compile(
    r"\b(?:i am|im|i'm|i’m)\s+(?:currently\s+|now\s+|newly\s+|just\s+|recently\s+)?pregnant\b(?!\s*\?)"
    r"|\bi(?:'m| am|m)\s+(?:a\s+)?pregnant (?:woman|lady|mum|mom|mother)\b"
)
_ZH_NOW = r"(?:现在|目前|已经|刚)?(?:怀孕了|在怀孕|怀孕中|是孕妇|怀上了|有了身孕)(?![吗嘛没?？])"
_ZH_PREGNANT_NOW = re.compile(r"(?:^|(?<=[，。,.!！;；\s]))我?" + _ZH_NOW + r"|我" + _ZH_NOW)
_KO_PREGNANT_NOW = re.compile(
    r"임신\s?중(?!\s?절)(?:이에요|이예요|입니다|인데|이라|이고|이에|이야|이거든)"
    r"|임신했(?:어요|는데|습니다|어|고|거든)(?!\s?을)|임산부(?:예요|이에요|인데|입니다|라서)"
)


# Another woman said to be pregnant now ("my wife is pregnant", "my sister's pregnant"): hers, read only when
# the medicine is for her (``medicine_for_her``).
_EN_OTHERS_PREGNANT_NOW = re.compile(
    r"\bmy (?:pregnant )?"
    + _OTHER_WOMAN_EN
    + r"(?: is|s| who is)? (?:currently |now |newly |just )?pregnant\b"
    r"|\bmy pregnant " + _OTHER_WOMAN_EN + r"\b|\bshe(?: is|s) (?:currently |now |newly |just )?pregnant\b"
)
_ZH_OTHERS_PREGNANT_NOW = re.compile(
    r"(?:"
    + _OTHER_WOMAN_ZH
    + r"|她)"
    + r"(?:现在|目前|已经|刚|都)?(?:怀孕了|在怀孕|怀孕中|是孕妇|怀上了|有了身孕)(?![吗嘛没?？])"
)


def _pregnant_now(text: str, compact: str, *, hers_only: bool = False) -> str | None:
    """The words of a pregnancy said as a present fact of the one asking (``_EN_PREGNANT_NOW``...), or of
    another woman the medicine is for, if any; with ``hers_only`` only the latter."""
    m = None if hers_only else _EN_PREGNANT_NOW.search(text)
    if m is not None and not _EN_PAST_PREGNANCY.search(text, max(0, m.start() - 30), m.start()):
        return m.group(0)
    others = _EN_OTHERS_PREGNANT_NOW.search(text)
    if others is not None and medicine_for_her(text):
        return others.group(0)
    zh_others = _ZH_OTHERS_PREGNANT_NOW.search(compact)
    if zh_others is not None and medicine_for_her(text, _spaced_at(text, zh_others.end())):
        return zh_others.group(0)
    for pattern, view, window in ((_ZH_PREGNANT_NOW, text, 8), (_KO_PREGNANT_NOW, text, 12)):
        for c in pattern.finditer(view):
            before = view[max(0, c.start() - window) : c.start()]
            if _CJK_PAST_PREGNANCY_BEFORE.search(before):
                continue
            others = _OTHERS_PREGNANT.search(before.replace(" ", "")) or _SHE_BEFORE.search(before)
            if (others and not medicine_for_her(view, c.end())) or (hers_only and not others):
                continue
            return c.group(0).strip("，。,.!！;； ")
    return None


def pregnancy_said(
    symptoms: str | None, today: date | None, *, hers_only: bool = False
) -> tuple[bool, int | None, str] | None:
    """Pregnancy the text says by weeks or months ("30 weeks pregnant", "怀孕30周", "임신 5개월"), a date or a
    test (round 19): a due date ("预产期是明年1月20号": weeks =
    40 less the weeks to it), a last period date with a positive test ("마지막 생리가 9월 28일 ... 테스트기
    두 줄": weeks since the period), or a positive test alone (weeks unknown). Returns (pregnant, weeks or
    None, the words); None when the text says none of these, or the date gives no plausible pregnancy."""
    if not symptoms or today is None:
        return None
    text = normalise(symptoms)
    compact = text.replace(" ", "")
    said = _weeks_said(text, compact, hers_only=hers_only)
    if said is not None and 2 <= said[0] <= 42:
        return (True, said[0], said[1])
    if not hers_only:
        stage = _stage_said(text, compact)
        if stage is not None:
            return stage
    for due_pattern, date_pattern, view, cjk in (
        (_EN_DUE, _EN_DATE, text, False),
        (_CJK_DUE, _CJK_DATE, compact, True),
    ):
        for due in due_pattern.finditer(view):
            others = _OTHERS_DUE.search(view[max(0, due.start() - 24) : due.start()])
            if (others and not medicine_for_her(text, _spaced_at(text, due.end()) if cjk else None)) or (
                hers_only and not others
            ):
                continue
            m = _date_after(date_pattern, view, due.end())
            if m is None:
                continue
            plausible = {
                weeks
                for when in _readings(m, today, future=True, month_first=cjk)
                if 2 <= (weeks := 40 - (when - today).days // 7) <= 42
            }
            if plausible:
                return (True, _safer(plausible), view[due.start() : m.end()])
    if (
        hers_only
    ):  # a test or a period date is the one asking's; another woman's is read from her weeks or now
        now = _pregnant_now(text, compact, hers_only=True)
        return (True, None, now) if now is not None else None
    test = None
    for m in _EN_TEST.finditer(text):
        if not _EN_TEST_NO.search(text, max(0, m.start() - 12), m.end()) and not _OTHER_TEST.search(
            text, max(0, m.start() - 20), m.end()
        ):
            test = m.group(0)
            break
    if test is None:
        for m in _CJK_TEST.finditer(compact):
            if not _CJK_TEST_NO.search(compact, m.start(), m.end() + 3) and not _OTHER_TEST.search(
                compact, max(0, m.start() - 8), m.end()
            ):
                test = m.group(0)
                break
    if test is None:
        for m in _CJK_FOUND_PREGNANT.finditer(compact):
            before = compact[max(0, m.start() - 10) : m.start()]
            if _CJK_TEST_NO.search(compact, m.end(), m.end() + 3) or _OTHERS_PREGNANT_BEFORE.search(before):
                continue
            test = m.group(0)
            break
    if test is None:
        now = _pregnant_now(text, compact)
        return (True, None, now) if now is not None else None
    for lmp_pattern, date_pattern, view, cjk in (
        (_EN_LMP, _EN_DATE, text, False),
        (_CJK_LMP, _CJK_DATE, compact, True),
    ):
        for lmp in lmp_pattern.finditer(view):
            m = _date_after(date_pattern, view, lmp.end())
            if m is None:
                continue
            plausible = {
                weeks
                for when in _readings(m, today, future=False, month_first=cjk)
                if 2 <= (weeks := (today - when).days // 7) <= 42
            }
            if plausible:
                return (True, _safer(plausible), f"{view[lmp.start() : m.end()]}; {test}")
    return (True, None, test)

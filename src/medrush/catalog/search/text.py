"""Text handling for search: normalisation, script runs, strengths, pinyin, Hangul jamo, edit distance."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "CJK_CHARS",
    "MAX_QUERY_CHARS",
    "NON_LATIN_CHARS",
    "Run",
    "Strength",
    "bigrams",
    "bounded_distance",
    "canonical_strength",
    "extract_strengths",
    "hangul_initials",
    "hangul_jamo",
    "has_cjk",
    "initials_query",
    "is_cjk",
    "is_hangul",
    "join_spaced_characters",
    "korean_predicate_forms",
    "normalize",
    "phonetic_key",
    "pinyin_forms",
    "plain_initials",
    "query_language",
    "romanized_hangul",
    "script_runs",
    "spelling_key",
    "strip_pinyin_tones",
    "to_simplified",
    "trigrams",
]

MAX_QUERY_CHARS = 200

_UNIT_ALIASES = {
    "mg": "mg",
    "毫克": "mg",
    "밀리그램": "mg",
    "g": "g",
    "克": "g",
    "mcg": "mcg",
    "ug": "mcg",
    "μg": "mcg",
    "µg": "mcg",
    "微克": "mcg",
    "ml": "ml",
    "毫升": "ml",
    "%": "%",
    "iu": "iu",
    # written out or as said: "500 milligrams", "400mgs", "500밀리", "1000 units", "1000아이유"
    "mgs": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "밀리": "mg",
    "미리": "mg",
    "units": "iu",
    "아이유": "iu",
}
_STRENGTH = re.compile(
    r"((?<![\d.])\.\d+|\d+(?:\.\d+)?)\s*(milligrams|milligram|mgs|mg|mcg|ug|μg|µg|ml|iu|units|g|%|毫克|微克|毫升|克"
    r"|밀리그램|밀리|미리|아이유)(?![a-z])"
)

_PER_VOLUME = re.compile(r"(\d+(?:\.\d+)?)\s*mg\s*(?:/|per\s)?\s*(\d+(?:\.\d+)?)?\s*ml(?![a-z])")


@dataclass(frozen=True, slots=True)
class Strength:
    """A strength named in a query, in a canonical unit (mg for masses)."""

    value: float
    unit: str


@dataclass(frozen=True, slots=True)
class Run:
    """A maximal stretch of one script in a normalised query: ``latin``, ``cjk`` or ``hangul``."""

    script: str
    text: str


# \w is str.isalnum() plus the underscore: keep letters, digits, "." and "%"
_NOT_KEPT = re.compile(r"[^\w.%]|_")
CJK_CHARS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
NON_LATIN_CHARS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3\u3131-\u318e]")


def has_cjk(text: str) -> bool:
    """True when the text holds a Chinese character."""
    return CJK_CHARS.search(text) is not None


def is_cjk(char: str) -> bool:
    """True for a CJK unified ideograph (Chinese characters)."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def is_hangul(char: str) -> bool:
    """True for a precomposed Hangul syllable or a compatibility jamo."""
    code = ord(char)
    return 0xAC00 <= code <= 0xD7A3 or 0x3131 <= code <= 0x318E


# accented Latin letters (Latin-1 Supplement, Latin Extended-A/B, Latin Extended Additional)
_ACCENTED_LATIN = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")


@lru_cache(maxsize=1024)
def _unaccent(char: str) -> str:
    """A Latin letter without its diacritics; ``ü`` (any tone) becomes ``v`` as pinyin keyboards type it."""
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if base == "u" and "\u0308" in decomposed:
        return "v"
    return base if base.isascii() else char


# a full stop after a letter ends a word ("omeprazole.20mg", "vit.c"); a dot before or between digits is
# a decimal point (".5g", "0.9%")
_WORD_DOT = re.compile(r"(?<=[^\W\d_])\.")


def normalize(text: str) -> str:
    """NFKC, case-folded, accents off Latin letters (``bùluòfēn``, ``lǜ`` -> ``lv``), and every character
    that is not a letter, digit, ``.`` or ``%`` turned into a space (as is a ``.`` after a letter)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if _ACCENTED_LATIN.search(text):
        text = _ACCENTED_LATIN.sub(lambda m: _unaccent(m.group()), text)
    return " ".join(_NOT_KEPT.sub(" ", _WORD_DOT.sub(" ", text)).split())


def join_spaced_characters(normalized: str) -> str:
    """Chinese typed a character at a time with spaces between (``创 可 贴``) joined into one word; a lone
    character beside longer words stays apart (``板蓝根 颗粒``)."""
    words = normalized.split(" ")
    out: list[str] = []
    run: list[str] = []
    for word in (*words, ""):
        if len(word) == 1 and CJK_CHARS.match(word):
            run.append(word)
            continue
        if run:
            out.extend(["".join(run)] if len(run) >= 2 else run)
            run = []
        if word:
            out.append(word)
    return " ".join(out)


# pinyin with tone numbers: syllables each ending in 1-5 (``bu4luo4fen1``), the last may be toneless
# (``tou2teng``); two syllables at least, each of two letters or more or a lone vowel, so ``h1n1``,
# ``d3``, ``b12`` or ``kf94`` are left alone
_TONE_NUMBERED = re.compile(r"(?:(?:[a-z]{2,6}|[aeo])[1-5])+([a-z]{2,6})?")
_TONE_DIGIT = re.compile(r"(?<=[a-z])[1-5]")


def strip_pinyin_tones(normalized: str) -> str:
    """Tone numbers dropped from words of a normalised text that read as numbered pinyin."""
    if not any(c.isdigit() for c in normalized):
        return normalized
    words = []
    for word in normalized.split():
        match = _TONE_NUMBERED.fullmatch(word)
        if match and sum(c.isdigit() for c in word) + (1 if match.group(1) else 0) >= 2:
            word = _TONE_DIGIT.sub("", word)
        words.append(word)
    return " ".join(words)


_SPELLING = (
    (re.compile(r"(?<=.)ae"), "e"),  # paediatric, anaemia, haemorrhoids
    (re.compile(r"(?<=.)oe"), "e"),  # diarrhoea, oestrogen
    (re.compile(r"(?<=[a-z]{2}[iy])s(?=(?:e|er|ers|ed|es|ing|ation|ations)$)"), "z"),  # sanitiser, analyse
    (re.compile(r"(?<=[a-z]{2})our(?=s?$)"), "or"),  # colour, odour
    (re.compile(r"(?<=[a-z]{2})tre(?=s?$)"), "ter"),  # centre
    (re.compile(r"ph"), "f"),  # sulphate
)


_PHONETIC = (
    (re.compile(r"x"), "ks"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"([a-z])\1+"), r"\1"),  # doubled letters
)


@lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """A latin word as it sounds, for spellings written by ear in other languages (``amoksisilin`` and
    ``amoxicillin``, ``parasetamol`` and ``paracetamol`` give one key): x is ks, c is s or k, no doubles."""
    for pattern, replacement in _PHONETIC:
        word = pattern.sub(replacement, word)
    return word


@lru_cache(maxsize=65536)
def spelling_key(word: str) -> str:
    """A latin word with British and American spellings folded together (``sanitiser`` and ``sanitizer``,
    ``diarrhoea`` and ``diarrhea``, ``sulphate`` and ``sulfate`` give one key)."""
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


def _script_of(char: str) -> str | None:
    if is_cjk(char):
        return "cjk"
    if is_hangul(char):
        return "hangul"
    if char.isascii() and (char.isalnum() or char in ".%"):
        return "latin"
    if char.isalpha():
        return "latin" if unicodedata.name(char, "").startswith("LATIN") else None
    return None


def script_runs(normalized: str) -> list[Run]:
    """Split a normalised text into runs of one script; latin runs keep their inner spaces."""
    runs: list[Run] = []
    current: list[str] = []
    script: str | None = None
    for char in normalized:
        if char == " ":
            if script == "latin":
                current.append(char)
            elif current:
                runs.append(Run(script or "latin", "".join(current)))
                current, script = [], None
            continue
        kind = _script_of(char)
        if kind is None:
            if current:
                runs.append(Run(script or "latin", "".join(current).strip()))
            current, script = [], None
            continue
        if kind != script and current:
            runs.append(Run(script or "latin", "".join(current).strip()))
            current = []
        script = kind
        current.append(char)
    if current:
        runs.append(Run(script or "latin", "".join(current).strip()))
    return [run for run in runs if run.text.strip(" .%")]


def extract_strengths(normalized: str) -> tuple[list[Strength], str]:
    """Strengths such as ``200 mg`` found in a normalised query, and the query without them."""
    found: list[Strength] = []

    def take(match: re.Match[str]) -> str:
        value = float(match.group(1))
        unit = _UNIT_ALIASES[match.group(2)]
        if unit == "g":
            value, unit = value * 1000, "mg"
        elif unit == "mcg":
            value, unit = value / 1000, "mg"
        found.append(Strength(value, unit))
        return " "

    def take_per_volume(match: re.Match[str]) -> str:
        volume = match.group(2) or ""
        volume = volume[:-2] if volume.endswith(".0") else volume
        found.append(Strength(float(match.group(1)), f"mg/{'' if volume in ('', '1') else volume}ml"))
        return " "

    rest = _PER_VOLUME.sub(take_per_volume, normalized)  # "100mg/5ml" (the slash reads as a space)
    rest = _STRENGTH.sub(take, rest)
    return found, " ".join(rest.split())


def canonical_strength(value: float | None, unit: str | None) -> Strength | None:
    """A product ingredient's strength in the same canonical unit as the query's."""
    if value is None or not unit:
        return None
    unit_key = _UNIT_ALIASES.get(unit.strip().casefold())
    if unit_key is None:
        return Strength(value, unit.strip().casefold())
    if unit_key == "g":
        return Strength(value * 1000, "mg")
    if unit_key == "mcg":
        return Strength(value / 1000, "mg")
    return Strength(value, unit_key)


def bigrams(text: str) -> set[str]:
    """Character bigrams of a CJK or Hangul string (the string itself when shorter)."""
    if len(text) < 2:
        return {text} if text else set()
    return {text[i : i + 2] for i in range(len(text) - 1)}


def trigrams(word: str) -> set[str]:
    """Character trigrams of a latin word padded with ``$`` at both ends."""
    padded = f"${word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"


def hangul_jamo(text: str) -> str:
    """Decompose Hangul syllables into their jamo so one-key typos cost one edit."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code <= 11171:
            out.append(_CHO[code // 588])
            out.append(_JUNG[(code % 588) // 28])
            if code % 28:
                out.append(_JONG[code % 28])
        else:
            out.append(char)
    return "".join(out)


# a double initial consonant typed without the shift key is its plain one (ㄲ as ㄱ, ㅆ as ㅅ)
_PLAIN_INITIAL = str.maketrans("ㄲㄸㅃㅆㅉ", "ㄱㄷㅂㅅㅈ")


def hangul_initials(text: str) -> str:
    """The initial consonants of the Hangul syllables in ``text`` (``타이레놀 500mg`` -> ``ㅌㅇㄹㄴ``), as
    the compatibility jamo a Korean keyboard types; other characters are left out."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code <= 11171:
            out.append(_CHO[code // 588])
    return "".join(out)


def initials_query(normalized: str) -> str:
    """A query typed as Korean initial consonants only (``ㅌㅇㄹㄴ``, spaces ignored), as compatibility jamo;
    else "". NFKC (``normalize``) turns the compatibility jamo into the conjoining initials U+1100-U+1112,
    in the same order as ``_CHO``; either form is read."""
    out = []
    for char in normalized:
        if char == " ":
            continue
        code = ord(char)
        if 0x1100 <= code <= 0x1112:
            out.append(_CHO[code - 0x1100])
        elif char in _CHO:
            out.append(char)
        else:
            return ""
    return "".join(out)


def plain_initials(initials: str) -> str:
    """Initial consonants with each double one made plain (``ㄸㅆ`` -> ``ㄷㅅ``)."""
    return initials.translate(_PLAIN_INITIAL)


# Revised Romanization of Korean, syllable by syllable (no sound-change rules): how a Korean brand is typed
# in a Latin box by someone who knows it only by ear or from a Korean pack ("tairenol" for 타이레놀)
_RR_LEAD = (
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h",
)  # fmt: skip
_RR_VOWEL = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
    "eu", "ui", "i",
)  # fmt: skip
_RR_TAIL = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
    "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip


def romanized_hangul(text: str) -> str:
    """The Revised Romanization of Hangul syllables ("타이레놀" -> "tairenol"); other characters kept."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code <= 11171:
            out.append(_RR_LEAD[code // 588] + _RR_VOWEL[(code % 588) // 28] + _RR_TAIL[code % 28])
        else:
            out.append(char)
    return "".join(out)


def _syllable(char: str) -> tuple[int, int, int] | None:
    code = ord(char) - 0xAC00
    if not 0 <= code <= 11171:
        return None
    return code // 588, (code % 588) // 28, code % 28


def _compose(lead: int, vowel: int, tail: int = 0) -> str:
    return chr(0xAC00 + lead * 588 + vowel * 28 + tail)


_JONG_M = _JONG.index("ㅁ")
_JONG_SS = _JONG.index("ㅆ")
_V = {v: _JUNG.index(v) for v in "ㅏㅓㅕㅗㅘㅜㅝㅡㅣ"}
_LEAD_NG = _CHO.index("ㅇ")
_LEAD_H = _CHO.index("ㅎ")
# endings of a spoken Korean predicate, longest first: "가려워요", "열나는데", "삐었어요", "체했을"
_KO_ENDINGS = (
    "는데요",
    "거든요",
    "는데",
    "네요",
    "니까",
    "어서",
    "아서",
    "어요",
    "아요",
    "여요",
    "는",
    "을",
    "요",
    "서",
    "고",
    "네",
)


def _stems(rest: str) -> list[str]:
    """Dictionary stems a predicate without its ending may come from (several where Korean contracts)."""
    if not rest:
        return []
    head, last = rest[:-1], rest[-1]
    parts = _syllable(last)
    if parts is None:
        return []
    lead, vowel, tail = parts
    if tail == _JONG_SS:  # the past: 했 = 하 + ㅆ, 났 = 나 + ㅆ, 막혔 = 막혀 + ㅆ, 삐었 = 삐 + 었
        if lead == _LEAD_NG and vowel in (_V["ㅓ"], _V["ㅏ"]) and head:
            return _stems(head) or [head]
        return _stems(head + _compose(lead, vowel)) or [head + _compose(lead, vowel)]
    if tail:
        return [rest[:-1] + _compose(lead, vowel)] if lead == _LEAD_NG and vowel == _V["ㅡ"] else [rest]
    stems = [rest]
    if lead == _LEAD_H and vowel == _JUNG.index("ㅐ"):  # 해 = 하 + 어
        stems.append(head + _compose(lead, _V["ㅏ"]))
    elif vowel == _V["ㅕ"]:  # 려 = 리 + 어, 혀 = 히 + 어
        stems.append(head + _compose(lead, _V["ㅣ"]))
    elif lead == _LEAD_NG and vowel == _V["ㅝ"] and head:  # 가려워 = 가렵 + 어 (ㅂ drops to 우)
        stems.append(head + _compose(_LEAD_NG, _V["ㅜ"]))
    elif vowel in (_V["ㅏ"], _V["ㅓ"]) and head:  # 아파 = 아프 + 아, 메스꺼 = 메스끄 + 어
        stems.append(head + _compose(lead, _V["ㅡ"]))
    return stems


def korean_predicate_forms(word: str) -> list[str]:
    """The forms a conjugated Korean predicate takes in a vocabulary of symptoms: its noun (가려워요 ->
    가려움, 삐었어요 -> 삠, 체했을 -> 체함, 아파요 -> 아픔), the polite present (열나는데 -> 열나요) and, for
    a noun + 하다 verb, the noun (멀미할 -> 멀미). Empty when the word has no known ending."""
    if not word or not all(_syllable(c) for c in word):
        return []
    rests: list[str] = []
    for ending in _KO_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending):
            rests.append(word[: -len(ending)])
            break
    parts = _syllable(word[-1])
    if parts and parts[2] == _JONG.index("ㄹ") and len(word) > 1:  # 멀미할, 아플: the adnominal ㄹ
        rests.append(word[:-1] + _compose(parts[0], parts[1]))
    forms: list[str] = []
    for rest in rests:
        for stem in _stems(rest):
            lead, vowel, tail = _syllable(stem[-1]) or (0, 0, 1)
            if not tail:
                forms.append(stem[:-1] + _compose(lead, vowel, _JONG_M))
            if stem.endswith("하") and len(stem) > 2:
                forms.append(stem[:-1])
            forms.append(stem + "요")
        forms.append(rest + "요")
    return [f for f in dict.fromkeys(forms) if f != word]


def bounded_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance of ``a`` and ``b``, or ``limit + 1`` beyond ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        row_min = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


# traditional characters (Hong Kong, Taiwan) beside their simplified forms, in pairs: those of medicine
# names, symptoms, body parts and everyday questions (藥 药, 維 维, 癢 痒, 嚨 咙, 暈 晕, 貝 贝)
_TRADITIONAL_PAIRS = (
    "藥药維维傷伤風风熱热燒烧頭头癢痒膚肤腸肠驗验體体溫温計计噴喷劑剂顆颗膠胶漿浆靈灵連连氣气藍蓝貼贴錠锭兒儿寶宝嬰婴婦妇經经"
    "瀉泻嘔呕暈晕車车過过蟲虫紅红腫肿瘡疮濕湿腳脚癬癣發发鹽盐鈉钠鉀钾鈣钙鐵铁鋅锌鎂镁鋁铝貝贝撲扑臟脏霧雾滅灭黴霉殺杀創创紗纱"
    "繃绷帶带試试紙纸測测儀仪壓压機机檢检險险嚨咙痠酸關关節节蓋盖腦脑齒齿喚唤嗎吗麼么夠够點点開开閉闭門门問问醫医療疗診诊證证"
    "種种類类較较氫氢鹼碱醯酰羥羟諾诺復复複复強强鎮镇靜静覺觉憂忧鬱郁緊紧張张癥症併并塗涂噁恶滯滞脹胀飽饱飢饥餓饿澀涩乾干損损"
    "紮扎縫缝線线針针裝装潤润護护鏡镜淚泪視视聽听聾聋鳴鸣濃浓蕁荨燙烫曬晒蟻蚁產产陰阴盪荡腎肾頻频結结膽胆臍脐頸颈顏颜臉脸額额"
    "齦龈齲龋鬚须髮发禿秃癩癞皰疱膿脓癤疖瘻瘘糞粪貧贫礦矿質质葉叶蘇苏麥麦穀谷萊莱蔔卜薑姜蔥葱棗枣蓮莲龍龙鳳凤烏乌雞鸡參参歸归"
    "術术黃黄翹翘銀银蘭兰陳陈煉炼條条兩两幾几個个這这們们說说讓让給给會会時时後后還还對对沒没應应該该當当從从與与為为邊边"
)
_SIMPLIFIED = dict(zip(_TRADITIONAL_PAIRS[0::2], _TRADITIONAL_PAIRS[1::2], strict=True))


# variant forms of one character (异体字) that a brand may write either way (念慈菴 / 念慈庵): a query's
# character the catalog never writes is read as its variant when the catalog writes that one
_VARIANT_PAIRS = "庵菴痠酸煙烟著着裏里綫线羣群峯峰牀床汙污盃杯鍼针脣唇蔴麻"
_VARIANTS = {
    **dict(zip(_VARIANT_PAIRS[0::2], _VARIANT_PAIRS[1::2], strict=True)),
    **dict(zip(_VARIANT_PAIRS[1::2], _VARIANT_PAIRS[0::2], strict=True)),
}


def to_catalog_variants(text: str, known: Container[str]) -> str:
    """Each character of ``text`` the catalog does not write (``known``) but whose variant it writes,
    turned into that variant (念慈庵 -> 念慈菴 when the catalog writes 菴)."""
    return "".join(
        _VARIANTS[c] if c in _VARIANTS and c not in known and _VARIANTS[c] in known else c for c in text
    )


def to_simplified(text: str, known: Container[str] = ()) -> str:
    """Traditional characters turned simplified (撲熱息痛 -> 扑热息痛), except those in ``known`` (a
    character the catalog itself writes, such as 噁 of 磺胺甲噁唑)."""
    if not CJK_CHARS.search(text):
        return text
    return "".join(_SIMPLIFIED[c] if c in _SIMPLIFIED and c not in known else c for c in text)


def pinyin_forms(text: str) -> tuple[str, str]:
    """Toneless full pinyin (``buluofen``) and initials (``blf``) of the Chinese characters in ``text``."""
    chars = "".join(CJK_CHARS.findall(text))
    if not chars:
        return "", ""
    return _pinyin_of(chars)


@lru_cache(maxsize=65536)
def _pinyin_of(chars: str) -> tuple[str, str]:
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(chars, style=Style.NORMAL, errors="ignore")
    full = "".join(syllables).replace("ü", "v")
    initials = "".join(s[0] for s in syllables if s)
    return full, initials


def query_language(text: str) -> str | None:
    """``zh`` or ``ko`` when the text holds Chinese or Korean characters, else None."""
    if any(is_hangul(c) for c in text):
        return "ko"
    if any(is_cjk(c) for c in text):
        return "zh"
    return None

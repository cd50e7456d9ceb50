"""Text normalisation shared by term lookup and red-flag triage (en, zh, ko).

Free text arrives in any of three languages, with full-width characters, traditional Chinese
characters, curly apostrophes, odd spacing and typos. Everything the engine compares goes through
``normalise`` first; term lookups then drop all spaces (``term_key``), so "High  blood pressure",
"highbloodpressure" and "高 血压" find their entries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["NameSpeller", "TypoCorrector", "normalise", "osa_distance", "term_key"]

# Traditional -> simplified for the characters that occur in the red-flag and term vocabulary.
_TRAD_TO_SIMP = str.maketrans(
    "難說話癇腫嚨頸發燒熱無沒殺暈識嘔腦過燙傷氣側邊體劇懷陰產藥農醫臟臉塊壓緊悶臨診斷療"
    "絕遲開關鬆厲聲聽頭額臟腎肝壞潰瘍膽齒張歲週個們這裡還麼從應當會來為與對歡樂舊嚴剛"
    "結東彈車門問題錯縣區帶將實讓證據機級記憶輕視觀覺誤髮鬱蟲癢膚點瘡癬炎淚眼鏡",
    "难说话痫肿咙颈发烧热无没杀晕识呕脑过烫伤气侧边体剧怀阴产药农医脏脸块压紧闷临诊断疗"
    "绝迟开关松厉声听头额脏肾肝坏溃疡胆齿张岁周个们这里还么从应当会来为与对欢乐旧严刚"
    "结东弹车门问题错县区带将实让证据机级记忆轻视观觉误发郁虫痒肤点疮癣炎泪眼镜",
)
_APOSTROPHES = re.compile(r"['’‘`´]")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC, lower case, simplified Chinese, apostrophes dropped ("can't" -> "cant"), single spaces."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_TRAD_TO_SIMP)
    text = _APOSTROPHES.sub("", text)
    return _SPACES.sub(" ", text).strip()


def term_key(text: str) -> str:
    """The lookup key of a term: normalised, every space removed, outer punctuation trimmed."""
    return normalise(text).replace(" ", "").strip(".,;:!?。，；：！？()（）[]")


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class TypoCorrector:
    """Corrects English words one edit away from a vocabulary word (SymSpell-style delete index).

    Only words of at least four letters (four-letter words only for swapped letters) that are not
    themselves in the vocabulary are touched, and only when the correction is unambiguous. An
    ordinary English word is no typo: it is only ever given or relieved of a plural ending
    ("finger" -> "fingers" when only "fingers" is a vocabulary word), never made another word
    ("dying" -> "doing", "sweat" -> "sweet", "stairs" -> "stars").
    """

    def __init__(
        self, vocabulary: Iterable[str], keep: Iterable[str] = (), ordinary: Iterable[str] = ()
    ) -> None:
        """Index every vocabulary word and its one-letter deletions; words in ``keep`` are never changed,
        words in ``ordinary`` (common English words) only to their own singular or plural."""
        self._words = {w for w in vocabulary if len(w) >= 4}
        self._keep = frozenset(keep)
        self._ordinary = frozenset(ordinary)
        self._index: dict[str, set[str]] = {}
        for word in self._words:
            for key in {word, *_deletes(word)}:
                self._index.setdefault(key, set()).add(word)

    def correct_word(self, word: str) -> str:
        """The vocabulary word ``word`` was probably meant to be, or ``word`` itself."""
        if len(word) < 4 or word in self._words or word in self._keep or not word.isalpha():
            return word
        candidates: set[str] = set()
        for key in {word, *_deletes(word)}:
            candidates |= self._index.get(key, set())
        # Typos rarely hit the first letter; requiring it keeps "never" from becoming "fever".
        candidates = {c for c in candidates if c[0] == word[0] and osa_distance(word, c, 1) <= 1}
        if len(word) == 4:  # short words: only swapped letters ("pian"), never "main" -> "pain"
            candidates = {c for c in candidates if sorted(c) == sorted(word)}
        if word in self._ordinary:
            candidates = {c for c in candidates if c == word + "s" or word == c + "s"}
        return candidates.pop() if len(candidates) == 1 else word

    def correct(self, text: str) -> str:
        """Correct every ASCII word of an already normalised text."""
        return re.sub(r"[a-z]+", lambda m: self.correct_word(m.group(0)), text)


def osa_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance of ``a`` and ``b`` (optimal string alignment: insertions, deletions,
    substitutions and swaps of two neighbours), or ``limit + 1`` as soon as it is surely above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return min(row[-1], limit + 1)


class NameSpeller:
    """Reads a misspelt Latin-script word as the one known name it is close to ("warfrin": warfarin).

    Only words of five or more letters that are no known name and no ordinary word are read; a word is
    read as a name of the same first letter at distance 1 (2 for words of nine or more letters), and
    only when every name that close stands for the same thing (``names``: name -> what it stands for).
    """

    def __init__(self, names: Mapping[str, str], known: Iterable[str]) -> None:
        """``names``: the readable names and what each stands for; ``known``: words never read as a name
        (every known name, ordinary and condition words)."""
        self._names = {n: t for n, t in names.items() if len(n) >= 5 and n.isascii() and n.isalpha()}
        self._known = frozenset(known) | self._names.keys()
        self._by_first: dict[str, list[str]] = {}
        for name in sorted(self._names):
            self._by_first.setdefault(name[0], []).append(name)
        self._cache: dict[str, str | None] = {}

    def read(self, word: str) -> str | None:
        """The known name ``word`` is a misspelling of, or None (no name close, or more than one)."""
        if word in self._cache:
            return self._cache[word]
        found: str | None = None
        if len(word) >= 5 and word.isascii() and word.isalpha() and word not in self._known:
            limit = 2 if len(word) >= 9 else 1
            close = {
                n: d for n in self._by_first.get(word[0], ()) if (d := osa_distance(word, n, limit)) <= limit
            }
            if len({self._names[n] for n in close}) == 1:
                found = min(close, key=lambda n: (close[n], n))
        if len(self._cache) < 4096:
            self._cache[word] = found
        return found

"""Red-flag triage of free-text symptoms in English, Chinese and Korean.

Each concept of ``red_flags.yaml`` is searched in two views of the text: English patterns in the
normalised, typo-corrected text with single spaces, Chinese and Korean patterns in the same text
with every space removed. A match counts unless it is negated inside its own clause: English and
Chinese negation comes before the words ("no chest pain", "没有胸痛"), Korean negation after them
("가슴 통증은 없어요", "아프지 않아요"). Clauses end at punctuation and at words like "but", "and",
"但是", "하지만", so "no fever but chest pain" still fires. An English checklist answer after the
words also negates them ("shortness of breath? no"). A match is also ignored when a marker of past
history stands next to it in its clause ("I had a stroke 5 years ago", "以前心梗放过支架",
"예전에 경련한 적 있는데"), the event it names is told as treated or fatal ("心梗放了支架", "died of
a stroke"), or a concept's veto word is a few words away ("can't breathe through my nose": a blocked
nose, not breathing difficulty), and idioms that only look like symptoms ("热得喘不过气") are blanked
before matching; these lists live in ``red_flags.yaml``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from medrush.safety.knowledge import Concept, KnowledgeBase
from medrush.safety.text import normalise

__all__ = [
    "PatientFacts",
    "RedFlagHit",
    "SymptomText",
    "detect_red_flags",
    "prepare_symptoms",
    "read_context",
]

_GLOSS = re.compile(r"\(\s*([^()\n.,;:!?。，；：！？、]{1,20}?)\s*\)")
_EN_CLAUSE = re.compile(r"[.,;:!?\n()]|\b(?:but|and|however|although|though|except|yet|then|also|plus)\b")
_CJK_CLAUSE = re.compile(
    r"[.,;:!?\n()。，；：！？、]|但是|但|可是|不过|然而|而且|并且|还有|同时|和|하지만|그런데|근데|그러나|그리고"
)
_EN_NEGATION = re.compile(
    r"\b(?:no|not|never|without|denies|denied|deny|dont|doesnt|didnt|havent|hasnt|hadnt|isnt|arent|wasnt|"
    r"werent|negative for|free of|nor|none|neither|absence of|ruled out)\b"
)
_ZH_NEGATION = re.compile(r"没有|没|无|未|否认|并非|不是")
# Words that contain a negation cue but do not negate what follows ("no idea why my chest hurts",
# "没想到胸口这么疼", "가슴 통증을 참을 수 없어요" = the pain is unbearable).
_EN_PSEUDO = re.compile(r"\b(?:no idea|no clue|not sure|not only|no matter|no doubt|not certain|dont know)\b")
_ZH_PSEUDO = re.compile(
    r"没想到|没办法|没法|不知道|无缘无故|无法忍受|忍不住|受不了|没完没了|不得了|不停|不断"
    r"|没有?(这么|这样|如此)[^，。]{0,3}过的?"  # "从来没这么疼过的头痛": never this bad = worst ever
)
# "숨이 안 쉬어져요" (I cannot breathe) holds 안 but is the complaint itself, not its negation.
_KO_PSEUDO = re.compile(
    r"수가?없|끊임없|쉴새없|정신없|어이없|틀림없|상관없|안쉬어[지져]|안쉬[여워]|안쉬워[지져]"
)
# "chest pain? no", "fever: none": a checklist answer after the words.
_EN_ANSWERED_NO = re.compile(r"\s*[?:-]\s*(?:no|none|nope|nil|negative)\s*(?:[.,;!?]|$)")
_KO_NEGATION = re.compile(r"없|않|아니|안(?=[가-힣])|못느")
_GAP_NEGATION = re.compile(
    r"\b(?:no|not|never|dont|doesnt|didnt|isnt|arent|wasnt|werent|without|none)\b|没|无|未|不|없|않|안(?=[가-힣]|$)"
)
_KO_SUFFIX_STOP = re.compile(r"고|며|서|데|면")
# Round 28: a Korean list of symptoms negated together at its end ("가슴 통증이나 식은땀은 없어요",
# "열이랑 구토는 없어요"): the match, a joining particle, one or two more short nouns (no verb: no 있, 고,
# 서, 요, 다, 안 or 못 inside) and the negation. "가슴이 아프고 식은땀은 없어요" is not a list: the pain
# stays.
_KO_LIST_NEGATED = re.compile(
    r"[은는이가]?(?:(?:이나|나|이랑|랑|과|와|이며|며|또는|혹은)(?:(?![있고서요다안못])[가-힣]){1,5}?){1,2}"
    r"[은는이가도]?(?:전혀|별로|둘다|모두|다)?(?:없|않|아니)"
)
# Round 19: a Korean sentence that opens with a long-past marker and ends in the past perfect (-았었/-었었,
# an episode over and done) tells of one past episode as a whole ("예전에 아스피린 먹고 숨이 쌕쌕거리고
# 막혀서 응급실 갔었어요"), unless a word of now stands between the marker and the match ("예전에 천식이
# 있었는데 지금 숨이 막혀요"). A simple past is not enough: "예전에 먹던 약을 먹었더니 숨이 막혔어요"
# happened just now.
_KO_NOW = re.compile(r"지금|현재|요즘|오늘|방금|아까|이번|어제|며칠|계속|자꾸|또|다시")
_ZH_NOW = re.compile(r"现在|目前|正在|刚才|刚刚|此刻|今天|一直")
# Round 23: a Chinese sentence that tells a past episode to its end ("我小时候打青霉素针，
# 打完浑身起大疙瘩，嗓子发紧喘不上气，后来就再没用过"): a long-past marker opens it before the
# match, a closing word of the story follows the match, and no word of now stands between.
_ZH_STORY_END = re.compile(
    r"后来|从那(?:以后|之后|次|时|天)|此后|(?:以后|之后)就?再也?没|再也?没(?:用|吃|打|碰|犯)过"
    # Round 25: the episode told as treated and over ("去急诊打了一针才好", "住院一周才好").
    r"|(?:打了?一?针|输了?液|抢救|住了?院)[^。]{0,6}(?:才|就)好"
)
_CJK_SENTENCE = re.compile(r"[。！？!?\n]")
# Round 26: in Chinese, a long-past marker that opens the clause of a match, further back than the
# eight characters of the history window ("去年冬天邻居家烧煤炉中毒"), tells the whole clause as past,
# unless a word of now, of a start or of going on stands between the marker and the match
# ("去年冬天开始胸口疼", "最近", "又"). Not Korean: there a past verb before the match often leads to
# a complaint of now in the same clause ("예전에 먹던 약을 먹었더니 숨이 막혔어요", "작년에 수술했는데
# 숨이 막혀요"; the round-19 handling stays).
_ZH_PAST_CLAUSE_CHARS = 24
_ZH_ONGOING = re.compile(
    r"现在|目前|正在|刚才|刚刚|此刻|今天|一直|最近|这几天|这两天|近来|近期|又|还|开始|以来|至今|到现在|起|以后|之后"
)
# Leftovers of round 23: where the words after a match that tell its event as treated or fatal may stand (its
# sentence, a few words on).
_SENTENCE_END = re.compile(r"[.!?;\n。！？；]")
_EVENT_AFTER_CHARS = 40
_KO_EXISTENCE = frozenset("있없")
_KO_CONTRAST = re.compile(r"[는은던]데|지만")


def _ko_past_perfect_final(clause: str) -> bool:
    """The clause ends in the Korean past perfect: within its last five syllables, a syllable with the final
    consonant ㅆ (other than 있/없) followed by 었 (갔었어요, 막혔었다, 먹었었는데)."""
    tail = re.sub(r"[^\uac00-\ud7a3]", "", clause)[-5:]
    return any(
        (ord(ch) - 0xAC00) % 28 == 20 and ch not in _KO_EXISTENCE and nxt == "었"
        for ch, nxt in itertools.pairwise(tail)
    )


_LATIN = re.compile(r"[a-z0-9]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u3130-\u318f]")


@dataclass(frozen=True, slots=True)
class PatientFacts:
    """What the ``@`` predicates of red flags may test."""

    age_years: float | None
    pregnant: bool
    conditions: frozenset[str]
    packs: int = 0  # the largest quantity of one order line ("@packs_from_3")


@dataclass(frozen=True, slots=True)
class RedFlagHit:
    """A red flag that fired, with the words that made it fire."""

    code: str
    evidence: str


def _bounds(pattern: re.Pattern[str], text: str) -> list[int]:
    cuts = [0]
    for m in pattern.finditer(text):
        cuts.extend((m.start(), m.end()))
    cuts.append(len(text))
    return cuts


def _clause(cuts: list[int], start: int) -> int:
    """The start of the clause holding position ``start``."""
    i = bisect.bisect_right(cuts, start) - 1
    return cuts[i] if i >= 0 else 0


def _en_negated(text: str, cuts: list[int], start: int, end: int) -> bool:
    begin = _clause(cuts, start)
    words = _EN_PSEUDO.sub(" ", text[begin:start]).split()[-5:]
    return bool(_EN_NEGATION.search(" ".join(words))) or bool(_EN_ANSWERED_NO.match(text, end))


def _clause_end(cuts: list[int], end: int, length: int) -> int:
    i = bisect.bisect_right(cuts, end - 1)
    return cuts[i] if i < len(cuts) else length


def _historical(
    markers: list[re.Pattern[str]], text: str, cuts: list[int], start: int, end: int, *, spaced: bool
) -> bool:
    """A past-history marker next to the match in its clause: "a stroke 5 years ago", "五年前中过风"."""
    if not markers:
        return False
    begin, stop = _clause(cuts, start), _clause_end(cuts, end, len(text))
    if spaced:  # English: six words either side
        before = text[begin:start].split()[-6:]
        after = text[end:stop].split()[:6]
        window = " ".join([*before, text[start:end], *after])
    else:  # Chinese / Korean (no spaces): eight characters either side
        window = text[max(begin, start - 8) : min(stop, end + 8)]
    return any(m.search(window) for m in markers)


def _zh_negated(text: str, cuts: list[int], start: int, end: int) -> bool:
    begin = max(_clause(cuts, start), start - 6)
    before = _ZH_PSEUDO.sub("", text[begin:start])
    return bool(_ZH_NEGATION.search(before)) or before.endswith("不")


def _ko_negated(text: str, cuts: list[int], start: int, end: int) -> bool:
    clause_end = _clause_end(cuts, end, len(text))
    after = _KO_PSEUDO.sub("", text[end : min(clause_end, end + 8)])[:6]
    stop = _KO_SUFFIX_STOP.search(after)
    if stop:
        after = after[: stop.start()]
    before = text[max(_clause(cuts, start), start - 2) : start]
    if _KO_LIST_NEGATED.match(text, end, clause_end):
        return True
    return bool(_KO_NEGATION.search(after)) or before.endswith("안")


Negated = Callable[[str, list[int], int, int], bool]
# A concept's veto in one language: its words, the matches they never silence, and whether the words count
# anywhere in the text (not only near the match).
Veto = tuple[re.Pattern[str] | None, re.Pattern[str] | None, bool]


# How far from a direct match (in characters, inside its clause) a veto word of ``unless`` counts.
_VETO_WINDOW = 24


def _vetoed(
    veto: Veto,
    text: str,
    cuts: list[int],
    start: int,
    end: int,
) -> bool:
    """A veto word near the match in its clause ("can't breathe through my nose"), or anywhere in the text for
    a concept whose veto says so, unless the match is itself a sign the veto must never silence (blue lips,
    gasping)."""
    unless, spares, anywhere = veto
    if unless is None:
        return False
    if anywhere:
        # Words anywhere in the text veto the match; what spares it may stand anywhere in its clause (a Korean
        # verb ending after the match: "한 통을 다 먹어버렸어요", a time: "last night").
        if spares is not None and spares.search(
            text, _clause(cuts, start), _clause_end(cuts, end, len(text))
        ):
            return False
        return unless.search(text) is not None
    if spares is not None and spares.search(text, start, end):
        return False
    begin = max(_clause(cuts, start), start - _VETO_WINDOW)
    stop = min(_clause_end(cuts, end, len(text)), end + _VETO_WINDOW)
    return unless.search(text, begin, stop) is not None


def _present(
    pattern: re.Pattern[str] | None,
    text: str,
    cuts: list[int],
    negated: Negated,
    veto: Veto = (None, None, False),
) -> str | None:
    if pattern is None:
        return None
    for m in pattern.finditer(text):
        if _vetoed(veto, text, cuts, m.start(), m.end()):
            continue
        if not negated(text, cuts, m.start(), m.end()):
            return m.group(0)
    return None


def _near(
    pair: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str] | None] | None,
    text: str,
    cuts: list[int],
    negated: Negated,
) -> str | None:
    """Words of both lists of ``pair`` in one clause, not negated and not vetoed: "my chest feels heavy"."""
    if pair is None:
        return None
    first, second, unless = pair
    for m in first.finditer(text):
        begin = _clause(cuts, m.start())
        i = bisect.bisect_right(cuts, m.start())
        end = cuts[i] if i < len(cuts) else len(text)
        other = second.search(text, begin, end)
        if other is None or (unless is not None and unless.search(text, begin, end)):
            continue
        start, stop = min(m.start(), other.start()), max(m.end(), other.end())
        gap = text[min(m.end(), other.end()) : max(m.start(), other.start())]
        if _GAP_NEGATION.search(gap):  # "chest doesn't hurt", "胸口不疼", "가슴이 안 아파요"
            continue
        if not negated(text, cuts, start, stop):
            return text[start:stop]
    return None


def _predicate(name: str, facts: PatientFacts) -> bool:
    if name == "@infant_under_3_months":
        return facts.age_years is not None and facts.age_years < 0.25
    if name == "@pregnant":
        return facts.pregnant
    if name.startswith("@age_from_"):  # "@age_from_65": the profile says that age or older
        return facts.age_years is not None and facts.age_years >= float(name[len("@age_from_") :])
    if name.startswith("@packs_from_"):  # "@packs_from_3": an order line of that many packs or more
        return facts.packs >= int(name[len("@packs_from_") :])
    if name.startswith("@age_under_"):  # "@age_under_5": the profile says younger than 5 years
        return facts.age_years is not None and facts.age_years < float(name[len("@age_under_") :])
    if name.startswith("@"):
        return name[1:] in facts.conditions
    return False


class SymptomText:
    """The symptom text prepared once (normalised, typo-corrected, idioms blanked, clauses cut) and
    searched for any concept with the red-flag layer's negation, past-history and veto handling."""

    def __init__(self, kb: KnowledgeBase, symptoms: str) -> None:
        """Prepare ``symptoms`` for searching with the vocabulary and lists of ``kb``."""
        # A short gloss in brackets names what stands before it ("혈압약(암로디핀)을 삼켰어요",
        # "降压药(氨氯地平)", "her pills (amlodipine)"): it is read as part of its clause, not as a clause.
        spaced = _GLOSS.sub(r" \1 ", kb.typo.correct(normalise(symptoms)))
        if "en" in kb.idioms:
            spaced = kb.idioms["en"].sub(",", spaced)
        compact = spaced.replace(" ", "")
        for lang in ("zh", "ko"):
            if lang in kb.idioms:
                compact = kb.idioms[lang].sub("，", compact)
        self.spaced, self.compact = spaced, compact
        self._en_cuts = _bounds(_EN_CLAUSE, spaced)
        self._cjk_cuts = _bounds(_CJK_CLAUSE, compact)
        self._en_history = [kb.history[k] for k in ("en",) if k in kb.history]
        self._cjk_history = [kb.history[k] for k in ("zh", "ko") if k in kb.history]
        self._ko_history = kb.history.get("ko")
        self._zh_history = kb.history.get("zh")
        self._event_after, self._event_before = kb.past_event_after, kb.past_event_before
        self._event_unless, self._event_names = kb.past_event_unless, kb.past_event_names
        self._en_hypothetical = kb.hypothetical.get("en")
        self._cjk_hypothetical = [kb.hypothetical[k] for k in ("zh", "ko") if k in kb.hypothetical]
        # Only the scripts the text holds are searched (a Korean message never needs the Chinese patterns).
        self._has_en = _LATIN.search(spaced) is not None
        self._has_zh = _HAN.search(compact) is not None
        self._has_ko = _HANGUL.search(compact) is not None

    def _en_neg(self, text: str, cuts: list[int], start: int, end: int) -> bool:
        return (
            _en_negated(text, cuts, start, end)
            or _historical(self._en_history, text, cuts, start, end, spaced=True)
            or self._en_hypothetical_before(text, cuts, start)
            or self._past_event("en", text, cuts, start, end)
        )

    def _zh_neg(self, text: str, cuts: list[int], start: int, end: int) -> bool:
        return (
            _zh_negated(text, cuts, start, end)
            or _historical(self._cjk_history, text, cuts, start, end, spaced=False)
            or self._cjk_hypothetical_after(text, cuts, start, end)
            or self._zh_past_story(text, start, end)
            or self._past_event("zh", text, cuts, start, end)
            or self._zh_past_clause(text, cuts, start, end)
        )

    def _past_event(self, lang: str, text: str, cuts: list[int], start: int, end: int) -> bool:
        """Leftovers of round 23: the match names an event (a heart attack, a stroke: ``past_events.events``)
        told as treated or fatal, by words right after it in its sentence ("心梗放了支架", "심근경색으로
        스텐트를", "a heart attack and got stents", "中风后遗症") or right before it in its clause ("died of a
        stroke"), with no word of now, suddenness, a repeat or a guess before it in its clause ("is having",
        "突然", "又", "갑자기")."""
        after, before = self._event_after.get(lang), self._event_before.get(lang)
        names = self._event_names.get(lang)
        if names is None or (after is None and before is None) or not names.fullmatch(text, start, end):
            return False
        begin = _clause(cuts, start)
        unless = self._event_unless.get(lang)
        if unless is not None and unless.search(text, begin, start):
            return False
        if after is not None:
            found = _SENTENCE_END.search(text, end)
            stop = min(found.start() if found else len(text), end + _EVENT_AFTER_CHARS)
            if after.match(text[end:stop].lstrip(" ,")):
                return True
        return before is not None and before.search(text[begin:start]) is not None

    def _zh_past_story(self, text: str, start: int, end: int) -> bool:
        """Round 23: the match lies in a sentence opened by a long-past marker and closed by the end of that
        story ("后来就再没用过"), with no word of now between the marker and the match."""
        if self._zh_history is None:
            return False
        begin = max((m.end() for m in _CJK_SENTENCE.finditer(text, 0, start)), default=0)
        found = _CJK_SENTENCE.search(text, end)
        stop = found.start() if found else len(text)
        markers = list(self._zh_history.finditer(text, begin, start))
        if not markers or _ZH_NOW.search(text, markers[0].end(), start):
            return False
        return _ZH_STORY_END.search(text, end, stop) is not None

    def _zh_past_clause(self, text: str, cuts: list[int], start: int, end: int) -> bool:
        """Round 26: a long-past marker in the clause before the match, at most
        ``_ZH_PAST_CLAUSE_CHARS`` characters back, with no word of now, of a start or of going on
        between them ("去年冬天邻居家烧煤炉中毒")."""
        if self._zh_history is None:
            return False
        begin = max(_clause(cuts, start), start - _ZH_PAST_CLAUSE_CHARS)
        # searched up to the end of the match, so that a marker's look-ahead sees the words after it
        # ("以前从来没这么疼过" is never before, not the past)
        stop = _clause_end(cuts, end, len(text))
        markers = [m for m in self._zh_history.finditer(text, begin, stop) if m.end() <= start]
        if not markers:
            return False
        return _ZH_ONGOING.search(text, markers[0].end(), start) is None

    def _en_hypothetical_before(self, text: str, cuts: list[int], start: int) -> bool:
        """Round 22: "for when" a few words before the match in its clause ("the spray is for when the chest
        tightens")."""
        if self._en_hypothetical is None:
            return False
        words = " ".join(text[_clause(cuts, start) : start].split()[-6:])
        return self._en_hypothetical.search(words) is not None

    def _cjk_hypothetical_after(self, text: str, cuts: list[int], start: int, end: int) -> bool:
        """Round 22: a marker of a kept medicine just after the match in its clause ("답답할 때를 대비해서",
        "胸口发闷时用的药备着"), with no word of now before the match ("지금", "现在")."""
        if not self._cjk_hypothetical:
            return False
        begin = _clause(cuts, start)
        if _KO_NOW.search(text, begin, start) or _ZH_NOW.search(text, begin, start):
            return False
        window = text[end : min(_clause_end(cuts, end, len(text)), end + 12)]
        return any(m.search(window) for m in self._cjk_hypothetical)

    def _ko_neg(self, text: str, cuts: list[int], start: int, end: int) -> bool:
        return (
            _ko_negated(text, cuts, start, end)
            or self._cjk_hypothetical_after(text, cuts, start, end)
            or (
                _historical(self._cjk_history, text, cuts, start, end, spaced=False)
                and not self._ko_past_then_now(text, cuts, start, end)
            )
            or self._ko_past_sentence(text, cuts, start, end)
            or self._past_event("ko", text, cuts, start, end)
        )

    def _ko_past_then_now(self, text: str, cuts: list[int], start: int, end: int) -> bool:
        """Round 19: every past marker near the match stands before it, across a contrast (-는데, -지만):
        "작년에 수술했는데 숨이 막혀요" tells of the past and then of now."""
        if self._ko_history is None:
            return False
        begin, stop = _clause(cuts, start), _clause_end(cuts, end, len(text))
        lo, hi = max(begin, start - 8), min(stop, end + 8)
        found = list(self._ko_history.finditer(text, lo, hi))
        return bool(found) and all(
            m.end() <= start and _KO_CONTRAST.search(text, m.end(), start) for m in found
        )

    def _ko_past_sentence(self, text: str, cuts: list[int], start: int, end: int) -> bool:
        """A Korean clause opened by a past marker before the match and closed by the past perfect."""
        if self._ko_history is None:
            return False
        begin = _clause(cuts, start)
        markers = list(self._ko_history.finditer(text, begin, start))
        marker = markers[-1] if markers else None
        if marker is None or _KO_NOW.search(text, marker.end(), start):
            return False
        return _ko_past_perfect_final(text[start : _clause_end(cuts, end, len(text))])

    def find(self, c: Concept, *, lasting: bool = False) -> str | None:
        """The words of the text that say ``c`` (not negated, not past, not vetoed), else None. A
        ``lasting`` concept (round 23: a chronic condition, "去年心梗放了支架") still holds when said with
        a past marker."""
        spaced, compact, en_cuts, cjk_cuts = self.spaced, self.compact, self._en_cuts, self._cjk_cuts
        has_en, has_zh, has_ko = self._has_en, self._has_zh, self._has_ko
        en_neg: Negated = _en_negated if lasting else self._en_neg
        zh_neg: Negated = _zh_negated if lasting else self._zh_neg
        ko_neg: Negated = _ko_negated if lasting else self._ko_neg
        for lang, whole in c.unless_text.items():
            if whole.match(spaced if lang == "en" else compact):
                return None
        veto = {
            lang: (c.unless.get(lang), c.unless_spares.get(lang), c.unless_anywhere)
            for lang in ("en", "zh", "ko")
        }
        return (
            (has_en and _present(c.en, spaced, en_cuts, en_neg, veto["en"]))
            or (has_zh and _present(c.zh, compact, cjk_cuts, zh_neg, veto["zh"]))
            or (has_ko and _present(c.ko, compact, cjk_cuts, ko_neg, veto["ko"]))
            or (has_en and _near(c.near.get("en"), spaced, en_cuts, en_neg))
            or (has_zh and _near(c.near.get("zh"), compact, cjk_cuts, zh_neg))
            or (has_ko and _near(c.near.get("ko"), compact, cjk_cuts, ko_neg))
            or None
        )


def prepare_symptoms(kb: KnowledgeBase, symptoms: str | None) -> SymptomText | None:
    """The prepared symptom text, or None when there is no text."""
    if not symptoms or not symptoms.strip():
        return None
    return SymptomText(kb, symptoms)


def detect_red_flags(
    kb: KnowledgeBase, symptoms: str | SymptomText | None, facts: PatientFacts
) -> list[RedFlagHit]:
    """Every red flag the symptom text (with the patient's facts) raises, in knowledge-base order."""
    text = symptoms if isinstance(symptoms, SymptomText) else prepare_symptoms(kb, symptoms)
    if text is None:
        return []
    cache: dict[str, str | None] = {}

    def evidence(concept_name: str) -> str | None:
        if concept_name.startswith("@"):
            return concept_name if _predicate(concept_name, facts) else None
        if concept_name not in cache:
            cache[concept_name] = text.find(kb.concepts[concept_name])
        return cache[concept_name]

    hits = []
    for flag in kb.flags:
        for group in flag.when:
            # Profile predicates first (cheap), then stop at the first concept that is absent.
            words: list[str] = []
            for name in sorted(group, key=lambda n: not n.startswith("@")):
                word = evidence(name)
                if word is None:
                    break
                words.append(word)
            else:
                hits.append(RedFlagHit(flag.code, " + ".join(w for w in words if not w.startswith("@"))))
                break
    return hits


def read_context(kb: KnowledgeBase, symptoms: str | SymptomText | None) -> dict[str, str]:
    """The transient conditions the symptom text states (``context.yaml``), each with its words:
    "going out drinking tonight" -> ``{"alcohol_now": "going out drinking tonight"}``."""
    text = symptoms if isinstance(symptoms, SymptomText) else prepare_symptoms(kb, symptoms)
    if text is None:
        return {}
    found: dict[str, str] = {}
    for code, context in kb.context.items():
        if (context.unless_said_en is not None and context.unless_said_en.search(text.spaced)) or (
            context.unless_said_cjk is not None and context.unless_said_cjk.search(text.compact)
        ):
            continue  # "dieting, lost 4 kg": words elsewhere in the text say it is not the concept
        words = text.find(context.concept, lasting=context.lasting)
        if words:
            found[code] = words
    return found

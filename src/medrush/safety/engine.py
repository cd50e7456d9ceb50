"""The safety check: one function every path calls before a medicine reaches someone.

``check`` triages the symptom text (an emergency wins over everything), resolves each order line
through the catalog ports, recognises the patient's allergies, conditions and current medicines,
then applies the knowledge-base rules. Every rule can only add findings, so adding a medicine, an
allergy or a condition never lowers the level, and the level never depends on the order of items.
Two designed exceptions: a condition rule with ``without`` is lifted by what it is without (an
inhaled corticosteroid beside a LABA in asthma), and a status entry ("healed", "stable now") puts
the entry before it in the past, where a rule may have its own lower level.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from medrush.catalog import Product
from medrush.kernel import clock
from medrush.safety.dosing import (
    Regimen,
    body_weight_kg,
    days_a_month,
    durations_said,
    mg_per_ml,
    named_mg_per_ml,
    named_strength_mg,
    pregnancy_said,
    stated_mg_a_day,
    stated_ml_a_day,
    stated_ml_a_dose,
    stated_regimen,
)
from medrush.safety.knowledge import KnowledgeBase, Rule, Selector, TermMatch, load_knowledge_base
from medrush.safety.schemas import (
    Finding,
    FindingItem,
    Item,
    Level,
    Patient,
    PrescriptionRef,
    SafetyRequest,
    SafetyResult,
    Severity,
)
from medrush.safety.text import normalise
from medrush.safety.triage import PatientFacts, detect_red_flags, prepare_symptoms, read_context

__all__ = ["GetPort", "ResolvePort", "check", "check_profile_items", "mark_products"]

ResolvePort = Callable[[str], Product | None]
GetPort = Callable[[str], Product | None]
PrescriptionPort = Callable[[Product], bool]

_VALID_RX_STATUSES = frozenset({"reviewed", "approved", "verified", "valid", "dispensable"})
_UNIT_TO_MG = {"mg": 1.0, "g": 1000.0, "mcg": 0.001, "µg": 0.001, "ug": 0.001}


@dataclass(slots=True)
class _Entity:
    """An order line or a current medicine, reduced to what the rules look at."""

    ref: FindingItem
    label: dict[str, str]
    ingredients: frozenset[str]
    tokens: frozenset[str]
    product: Product | None = None
    quantity: int = 1
    is_item: bool = True


@dataclass(slots=True)
class _Context:
    kb: KnowledgeBase
    lang: str
    jurisdiction: str = "generic"
    findings: list[Finding] = field(default_factory=list)

    @property
    def rules(self) -> dict[str, list[Rule]]:
        """The knowledge-base rules at the levels of this check's jurisdiction."""
        return self.kb.rules_in(self.jurisdiction)

    def add(
        self,
        code: str,
        severity: Severity,
        message: str,
        refs: Sequence[FindingItem] = (),
        source: str | None = None,
        rule: str | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                code=code,
                severity=severity.name,
                message=message,
                items=list(refs),
                source=source,
                rule=rule,
            )
        )

    def canned(
        self, code: str, refs: Sequence[FindingItem] = (), severity: Severity | None = None, **values: object
    ) -> None:
        spec = self.kb.messages[code]
        text = spec["message"].get(self.lang) or spec["message"]["en"]
        level = severity if severity is not None else Severity[spec["severity"]]
        self.add(code, level, text.format(**values), refs, spec.get("source"))

    def ruled(
        self, code: str, rule: Rule, prefix: str, refs: Sequence[FindingItem], said: str | None = None
    ) -> None:
        text = rule.message.get(self.lang) or rule.message["en"]
        if said:
            text = f"{text}（{said}）" if self.lang == "zh" else f"{text} ({said})"
        # A jurisdiction's own level says whose rule it is in the source: "[kr] MFDS DUR ...".
        source = rule.source if rule.jurisdiction is None else f"[{rule.jurisdiction}] {rule.source}"
        self.add(code, rule.severity, f"{prefix}: {text}" if prefix else text, refs, source, rule.id)

    def said(self, rule: Rule, facts: _Facts) -> str | None:
        """Why a condition rule applies when only the symptom text made it apply: "you mentioned
        drinking alcohol: 'going out drinking'"; None when the profile names one of its conditions."""
        if rule.conditions.isdisjoint(facts.context) or not rule.conditions.isdisjoint(facts.profile):
            return None
        code = min(rule.conditions & facts.context.keys())
        concept = self.kb.context[facts.via.get(code, code)]
        return _quoted(self.lang, concept.said, facts.context[code])

    def said_past(self, rule: Rule, facts: _Facts) -> str:
        """Why a condition rule applies to past history: "past history: 'stomach ulcer in 2010, healed'"."""
        code = min(rule.conditions & facts.past.keys())
        return _quoted(self.lang, {"en": "past history", **self.kb.past_said}, facts.past[code])


def _quoted(lang: str, said: Mapping[str, str], words: str) -> str:
    """What was read, in the reader's language, and the words it was read from: 'past history: “…”'."""
    colon = "：" if lang == "zh" else ": "
    return f"{said.get(lang) or said['en']}{colon}“{words}”"


@dataclass(frozen=True, slots=True)
class _Facts:
    """The patient's conditions: from the profile, and read from the symptom text (code -> words)."""

    profile: frozenset[str]
    context: dict[str, str]
    # Conditions the profile names only as past history ("stomach ulcer in 2010, healed"): code -> entry.
    past: dict[str, str] = field(default_factory=dict)
    # Round 23: a profile condition counted from a context concept's ``counts_as``: condition -> context code.
    via: dict[str, str] = field(default_factory=dict)

    @property
    def all(self) -> frozenset[str]:
        return self.profile | self.context.keys()


_LIST_SPLIT = re.compile(r"[,;、，；]")
_AND_SPLIT = re.compile(r"\band\b|\bplus\b|以及|和|及|跟|및|(?<=[가-힣])[과와]\s+")


_OPEN, _CLOSE = "(（[【", ")）]】"


def _list_parts(term: str) -> list[str]:
    """``term`` cut at list separators outside brackets: "甲硝唑（牙周炎，吃到后天）" stays one entry and
    "青霉素（喉咙肿、全身风团）" one allergy (round 19); "asthma, high BP" is two."""
    if not any(ch in term for ch in _OPEN):
        return _LIST_SPLIT.split(term)
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(term):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and _LIST_SPLIT.match(ch):
            parts.append(term[start:i])
            start = i + 1
    parts.append(term[start:])
    return parts


# Round 20: a list part that only says how long or since when ("ibuprofen 400 mg three times a day for my
# knee, 3 weeks now", "布洛芬，吃了三周了", "이부프로펜, 3주째") belongs to the entry before it, not a
# medicine of its own.
_NUM = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|several|a couple of|couple of)"
)
_DURATION_NOTE = re.compile(
    r"^(?:(?:taken |taking |on it |used )?(?:for |since |about |around |nearly |almost |over |already )*"
    rf"{_NUM}[ -]?(?:days?|weeks?|wks?|months?|years?|yrs?)(?: now| so far| already| ago| running| or so)*"
    r"|since (?:last \w+|yesterday|\w+day|january|february|march|april|may|june|july|august|september|october"
    r"|november|december|\d+)|started (?:last \w+|yesterday|\w+ ago)"
    r"|(?:已经|已)?(?:吃|服|用)?(?:了)?[0-9一二两三四五六七八九十几半]+(?:多)?(?:天|周|个?星期|个?礼拜|个?月|年)(?:多)?(?:了)?"
    r"|[0-9]+\s*(?:일|주|주일|개월|달|년)\s*(?:째|쨰|넘게|정도|동안|됐어요|되었어요|됨)?(?:예요|에요|입니다|이에요)?"
    r"|(?:한|두|세|네|몇)\s*(?:주|달)\s*(?:째|넘게|정도|동안|됐어요|되었어요|됨)?(?:예요|에요|입니다|이에요)?)[.。]?$"
)


# Round 27: a list part that only says when the last dose was or when an appointment is
# ("ceftriaxone drip, last one yesterday", "头孢曲松钠静脉滴注，昨天最后一次", "세프트리악손 주사, 어제가
# 마지막"; "dental abscess, dentist appointment Thursday", "牙脓肿，约了周四看牙医", "치통, 목요일 치과
# 예약"), or since when a symptom of the entry before it has shown ("chickenpox, spots since Tuesday",
# "水痘，周二开始出疹子", "수두, 화요일부터 발진"): a note on the entry before it, as a duration is.
_WHEN = (
    r"(?:yesterday|today|tonight|last night|this morning|this (?:week|afternoon|evening)|last week"
    r"|on \w+day|\w+day)"
)
_ZH_WHEN = (
    r"(?:昨天|今天|前天|昨晚|今早|上周[一二三四五六日天]?|(?:周|星期|礼拜)[一二三四五六日天]"
    r"|[0-9一二两三四五六七八九十]+号)"
)
_KO_WHEN = r"(?:어제|오늘|그저께|그제|지난주|[월화수목금토일]요일)"
_NOTE = re.compile(
    rf"^(?:(?:the )?last (?:dose|one|tablet|injection|jab|drip|infusion|shot)(?: was| is)? {_WHEN}"
    rf"|finished (?:it |them |the course )?{_WHEN}"
    r"|(?:(?:gp|doctors?|dentists?|dental|hospital|clinic|specialist|follow[- ]up|review) )?"
    r"(?:appointment|appt)"
    rf"(?: (?:on|this|next|booked for|booked|is|at))*(?: {_WHEN}| \w+)?"
    rf"|(?:spots|rash|blisters|fever|temperature|temp|cough|symptoms|itching|itch) (?:since|from) {_WHEN}"
    rf"|{_ZH_WHEN}(?:是)?最后一(?:次|针|剂|瓶|片|粒)|最后一(?:次|针|剂|瓶)(?:是|在)?{_ZH_WHEN}"
    rf"|{_ZH_WHEN}(?:已经)?(?:打|吃|用|输)完(?:了)?|(?:约了|预约了?|挂了?号?)?{_ZH_WHEN}(?:约了|预约了?)?(?:看|去)?"
    r"(?:牙医|医生|医院|门诊|复查|复诊|口腔科)"
    rf"|{_ZH_WHEN}(?:开始)?(?:出|起|长)(?:了)?(?:疹子|痘|水泡)|(?:疹子|痘痘|水泡)(?:从)?{_ZH_WHEN}(?:开始)?(?:出|起|长)?的?"
    rf"|{_KO_WHEN}(?:이|가)?마지막(?:이에요|이었어요|이었음|입니다|으로|임)?|마지막(?:투여|주사|복용)(?:은|는|이|가)?{_KO_WHEN}"
    rf"|{_KO_WHEN}(?:에)?(?:치과|병원|진료|외래)(?:예약|진료|가요|갈예정)(?:있어요|했어요|이에요|예정)?"
    rf"|{_KO_WHEN}부터(?:발진|물집|열|기침)(?:이|가)?(?:났어요|나요|있어요)?)[.。]?$"
)


def _with_notes(parts: list[str]) -> list[str]:
    """Parts with a duration note (or, round 27, a last-dose, appointment or since-when note) joined to the
    part before it."""
    out: list[str] = []
    for part in parts:
        said = normalise(part).strip()
        note = _NOTE.match(said.replace(" ", "") if _CJK.search(said) else said)
        if out and (_DURATION_NOTE.match(said) or note):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _depth(text: str) -> int:
    """Brackets ``text`` opens and leaves open (never below zero)."""
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
    return depth


def _rejoin_brackets(terms: Sequence[str]) -> list[str]:
    """Entries a client cut at commas inside brackets joined again (round 21): ["linezolid 600 mg (from the
    hospital", "day 5 of 14)"] is one entry, as a YAML flow list or a form split at every comma gives it. An
    entry that opens a bracket takes the following ones up to the one that closes it; never more than four,
    and not when no later entry closes it."""
    out: list[str] = []
    i = 0
    while i < len(terms):
        term = terms[i]
        if _depth(term) > 0:
            joined, j = term, i + 1
            while j < len(terms) and j <= i + 4:
                joined = f"{joined}, {terms[j]}"
                if _depth(joined) == 0:
                    out.append(joined)
                    i = j + 1
                    break
                j += 1
            else:
                out.append(term)
                i += 1
            continue
        out.append(term)
        i += 1
    return out


def _split_terms(terms: Sequence[str], known: Callable[[str], bool]) -> list[str]:
    """One entry per term: "asthma, high BP" is two terms; "penicillin and sulfa" too when both are known.

    Splitting on "and" happens only when every part is recognised, so a name such as "Cold and Flu"
    stays whole. Entries cut inside brackets are joined first (``_rejoin_brackets``).
    """
    out: list[str] = []
    for term in _rejoin_brackets(terms):
        for part in _with_notes([p.strip() for p in _list_parts(term)]):
            if not part:
                continue
            pieces = [p.strip() for p in _AND_SPLIT.split(part) if p.strip()]
            out.extend(pieces if len(pieces) > 1 and all(known(p) for p in pieces) else [part])
    return out


def _lang(request: SafetyRequest, lang: str | None) -> str:
    chosen = (lang or request.lang or "en")[:2].lower()
    return chosen if chosen in ("en", "zh", "ko") else "en"


def _jurisdiction(jurisdiction: str | None) -> str:
    if jurisdiction:
        return jurisdiction
    from medrush.settings import get_settings

    return get_settings().jurisdiction


def _product_names(kb: KnowledgeBase, product: Product) -> frozenset[str]:
    """A product's canonical ingredients; in a product for external use, not those checked only when
    taken into the body (the ethanol of a skin disinfectant)."""
    names = frozenset(kb.canonical(n) for n in product.ingredient_names)
    if kb.systemic_only and kb.is_external_form(product.dosage_form):
        names -= kb.systemic_only
    return names


def _product_tokens(kb: KnowledgeBase, product: Product, names: frozenset[str]) -> frozenset[str]:
    """Selector tokens of a product: its ingredients, their classes, its route (``route:cutaneous``) and
    the unit strength in mg of each ingredient that has one (``mg:simvastatin:40``)."""
    route = kb.route_of(product.dosage_form)
    tokens = set(kb.tokens_of(names))
    if route is not None:
        tokens.add(f"route:{route}")
    if kb.is_sodium_form(product.dosage_form):
        tokens.add("form:sodium")
    for ing in product.ingredients:
        mg = _to_mg(ing.strength, ing.unit)
        canonical = kb.canonical(ing.name)
        if mg is not None and canonical in names:
            tokens.add(f"mg:{canonical}:{mg:g}")
    return frozenset(tokens)


def _product_entity(kb: KnowledgeBase, product: Product, ref: FindingItem, quantity: int) -> _Entity:
    names = _product_names(kb, product)
    label = {lang: product.name_in(lang) for lang in ("en", "zh", "ko")}
    return _Entity(ref, label, names, _product_tokens(kb, product, names), product, quantity)


def _resolve_items(ctx: _Context, items: Sequence[Item], resolve: ResolvePort, get: GetPort) -> list[_Entity]:
    kb = ctx.kb
    out: list[_Entity] = []
    for index, item in enumerate(items):
        ref = FindingItem(index=index, medicine_id=item.medicine_id, query=item.query)
        text = item.medicine_id if item.medicine_id is not None else item.query or ""
        product = get(item.medicine_id) if item.medicine_id is not None else resolve(text)
        term = kb.medicine_term(text)
        if product is None and item.query is not None and term.kind == "unknown":
            # A misspelt name ("alleve", "ibuprofin 200"): read as the one known name it is close to, then
            # looked up again under that name; an info finding says what was read.
            read = kb.misspelt_medicine(text)
            if read is not None:
                term, label = _misspelt(ctx, text, term, [ref])
                product = resolve(_respelt(text, read[1]))
                if product is None:
                    ctx.canned("unknown_item", [ref], item=text)
                    if term.kind in ("ingredient", "combination"):
                        names = frozenset({term.value}) if term.kind == "ingredient" else term.names
                        out.append(_Entity(ref, label, names, term.tokens, None, item.quantity))
                    continue
        if (
            product is not None
            and item.query is not None
            and term.kind == "combination"
            and not term.names <= {kb.canonical(n) for n in product.ingredient_names}
        ):
            product = None  # "Tylenol PM" resolved to plain Tylenol: check the combination instead
        if product is not None:
            ref.medicine_id = product.id
            out.append(_product_entity(kb, product, ref, item.quantity))
            continue
        if term.kind == "combination":  # a combination brand the catalog lacks: all its ingredients
            names = term.names
            shown = ", ".join(sorted(kb.display_ingredient(n, ctx.lang) for n in names))
            ctx.canned("combination_not_in_catalog", [ref], item=text, ingredient=shown)
            out.append(
                _Entity(ref, dict.fromkeys(("en", "zh", "ko"), text), names, term.tokens, None, item.quantity)
            )
            continue
        ctx.canned("unknown_item", [ref], item=text)
        if term.kind == "ingredient":  # still check what the words name, e.g. "ibuprofen 200 mg"
            names = frozenset({term.value})
            out.append(
                _Entity(ref, dict.fromkeys(("en", "zh", "ko"), text), names, term.tokens, None, item.quantity)
            )
    return out


def _respelt(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    """``text`` with each misspelt word read replaced by the name it was read as."""
    names = dict(pairs)
    return re.sub(r"[a-z]+", lambda m: names.get(m.group(0), m.group(0)), normalise(text))


def _known_medicine(kb: KnowledgeBase, text: str) -> bool:
    """A medicine or allergy term names something, by its words or by a misspelt name read."""
    return kb.medicine_term(text).kind != "unknown" or kb.misspelt_medicine(text) is not None


def _misspelt(
    ctx: _Context, term_text: str, term: TermMatch, refs: Sequence[FindingItem]
) -> tuple[TermMatch, dict[str, str]]:
    """An unknown term read again with its misspelt names read as the known names they are close to
    ("warfrin 5mg daily": warfarin): the match and the label that says what was read, with an info
    finding; the term and its own words when nothing is read."""
    read = ctx.kb.misspelt_medicine(term_text)
    if read is None:
        return term, dict.fromkeys(("en", "zh", "ko"), term_text)
    match, pairs = read
    said: dict[str, str] = {}
    for lang in ("en", "zh", "ko"):
        template = ctx.kb.read_as.get(lang) or ctx.kb.read_as["en"]
        said[lang] = ", ".join(template.format(word=word, name=name) for word, name in pairs)
    ctx.canned("medicine_read_as", refs, term=term_text, item=said[ctx.lang])
    bracket = {
        lang: f"{term_text}（{said[lang]}）" if lang == "zh" else f"{term_text} ({said[lang]})"
        for lang in said
    }
    return match, bracket


def _resolve_medications(ctx: _Context, patient: Patient, resolve: ResolvePort) -> list[_Entity]:
    kb = ctx.kb
    out: list[_Entity] = []
    resolved: dict[str, Product | None] = {}

    def resolve_first(text: str) -> Product | None:
        """The catalog's product for a term (asked once): a brand the catalog knows is no misspelling."""
        if text not in resolved:
            resolved[text] = resolve(text)
        return resolved[text]

    for term_text in _split_terms(patient.current_medications, lambda t: _known_medicine(kb, t)):
        ref = FindingItem(current_medication=term_text)
        label = dict.fromkeys(("en", "zh", "ko"), term_text)
        term = kb.medicine_term(term_text)
        known = resolve_first(term_text) if term.kind == "unknown" else None
        if term.kind == "unknown" and (known is None or not known.ingredients):
            term, label = _misspelt(ctx, term_text, term, [ref])
        if term.kind == "ingredient":
            out.append(_Entity(ref, label, frozenset({term.value}), term.tokens, is_item=False))
        elif term.kind == "combination":  # "NyQuil": every ingredient of the combination
            out.append(_Entity(ref, label, term.names, term.tokens, is_item=False))
        elif term.kind == "class":
            out.append(_Entity(ref, label, frozenset(), term.tokens, is_item=False))
        elif term.kind == "none":
            continue
        else:
            product = resolve_first(term_text)
            if product is not None and product.ingredients:
                names = _product_names(kb, product)
                out.append(_Entity(ref, label, names, _product_tokens(kb, product, names), is_item=False))
            else:
                ctx.canned("unknown_medication", [ref], term=term_text)
    return out


def _said_medicines(ctx: _Context, context: dict[str, str], known: frozenset[str]) -> list[_Entity]:
    """Foods and drinks the symptom text says are taken ("a big glass of grapefruit juice every morning"),
    as current medicines for this check (``medicine`` in context.yaml); labelled with the words said.
    Round 24: so are the regular medicines a concept's words name (``medicines``: "I'm on Priadel"), each
    once, unless the order or the listed current medicines already hold it (``known``)."""
    out: list[_Entity] = []
    for code, words in context.items():
        if code not in ctx.kb.context:
            continue  # a profile condition counted from a context concept (counts_as)
        concept = ctx.kb.context[code]
        names = [concept.medicine] if concept.medicine is not None else []
        names += [name for name, pattern in concept.medicines if pattern.search(words.lower())]
        for name in names:
            if concept.medicines and name in known:
                continue
            label = {lang: _quoted(lang, concept.said, words) for lang in ("en", "zh", "ko")}
            ref = FindingItem(current_medication=words)
            out.append(_Entity(ref, label, frozenset({name}), ctx.kb.tokens_of([name]), is_item=False))
    return out


def _condition_foods(ctx: _Context, patient: Patient) -> list[_Entity]:
    """Foods and drinks written among the conditions ("grapefruit juice every morning"): current medicines."""
    out: list[_Entity] = []
    for term_text in patient.conditions:
        if ctx.kb.condition_term(term_text).kind not in ("unknown", "icd10_other"):
            continue
        name = _said_food(ctx.kb, term_text)
        if name is not None:
            label = dict.fromkeys(("en", "zh", "ko"), term_text)
            ref = FindingItem(current_medication=term_text)
            out.append(_Entity(ref, label, frozenset({name}), ctx.kb.tokens_of([name]), is_item=False))
    return out


def _allergy_tokens(
    ctx: _Context, patient: Patient, resolve: ResolvePort
) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """Ingredient allergies (name -> term), class allergies (class -> term) and every class token implied."""
    kb = ctx.kb
    by_ingredient: dict[str, str] = {}
    by_class: dict[str, str] = {}
    implied: set[str] = set()
    for entry in patient.allergies:
        mine: set[str] = set()
        _allergy_entry(ctx, entry, resolve, by_ingredient, by_class, mine)
        implied |= mine
        if kb.immediate_reaction.search(normalise(entry)):  # "penicillin - anaphylaxis in 2015"
            implied |= {f"immediate:{t}" for t in mine}
    return by_ingredient, by_class, implied


# Where an allergy entry's note on the reaction begins: a bracket, a dash or a colon between words.
_ALLERGY_NOTE = re.compile(r"[(（\[【]|\s[-–—:]\s|[:：]")


def _allergy_entry(
    ctx: _Context,
    entry: str,
    resolve: ResolvePort,
    by_ingredient: dict[str, str],
    by_class: dict[str, str],
    implied: set[str],
) -> None:
    """The terms of one allergy entry into the maps and the implied class tokens."""
    kb = ctx.kb
    for term_text in _split_terms([entry], lambda t: _known_medicine(kb, t)):
        term = kb.medicine_term(term_text)
        product = resolve(term_text) if term.kind == "unknown" else None
        if term.kind == "unknown" and (product is None or not product.ingredients):
            # Round 20: a brand with its reaction after it ("탁센 (먹고 두드러기, 입술 부음)",
            # "Aleve - hives"): the name before the note.
            head = _ALLERGY_NOTE.split(term_text, maxsplit=1)[0].strip()
            if head and head != term_text.strip():
                product = resolve(head)
        if term.kind == "unknown" and (product is None or not product.ingredients):
            term, _ = _misspelt(ctx, term_text, term, [])  # "ibuprofin": ibuprofen, said in an info finding
        if term.kind == "ingredient":
            by_ingredient[term.value] = term_text
            implied |= {t for t in term.tokens if t.startswith("class:")}
        elif term.kind == "class":
            by_class[term.value] = term_text
            implied.add(f"class:{term.value}")
        elif term.kind == "combination":  # allergic to a combination brand: to each of its ingredients
            for name in term.names:
                by_ingredient[name] = term_text
                implied |= {f"class:{c}" for c in kb.classes_of(name)}
        elif term.kind == "non_medicine":
            ctx.canned("allergy_not_medicine", term=term_text)
        elif term.kind == "unknown":  # a brand the catalog knows ("Panadol Extra"): its ingredients
            if product is None or not product.ingredients:
                ctx.canned("unknown_allergy", term=term_text)
                continue
            for name in product.ingredient_names:
                canonical = kb.canonical(name)
                by_ingredient[canonical] = term_text
                implied |= {f"class:{c}" for c in kb.classes_of(canonical)}


def _conditions(
    ctx: _Context, patient: Patient, today: date
) -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    """The patient's current conditions, those named only as past history (code -> entry), and the context
    concepts (context.yaml) entries name that conditions.yaml does not know (code -> entry).

    An entry that only says how the one before it stands ("heart attack in 2016, stable now",
    "stomach ulcer in 2010", "healed") belongs to that entry and is no unknown condition. Round 27: an entry
    the symptom-text reading knows as a transient condition ("chickenpox, spots since Tuesday", "水痘",
    "수두") is that context concept, as if the text had said it, and no unknown condition: only the concepts
    marked ``profile_entry`` in context.yaml (an illness of now; not drinking or heart disease said in words,
    which stay unknown as before).
    """
    kb = ctx.kb
    found: set[str] = set()
    past: dict[str, str] = {}
    said: dict[str, str] = {}
    entries = _split_terms(patient.conditions, lambda t: kb.condition_term(t).kind == "condition")
    for index, term_text in enumerate(entries):
        if index > 0 and kb.is_status_note(term_text):
            continue
        term = kb.condition_term(term_text)
        if term.kind == "condition":
            codes = kb.condition_codes(term_text)
            notes = [term_text]
            for later in entries[index + 1 :]:
                if not kb.is_status_note(later):
                    break
                notes.append(later)
            if kb.names_past(", ".join(notes), codes, today.year):
                past.update(dict.fromkeys(codes, ", ".join(notes)))
            else:
                found.update(codes)
        elif term.kind in ("unknown", "icd10_other") and _said_food(kb, term_text) is None:
            concepts = {
                code: words
                for code, words in (read_context(kb, term_text) if term.kind == "unknown" else {}).items()
                if kb.context[code].profile_entry
            }
            if concepts:
                said.update({code: term_text for code in concepts if code not in said})
                continue
            ctx.canned("unknown_condition", term=term_text)
    return frozenset(found), {code: entry for code, entry in past.items() if code not in found}, said


def _said_food(kb: KnowledgeBase, term_text: str) -> str | None:
    """A food or drink the context concepts take as a medicine (``medicine`` in context.yaml), written as a
    profile condition ("grapefruit juice every morning"): its ingredient, read as a current medicine."""
    term = kb.medicine_term(term_text)
    foods = {c.medicine for c in kb.context.values() if c.medicine is not None}
    return term.value if term.kind == "ingredient" and term.value in foods else None


def _has_prescription(
    product: Product, names: frozenset[str], prescriptions: Sequence[PrescriptionRef], today: date
) -> bool:
    for rx in prescriptions:
        if rx.status.strip().lower() not in _VALID_RX_STATUSES:
            continue
        if rx.valid_until is not None:
            until = rx.valid_until.date() if isinstance(rx.valid_until, datetime) else rx.valid_until
            if until < today:
                continue
        if rx.medicine_id is not None and rx.medicine_id == product.id:
            return True
        if rx.ingredient is not None and rx.ingredient.strip().lower() in names:
            return True
    return False


_ACCEPTABLE = (
    "acceptable",
    "compatible",
    "considered safe",
    "not absorbed",
    "no known risk",
    "safe to use",
    "can be used",
)

# Weeks of pregnancy written in a profile entry ("24 weeks pregnant", "怀孕32周", "임신 22주") or a
# trimester ("third trimester", "孕晚期", "임신 후기"), as the range of weeks it can mean.
_WEEKS = re.compile(r"(\d{1,2})\s*(?:\+\d\s*)?(?:weeks?|wks?|w|周|週|주)(?![a-z])")
_TRIMESTERS = (
    (re.compile(r"\b(?:first|1st)\s*trimester|孕早期|早孕|妊娠早期|임신\s*초기"), (0, 13)),
    (re.compile(r"\b(?:second|2nd)\s*trimester|孕中期|妊娠中期|임신\s*중기"), (14, 27)),
    (re.compile(r"\b(?:third|3rd)\s*trimester|孕晚期|妊娠晚期|임신\s*(?:후기|말기)"), (28, 42)),
)


def pregnancy_weeks(patient: Patient) -> tuple[int, int] | None:
    """The range of pregnancy weeks the profile gives: the field, else a week count or trimester in the
    conditions; None when unknown (then every pregnancy window applies)."""
    if patient.pregnancy_weeks is not None:
        return (patient.pregnancy_weeks, patient.pregnancy_weeks)
    for entry in patient.conditions:
        text = normalise(entry)
        if not any(w in text for w in ("preg", "trimester", "孕", "妊娠", "임신")):
            continue
        found = _WEEKS.search(text)
        if found and 0 < int(found.group(1)) <= 45:
            return (int(found.group(1)), int(found.group(1)))
        for pattern, span in _TRIMESTERS:
            if pattern.search(text):
                return span
    return None


_TIMED = ("trimester", "week")


def _label_severity(text: str | None) -> Severity | None:
    """What a catalog pregnancy/breastfeeding statement asks for: nothing, a warning or a block."""
    if not text or not text.strip():
        return None
    lowered = text.lower()
    if "contraindicated" in lowered and not any(w in lowered for w in _TIMED):
        return Severity.block
    if any(w in lowered for w in _ACCEPTABLE) and "avoid" not in lowered:
        return None
    return Severity.warn


def _label_covers_age(product: Product | None, age_years: float | None) -> bool:
    """The product's catalog label gives a minimum age and the patient has reached it."""
    return (
        product is not None
        and product.min_age_years is not None
        and age_years is not None
        and age_years >= float(product.min_age_years)
    )


def _labelled_for_age(rule: Rule, product: Product | None, age_years: float | None) -> bool:
    """An age rule about adult products meets a product whose catalog label covers the patient's age."""
    return rule.spares_labelled_for_age and _label_covers_age(product, age_years)


def _recommended_in_pregnancy(kb: KnowledgeBase, product: Product, ingredients: frozenset[str]) -> bool:
    """Folic acid alone, or a prenatal multivitamin (a vitamin product with a prenatal word in a name)."""
    if ingredients and ingredients <= kb.pregnancy_recommended:
        return True
    if product.category != "vitamins_minerals":
        return False
    names = [product.name_en, product.name_zh, product.name_ko, *(b.name for b in product.brands)]
    text = " ".join(n for n in names if n).lower()
    return any(word in text for word in kb.prenatal_names)


def _prescribed_low_dose(kb: KnowledgeBase, product: Product | None, prescribed: Callable[[], bool]) -> bool:
    """Every active ingredient is one prescribed at a low dose in pregnancy on purpose (aspirin 75-150 mg
    for pre-eclampsia), within its strength, and the patient holds a valid prescription for the product."""
    if product is None or not product.ingredients:
        return False
    for ing in product.ingredients:
        limit = kb.prescribed_in_pregnancy.get(kb.canonical(ing.name))
        mg = _to_mg(ing.strength, ing.unit)
        if limit is None or mg is None or mg > limit[0]:
            return False
    return prescribed()


def _within_upper_intake(kb: KnowledgeBase, ingredient: str, a: _Entity, b: _Entity) -> bool:
    """Both products state the vitamin or mineral and one unit of each stays within its upper intake."""
    limit = kb.upper_intake.get(ingredient)
    if limit is None or a.product is None or b.product is None:
        return False
    total = 0.0
    for product in (a.product, b.product):
        amounts = [
            i.strength * limit.per[i.unit.strip().lower()]
            for i in product.ingredients
            if kb.canonical(i.name) == ingredient
            and i.strength is not None
            and i.unit is not None
            and i.unit.strip().lower() in limit.per
        ]
        if not amounts:
            return False  # an amount the knowledge base cannot add up: warn as before
        total += sum(amounts)
    return total <= limit.amount


def _to_mg(strength: float | None, unit: str | None) -> float | None:
    if strength is None or unit is None:
        return None
    factor = _UNIT_TO_MG.get(unit.strip().lower())
    return strength * factor if factor is not None else None


def _item_checks(
    ctx: _Context,
    entity: _Entity,
    patient: Patient,
    pregnant: bool,
    breastfeeding: bool,
    facts: _Facts,
    allergies: tuple[dict[str, str], dict[str, str], set[str]],
    prescriptions: Sequence[PrescriptionRef],
    has_prescription: PrescriptionPort | None,
    today: date,
    with_tokens: Sequence[frozenset[str]] = (),
) -> None:
    kb, lang = ctx.kb, ctx.lang
    name = entity.label[lang]
    refs = [entity.ref]
    product = entity.product
    rules = ctx.rules
    conditions = facts.all
    labelled = _label_covers_age(product, patient.age_years)

    def prescribed() -> bool:
        if product is None:
            return False
        if _has_prescription(product, entity.ingredients, prescriptions, today):
            return True
        return has_prescription is not None and has_prescription(product)

    if product is not None:
        needs_rx = product.rx_class == "rx" or not entity.ingredients.isdisjoint(kb.always_rx)
        if needs_rx and not prescribed():
            ctx.canned("rx_required", refs, item=name)
        if product.max_per_order is not None and entity.quantity > product.max_per_order:
            ctx.canned("quantity_limit", refs, item=name, max=product.max_per_order)
        min_age = product.min_age_years
        if min_age is not None and patient.age_years is not None and patient.age_years < float(min_age):
            ctx.canned("age_label", refs, item=name, age=f"{float(min_age):g}")
        for ing in product.ingredients:
            canonical = kb.canonical(ing.name)
            limit = kb.max_daily_mg.get(canonical)
            mg = _to_mg(ing.strength, ing.unit)
            if limit is not None and mg is not None and mg > limit[0]:
                ctx.canned(
                    "dose_above_daily_max",
                    refs,
                    item=name,
                    ingredient=kb.display_ingredient(canonical, lang),
                    max=f"{limit[0]:g}",
                )

    # Age: the most severe rule per ingredient only (a 1-year-old gets "under 2", not also "under 12").
    age_hits: dict[str, Rule] = {}
    unknown_age = False
    for age_rule in rules["age"]:
        if not age_rule.selector.hits(entity.tokens) or age_rule.below_years is None:
            continue
        if age_rule.conditions and age_rule.conditions.isdisjoint(conditions):
            continue  # an age rule only with an illness (aspirin under 19 with flu or chickenpox)
        if _labelled_for_age(age_rule, product, patient.age_years):
            continue  # a children's product whose label covers this age: its own label decides
        # A jurisdiction whose labels cover this age for such products (cn) has its own level for them;
        # one may also have its own age limit (kr: tetracyclines under 12).
        rule = age_rule.at(ctx.jurisdiction, labelled_for_age=labelled)
        if patient.age_years is None:
            unknown_age = unknown_age or rule.severity >= Severity.block
            continue
        if rule.below_years is not None and patient.age_years < rule.below_years:
            key = ",".join(sorted(rule.selector.tokens & entity.tokens))
            if key not in age_hits or rule.severity > age_hits[key].severity:
                age_hits[key] = rule
    for rule in age_hits.values():
        ctx.ruled("age_contraindication", rule, name, refs, ctx.said(rule, facts))
    if unknown_age:
        ctx.canned("age_unknown", refs, item=name)
    if patient.age_years is not None:
        for rule in rules["older_adults"]:
            if (
                rule.from_years is not None
                and patient.age_years >= rule.from_years
                and rule.selector.hits(entity.tokens)
            ):
                ctx.ruled("older_adult_caution", rule, name, refs)

    if pregnant and _prescribed_low_dose(kb, product, prescribed):
        ctx.canned("pregnancy_prescribed_low_dose", refs, item=name)
    elif pregnant:
        weeks = pregnancy_weeks(patient)
        preg_hits: dict[str, Rule] = {}
        for rule in rules["pregnancy"]:
            if not rule.selector.hits(entity.tokens):
                continue
            if weeks is not None:
                if rule.from_week is not None and weeks[1] < rule.from_week:
                    continue
                if rule.to_week is not None and weeks[0] > rule.to_week:
                    continue
            key = ",".join(sorted(rule.selector.tokens & entity.tokens))
            if key not in preg_hits or rule.severity > preg_hits[key].severity:
                preg_hits[key] = rule
        for rule in preg_hits.values():
            ctx.ruled("pregnancy", rule, name, refs)
        label = _label_severity(product.pregnancy if product is not None else None)
        if product is not None and _recommended_in_pregnancy(kb, product, entity.ingredients):
            label = None  # folic acid, prenatal vitamins: recommended in pregnancy (WHO), not warned
        strictest = max((r.severity for r in preg_hits.values()), default=None)
        if label is not None and (strictest is None or label > strictest):
            ctx.canned("pregnancy_label", refs, severity=label, item=name)

    if breastfeeding:
        fired: Severity | None = None
        for rule in rules["breastfeeding"]:
            if rule.conditions and rule.conditions.isdisjoint(conditions):
                continue  # a rule only for a baby at risk (co-trimoxazole and a premature or jaundiced baby)
            if rule.selector.hits(entity.tokens):
                fired = rule.severity if fired is None else max(fired, rule.severity)
                ctx.ruled("breastfeeding", rule, name, refs)
        label = _label_severity(product.breastfeeding if product is not None else None)
        if label is not None and (fired is None or label > fired):
            ctx.canned("breastfeeding_label", refs, severity=label, item=name)

    by_ingredient, by_class, implied = allergies
    allergic_here = False
    for ingredient in sorted(entity.ingredients):
        if ingredient in by_ingredient:
            allergic_here = True
            ctx.canned("allergy", refs, item=name, ingredient=kb.display_ingredient(ingredient, lang))
        for cls in sorted(kb.classes_of(ingredient)):
            if cls in by_class:
                allergic_here = True
                ctx.canned(
                    "allergy_class",
                    refs,
                    item=name,
                    ingredient=kb.display_ingredient(ingredient, lang),
                    term=kb.display_class(cls, lang),
                )
    if not allergic_here and implied:
        for rule in rules["allergy_cross_reactivity"]:
            if not rule.allergic_to.isdisjoint(implied) and rule.selector.hits(entity.tokens):
                ctx.ruled("allergy_cross_reactivity", rule, name, refs)

    if conditions or facts.past:
        for rule in rules["conditions"]:
            if not rule.selector.hits(entity.tokens):
                continue
            if rule.without is not None and any(rule.without.hits(tokens) for tokens in with_tokens):
                continue  # a LABA with an inhaled corticosteroid in the order or the current medicines
            if rule.also_conditions and rule.also_conditions.isdisjoint(conditions):
                continue  # round 26: a second condition must hold too (asthma, with an ICS said unused)
            if not rule.conditions.isdisjoint(conditions):
                ctx.ruled("condition_contraindication", rule, name, refs, ctx.said(rule, facts))
            elif not rule.conditions.isdisjoint(facts.past):
                earlier = rule.in_past()  # a past, healed or long-past condition: the rule's level for it
                if earlier is not None:
                    ctx.ruled("condition_contraindication", earlier, name, refs, ctx.said_past(rule, facts))


def _third(also: Selector, entities: list[_Entity], i: int, j: int) -> bool:
    """Whether an entity other than the pair's two (``i``, ``j``) is selected by ``also``."""
    return any(also.hits(e.tokens) for k, e in enumerate(entities) if k not in (i, j))


def _other(rule: Rule) -> Selector:
    """The second side of an interaction rule (the knowledge base refuses one without it)."""
    assert rule.other is not None
    return rule.other


# A strength written in a current-medicine entry ("dapagliflozin 10 mg", "metformin 500mg").
_MED_STRENGTH = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s?(mg|mcg|micrograms?|g)\b")


def _refills(
    items: list[_Entity],
    meds: list[_Entity],
    prescriptions: Sequence[PrescriptionRef],
    has_prescription: PrescriptionPort | None,
    today: date,
) -> frozenset[tuple[int, int]]:
    """Round 28: the ordered items that are a repeat of a regular medicine of the profile, as (item index,
    medicine index): the item holds a valid prescription, the profile's entry names the same ingredients and
    no other strength ("collecting my Forxiga repeat" with "dapagliflozin 10 mg"; "salbutamol when needed").
    One medicine refilled is no second product with the same ingredient."""
    out: set[tuple[int, int]] = set()
    for i, item in enumerate(items):
        product = item.product
        if product is None or not item.ingredients:
            continue
        if not any(not m.is_item and m.ingredients == item.ingredients for m in meds):
            continue  # nothing to refill: the prescription port is not asked again
        if not (
            _has_prescription(product, item.ingredients, prescriptions, today)
            or (has_prescription is not None and has_prescription(product))
        ):
            continue
        strengths = {
            round(mg, 3)
            for g in product.ingredients
            if (mg := _to_mg(g.strength, g.unit or "mg")) is not None
        }
        for j, med in enumerate(meds):
            if med.is_item or med.ref.current_medication is None or med.ingredients != item.ingredients:
                continue
            said = [
                round(mg, 3)
                for v, u in _MED_STRENGTH.findall(normalise(med.ref.current_medication))
                if (mg := _to_mg(float(v), "mcg" if u.startswith("mic") else u)) is not None
            ]
            if all(v in strengths for v in said):
                out.add((i, j))
    return frozenset(out)


def _pair_checks(
    ctx: _Context,
    items: list[_Entity],
    meds: list[_Entity],
    facts: _Facts | None = None,
    refills: frozenset[tuple[int, int]] = frozenset(),
) -> None:
    kb, lang = ctx.kb, ctx.lang
    conditions = facts.all if facts is not None else frozenset()
    entities = [*items, *meds]
    pairs: list[tuple[int, int]] = []
    for i in range(len(items)):
        pairs.extend((i, j) for j in range(i + 1, len(entities)))
    # Each side of each interaction rule is matched once per entity, not once per pair: a pair's rules
    # are then those whose one side holds one entity and whose other side the other, in rule order.
    interactions = [
        rule
        for rule in ctx.rules["interactions"]
        # only while a condition holds (clozapine with signs of infection), not while one of its
        # exceptions does (calcium said to be taken hours apart from levothyroxine)
        if not (rule.conditions and rule.conditions.isdisjoint(conditions))
        and rule.unless_conditions.isdisjoint(conditions)
    ]
    one_side = [{n for n, rule in enumerate(interactions) if rule.selector.hits(e.tokens)} for e in entities]
    other_side = [{n for n, rule in enumerate(interactions) if _other(rule).hits(e.tokens)} for e in entities]
    duplication = ctx.rules["duplication"]
    ingredient_tokens = {n: kb.tokens_of([n]) for e in entities for n in e.ingredients}
    in_class = [
        [{n for n in e.ingredients if rule.selector.hits(ingredient_tokens[n])} for rule in duplication]
        for e in entities
    ]
    for i, j in pairs:
        a, b = entities[i], entities[j]
        same_product = a.product is not None and b.product is not None and a.product.id == b.product.id
        prefix = f"{a.label[lang]} + {b.label[lang]}"
        refs = [a.ref, b.ref]
        if not same_product:
            for n in sorted((one_side[i] & other_side[j]) | (one_side[j] & other_side[i])):
                rule = interactions[n]
                if rule.also is not None and not _third(rule.also, entities, i, j):
                    continue  # round 29: a third medicine must be there too
                said = ctx.said(rule, facts) if rule.conditions and facts is not None else None
                ctx.ruled("interaction", rule, prefix, refs, said)
            refill = j >= len(items) and (i, j - len(items)) in refills
            shared = frozenset() if refill else a.ingredients & b.ingredients
            for ingredient in sorted(shared):
                if _within_upper_intake(kb, ingredient, a, b):
                    continue  # Caltrate + vitamin D3 1000 IU: together well under the 4,000 IU limit
                limit = kb.max_daily_mg.get(ingredient)
                item, partner, shown = a.label[lang], b.label[lang], kb.display_ingredient(ingredient, lang)
                if limit is not None:
                    ctx.canned(
                        "duplicate_ingredient_max",
                        refs,
                        item=item,
                        other=partner,
                        ingredient=shown,
                        max=f"{limit[0]:g}",
                    )
                else:
                    ctx.canned("duplicate_ingredient", refs, item=item, other=partner, ingredient=shown)
            for k, rule in enumerate(duplication):
                in_a, in_b = in_class[i][k], in_class[j][k]
                class_only_b = not b.ingredients and rule.selector.hits(b.tokens)
                if in_a and (in_b - in_a or (class_only_b and not b.is_item)):
                    ctx.ruled("therapeutic_duplication", rule, prefix, refs)


def _many_checks(ctx: _Context, items: list[_Entity], meds: list[_Entity]) -> None:
    """An ingredient with a daily maximum in three or more products, one of them ordered (paracetamol in
    a painkiller and two cold remedies): taken through the day together they go over the maximum."""
    kb, lang = ctx.kb, ctx.lang
    for ingredient in sorted({n for e in items for n in e.ingredients if n in kb.max_daily_mg}):
        holders: dict[str, _Entity] = {}
        for e in (*items, *meds):
            if ingredient in e.ingredients:
                holders.setdefault(e.product.id if e.product is not None else e.label["en"], e)
        if len(holders) >= 3:
            ctx.canned(
                "duplicate_ingredient_many",
                [e.ref for e in holders.values()],
                ingredient=kb.display_ingredient(ingredient, lang),
                count=len(holders),
                item=", ".join(e.label[lang] for e in holders.values()),
                max=f"{kb.max_daily_mg[ingredient][0]:g}",
            )


_SAID = {"en": "you said", "zh": "您提到", "ko": "말씀하신 내용"}


def _above_condition_max(
    ctx: _Context, entity: _Entity, ingredient: str, dose: float, words: str, conditions: frozenset[str]
) -> None:
    """Round 20: an amount a day said in the text over the lower maximum a condition of the patient sets
    ("每天吃8片必理通" in cirrhosis: 4 g of paracetamol, over 2 g)."""
    cap = ctx.kb.condition_max_daily_mg.get(ingredient)
    if cap is None or dose <= cap[1]:
        return
    held = sorted(cap[0] & conditions)
    if not held:
        return
    lang = ctx.lang
    spec = ctx.kb.messages["stated_dose_above_condition_max"]
    text = (spec["message"].get(lang) or spec["message"]["en"]).format(
        item=entity.label[lang],
        term=words,
        dose=f"{dose:g}",
        ingredient=ctx.kb.display_ingredient(ingredient, lang),
        max=f"{cap[1]:g}",
        condition=ctx.kb.condition_names[held[0]].get(lang) or ctx.kb.condition_names[held[0]]["en"],
    )
    ctx.add("stated_dose_above_condition_max", Severity[spec["severity"]], text, [entity.ref], cap[2])


def _unit_mg(kb: KnowledgeBase, product: Product | None) -> dict[str, float]:
    """The mg of each ingredient in one unit of ``product`` (those whose strength is not a mass left out)."""
    return {
        kb.canonical(i.name): mg
        for i in (product.ingredients if product is not None else ())
        if (mg := _to_mg(i.strength, i.unit)) is not None
    }


def _order_regimen(kb: KnowledgeBase, items: list[_Entity], symptoms: str | None) -> Regimen | None:
    """The units a day the text states (``stated_regimen``), read with the English names of the ordered
    tablets (a brand, the ingredient: "2 Nurofen four times a day"); None without order lines or text."""
    if not items or not symptoms:
        return None
    tablet_names = [
        name
        for e in items
        if e.product is not None and kb.is_solid_form(e.product.dosage_form)
        for name in (
            *(b.name for b in e.product.brands if b.lang == "en"),
            *(e.product.name_en or "").split()[:1],
            *e.ingredients,
        )
    ]
    # After round 25: a misspelt name of an ordered tablet ("2 immodium every 2 hours") stands for the
    # unit too: the speller of medicine names reads the word, and only a name of what is ordered counts.
    ordered = {normalise(n) for n in tablet_names}
    misspelt = {
        word for word in set(re.findall(r"[a-z]+", normalise(symptoms))) if kb.speller.read(word) in ordered
    }
    return stated_regimen(symptoms, [*tablet_names, *sorted(misspelt)])


def _regimen_amounts(
    kb: KnowledgeBase, units: Mapping[str, float], regimen: Regimen
) -> list[tuple[str, float, float | None]]:
    """Per ingredient of a line (sorted): the mg a day ``regimen`` gives and the maximum a day
    (``max_daily_dose_mg``), None where the knowledge has none."""
    out: list[tuple[str, float, float | None]] = []
    for ingredient, mg in sorted(units.items()):
        limit = kb.max_daily_mg.get(ingredient)
        out.append((ingredient, regimen.units_a_day * mg, limit[0] if limit is not None else None))
    return out


def _count_over_max_not_poisoning(
    kb: KnowledgeBase,
    items: list[_Entity],
    patient: Patient,
    symptoms: str | None,
    regimen: Regimen | None,
    facts: PatientFacts,
) -> bool:
    """Leftovers of round 22: the overdose red flag fired on a count of units said as a regimen a day
    ("로페라미드를 하루에 열 알씩 먹고 있어요"), and that count is over the maximum a day of an ingredient
    for which too much a day is no poisoning (not ``staggered_overdose``: paracetamol stays an emergency).
    Then the regimen's finding over the maximum (stated_dose_above_max, block) says it, not an emergency.
    Only for an adult (16 or older, the amount checks' child limit), every order line known, the text
    naming ordered ingredients and no other, no words of units taken at once or just now, and the flag
    gone once the regimen's words are blanked (no other words of an overdose: "a whole box")."""
    if regimen is None or not symptoms or patient.age_years is None or patient.age_years < 16:
        return False
    if not items or any(e.product is None for e in items):
        return False
    ordered = frozenset().union(*(e.ingredients for e in items))
    named = _named_ingredients(kb, normalise(symptoms))
    if ordered & kb.staggered_overdose.keys() or not named or not named <= ordered:
        return False
    if not any(
        limit is not None and daily > limit
        for e in items
        for _, daily, limit in _regimen_amounts(kb, _unit_mg(kb, e.product), regimen)
    ):
        return False
    text = normalise(symptoms)
    # words of units swallowed at once, by stealth or just now (the overdose concept's unless_spares:
    # "한꺼번에", "at once", "一口气", "last night") make it an ingestion, not a regimen
    compact = text.replace(" ", "")
    spares = kb.concepts["overdose"].unless_spares
    if any(p.search(text if lang == "en" else compact) for lang, p in spares.items()):
        return False
    words = r"\s*".join(re.escape(c) for c in regimen.words if not c.isspace())
    blanked = re.sub(words, " , ", text)
    if blanked == text:
        return False
    return all(hit.code != "overdose_poisoning" for hit in detect_red_flags(kb, blanked, facts))


def _amount_checks(
    ctx: _Context,
    items: list[_Entity],
    patient: Patient,
    symptoms: str | None,
    today: date,
    conditions: frozenset[str] = frozenset(),
) -> None:
    """Amounts the order and the symptom text give (round 15): a tablet too strong for a child's stated
    weight, a stated regimen over the daily maximum, a prescription strength named in a query, and a
    medicine used for longer, or on more days a month, than its rule allows."""
    kb, lang = ctx.kb, ctx.lang
    child = patient.age_years is None or patient.age_years < 16
    kg = body_weight_kg(symptoms) if child and symptoms else None
    ml = stated_ml_a_dose(symptoms) if kg is not None else None
    ml_a_day = stated_ml_a_day(symptoms) if items and symptoms else None
    # A regimen is checked against every line holding a unit strength (which line it is about is not known;
    # reading it for one line only would let a second line lower the level).
    regimen = _order_regimen(kb, items, symptoms)
    amount = stated_mg_a_day(symptoms) if items and symptoms else None
    durations: dict[bool, list[tuple[float, str, str]]] = {}
    if regimen is not None and symptoms and len(items) >= 2:
        _summed_regimens(ctx, items, symptoms)
    for entity in items:
        name, refs, product = entity.label[lang], [entity.ref], entity.product
        units = _unit_mg(kb, product)
        if kg is not None and product is not None and kb.is_solid_form(product.dosage_form):
            for ingredient, mg in sorted(units.items()):
                per_kg = kb.child_dose_per_kg.get(ingredient)
                if per_kg is not None and mg / 2 > per_kg[0] * kg:
                    ctx.canned(
                        "dose_per_kg",
                        refs,
                        item=name,
                        ingredient=kb.display_ingredient(ingredient, lang),
                        dose=f"{mg / 2:g}",
                        max=f"{per_kg[0]:g}",
                        term=f"{kg:g} kg",
                        limit=f"{per_kg[0] * kg:g}",
                    )
        if kg is not None and ml is not None and product is not None:
            # A liquid measured in ml ("每次喂10毫升", "5ml씩", "two teaspoons") at its concentration.
            for i in product.ingredients:
                ingredient = kb.canonical(i.name)
                per_ml = _liquid_per_ml(kb, product, i.strength, i.unit)  # "120 mg/5 ml" said in the name
                per_kg = kb.child_dose_per_kg.get(ingredient)
                if per_kg is not None and per_ml is not None and ml[0] * per_ml > per_kg[0] * kg + 1e-6:
                    ctx.canned(
                        "liquid_dose_per_kg",
                        refs,
                        item=name,
                        ingredient=kb.display_ingredient(ingredient, lang),
                        term=ml[1],
                        dose=f"{ml[0] * per_ml:g}",
                        max=f"{per_kg[0]:g}",
                        weight=f"{kg:g} kg",
                        limit=f"{per_kg[0] * kg:g}",
                    )
        if ml_a_day is not None and product is not None:
            _liquid_a_day(ctx, entity, product, ml_a_day, kg)
        if regimen is not None:
            for ingredient, daily, limit in _regimen_amounts(kb, units, regimen):
                if limit is None or daily <= limit:
                    _above_condition_max(ctx, entity, ingredient, daily, regimen.words, conditions)
                else:
                    ctx.canned(
                        "stated_dose_above_max",
                        refs,
                        item=name,
                        ingredient=kb.display_ingredient(ingredient, lang),
                        term=regimen.words,
                        dose=f"{daily:g}",
                        max=f"{limit:g}",
                    )
        limited = sorted(n for n in entity.ingredients if n in kb.max_daily_mg)
        if (
            amount is not None
            and symptoms
            and len(limited) == 1
            and amount[0] <= kb.max_daily_mg[limited[0]][0]
            and _names_only(kb, normalise(symptoms), entity.ingredients)
        ):
            _above_condition_max(ctx, entity, limited[0], amount[0], amount[1], conditions)
        if (
            amount is not None
            and symptoms
            and len(limited) == 1
            and amount[0] > kb.max_daily_mg[limited[0]][0]
            and _names_only(kb, normalise(symptoms), entity.ingredients)
        ):
            # "7.8 g a day" said of a product with one ingredient that has a daily maximum: its amount.
            ctx.canned(
                "stated_dose_above_max",
                refs,
                item=name,
                ingredient=kb.display_ingredient(limited[0], lang),
                term=amount[1],
                dose=f"{amount[0]:g}",
                max=f"{kb.max_daily_mg[limited[0]][0]:g}",
            )
        named = named_strength_mg(entity.ref.query)
        if named is not None:
            for ingredient in sorted(entity.ingredients & kb.otc_max_unit_mg.keys()):
                otc = kb.otc_max_unit_mg[ingredient][0]
                if named > otc and abs(units.get(ingredient, 0.0) - named) > 0.5:
                    ctx.canned(
                        "strength_prescription_only",
                        refs,
                        item=name,
                        ingredient=kb.display_ingredient(ingredient, lang),
                        dose=f"{named:g}",
                        max=f"{otc:g}",
                    )
        if not symptoms:
            continue
        for rule in ctx.rules["durations"]:
            if not rule.selector.hits(entity.tokens):
                continue
            if rule.said is not None and not _says(rule.said, symptoms):
                continue  # a sleep aid's limit needs the text to speak of sleep
            said: tuple[float, str] | None
            if rule.days_a_month is not None:
                said = days_a_month(symptoms)
                fires = said is not None and said[0] >= rule.days_a_month
            else:
                if rule.of_use not in durations:
                    durations[rule.of_use] = durations_said(symptoms, of_use=rule.of_use, today=today)
                # a clause naming other medicines only is about them ("vitamin D for 2 months" beside the
                # omeprazole ordered); one naming none ("I've used it for 3 weeks") or one of this line's
                # ingredients or classes (Nexium beside omeprazole) is about this line
                said = max(
                    (
                        (days, words)
                        for days, words, clause in durations[rule.of_use]
                        if not (meds := _named_ingredients(kb, clause)) or kb.tokens_of(meds) & entity.tokens
                    ),
                    key=lambda d: d[0],
                    default=None,
                )
                fires = said is not None and rule.over_days is not None and said[0] > rule.over_days
            if fires and said is not None:
                ctx.ruled("long_use", rule, name, refs, _quoted(lang, _SAID, said[1]))


def _liquid_per_ml(
    kb: KnowledgeBase, product: Product, strength: float | None, unit: str | None
) -> float | None:
    """A liquid's mg per ml from its strength and unit, or from its name ("120 mg/5 ml") for a liquid of one
    ingredient given in mg (round 19)."""
    per_ml = mg_per_ml(strength, unit)
    if per_ml is None and len(product.ingredients) == 1 and not kb.is_solid_form(product.dosage_form):
        per_ml = named_mg_per_ml((product.name_en, product.name_zh, product.name_ko), strength, unit)
    return per_ml


def _liquid_a_day(
    ctx: _Context, entity: _Entity, product: Product, ml_a_day: tuple[float, str], kg: float | None
) -> None:
    """Leftovers of round 19: a liquid regimen in ml ("10ml씩 하루 4번", "一次10毫升 一天4次", "10 ml four
    times a day") at the product's concentration, summed over the day: over the child's daily most for the
    stated weight (mg/kg a dose x doses a day, ``child_dose_per_kg``), else over the adult maximum a day."""
    kb, lang = ctx.kb, ctx.lang
    for i in product.ingredients:
        ingredient, per_ml = kb.canonical(i.name), _liquid_per_ml(kb, product, i.strength, i.unit)
        if per_ml is None:
            continue
        daily = ml_a_day[0] * per_ml
        per_kg, doses = kb.child_dose_per_kg.get(ingredient), kb.child_doses_a_day.get(ingredient)
        adult = kb.max_daily_mg.get(ingredient)
        if kg is not None and per_kg is not None and doses:
            limit = per_kg[0] * doses * kg
            if adult is not None:
                limit = min(limit, adult[0])
            if daily > limit + 1e-6:
                ctx.canned(
                    "liquid_daily_dose_per_kg",
                    [entity.ref],
                    item=entity.label[lang],
                    ingredient=kb.display_ingredient(ingredient, lang),
                    term=ml_a_day[1],
                    dose=f"{daily:g}",
                    max=f"{per_kg[0] * doses:g}",
                    weight=f"{kg:g} kg",
                    limit=f"{limit:g}",
                )
        elif adult is not None and daily > adult[0] + 1e-6:
            ctx.canned(
                "stated_dose_above_max",
                [entity.ref],
                item=entity.label[lang],
                ingredient=kb.display_ingredient(ingredient, lang),
                term=ml_a_day[1],
                dose=f"{daily:g}",
                max=f"{adult[0]:g}",
            )


def _line_names(entity: _Entity) -> list[str]:
    """Words by which the text may name an order line: its query, the query's words without digits
    ("타이레놀 500" -> "타이레놀"), its brands."""
    names: list[str] = []
    if entity.ref.query:
        query = normalise(entity.ref.query)
        names.append(query)
        names.extend(w for w in query.split() if len(w) >= 2 and not any(c.isdigit() for c in w))
    if entity.product is not None:
        names.extend(normalise(b.name) for b in entity.product.brands if len(b.name) >= 2)
    return [n for n in dict.fromkeys(names) if n]


def _summed_regimens(ctx: _Context, items: list[_Entity], symptoms: str) -> None:
    """Regimens said of two or more order lines ("판콜에스 하루 세 병 ... 타이레놀도 두 알씩 하루 네 번"):
    the text from each line's name to the next line's name holds that line's regimen, and the daily
    amounts of one ingredient add up against its daily maximum."""
    kb, lang = ctx.kb, ctx.lang
    text = normalise(symptoms)
    marks = sorted(
        (m.start(), i)
        for i, e in enumerate(items)
        for name in _line_names(e)
        for m in re.finditer(re.escape(name), text)
    )
    said: dict[int, Regimen] = {}
    for k, (start, i) in enumerate(marks):
        end = next((p for p, j in marks[k + 1 :] if j != i), len(text))
        found = stated_regimen(text[start:end])
        if found is not None and (i not in said or found.units_a_day > said[i].units_a_day):
            said[i] = found
    if len(said) < 2:
        return
    for ingredient, limit in sorted(kb.max_daily_mg.items()):
        parts = []
        for i, regimen in sorted(said.items()):
            product = items[i].product
            for ing in product.ingredients if product is not None else ():
                mg = _to_mg(ing.strength, ing.unit)
                if mg is not None and kb.canonical(ing.name) == ingredient:
                    parts.append((items[i], regimen, regimen.units_a_day * mg))
        total = sum(p[2] for p in parts)
        if len(parts) >= 2 and total > limit[0] and all(p[2] <= limit[0] for p in parts):
            ctx.canned(
                "stated_dose_above_max",
                [p[0].ref for p in parts],
                item=" + ".join(p[0].label[lang] for p in parts),
                ingredient=kb.display_ingredient(ingredient, lang),
                term="; ".join(p[1].words for p in parts),
                dose=f"{total:g}",
                max=f"{limit[0]:g}",
            )


def _says(pattern: re.Pattern[str], symptoms: str) -> bool:
    text = normalise(symptoms)
    return pattern.search(text) is not None or pattern.search(text.replace(" ", "")) is not None


def _names_only(kb: KnowledgeBase, text: str, ingredients: frozenset[str]) -> bool:
    """The text names one of ``ingredients`` (a name or brand: "Tylenol", "对乙酰氨基酚", "타이레놀") and no
    other ingredient: an amount a day said there is about this line ("I take Tylenol, 7.8 g a day"), not
    about another medicine ("fish oil 2 g a day") or an unnamed one."""
    named = _named_ingredients(kb, text)
    return bool(named) and named <= ingredients


def _named_ingredients(kb: KnowledgeBase, text: str) -> set[str]:
    """The ingredients a text names by a name or brand ("Tylenol", "对乙酰氨基酚", "타이레놀", "fish oil")."""
    compact = text.replace(" ", "")
    found = re.findall(r"[a-z][a-z0-9-]*", text)
    # "fish oil" is the key "fishoil", "vitamin d3" the key "vitamind3"
    words = {*(w for w in found if len(w) >= 2), *(a + b for a, b in itertools.pairwise(found))}
    named = set()
    for key, name in kb.ingredient_alias.items():
        if len(key) < 2:
            continue
        if key in words or (not key.isascii() and key in compact):
            named.add(name)
    return named


def _pack_checks(ctx: _Context, items: list[_Entity]) -> None:
    """Packs of misuse-prone medicines in one order, summed over the lines that hold them."""
    for rule in ctx.rules["pack_limits"]:
        hit = [e for e in items if rule.selector.hits(e.tokens)]
        if rule.max_packs is not None and sum(e.quantity for e in hit) > rule.max_packs:
            names = " + ".join(e.label[ctx.lang] for e in hit)
            ctx.ruled("pack_limit", rule, names, [e.ref for e in hit])


def _sort_key(f: Finding) -> tuple[int, str, int]:
    first = f.items[0].index if f.items and f.items[0].index is not None else 10_000
    return (-Severity[f.severity].value, f.code, first)


def check(
    request: SafetyRequest | Mapping[str, object],
    *,
    resolve: ResolvePort,
    get: GetPort,
    lang: str | None = None,
    jurisdiction: str | None = None,
    has_prescription: PrescriptionPort | None = None,
    kb: KnowledgeBase | None = None,
    today: date | None = None,
) -> SafetyResult:
    """Check an order (or symptoms alone) for one patient and say allow, warn, block or emergency."""
    req = request if isinstance(request, SafetyRequest) else SafetyRequest.model_validate(request)
    base = kb or load_knowledge_base()
    place = _jurisdiction(jurisdiction)
    ctx = _Context(base, _lang(req, lang), place)
    patient = req.patient
    day = today or clock.now().date()
    for_her = patient.sex == "male"
    if patient.pregnancy_weeks is None:
        # Round 19: pregnancy said in the text in weeks or months, by a due date, a last period date with a
        # positive test, or a positive test ("怀孕32周", "预产期是明年1月20号", "마지막 생리가 9월 28일 ...
        # 테스트기 두 줄"), weeks counted to the check's date; the profile's own weeks are kept.
        # Leftovers of round 19: with a profile that says male only another woman's pregnancy the medicine is
        # for ("my wife is 20 weeks pregnant, can she take ibuprofen") is read.
        said_pregnancy = pregnancy_said(req.symptoms, day, hers_only=for_her)
        if said_pregnancy is not None:
            weeks = said_pregnancy[1] if pregnancy_weeks(patient) is None else None
            update: dict[str, object] = {"pregnant": True, "pregnancy_weeks": weeks}
            if for_her:
                # The medicine is for the pregnant woman the text speaks of: a profile that says male is the
                # one asking, not her.
                update["sex"] = "female"
            patient = patient.model_copy(update=update)
    conditions, past, entry_context = _conditions(ctx, patient, day)
    pregnant = bool(patient.pregnant) or patient.pregnancy_weeks is not None or "pregnancy" in conditions
    breastfeeding = bool(patient.breastfeeding) or "breastfeeding" in conditions
    if req.ignored_fields:
        ctx.canned("ignored_fields", term=", ".join(req.ignored_fields))
    if pregnant and patient.sex == "male":
        ctx.canned("profile_inconsistent", term="male + pregnant")
    if patient.pregnancy_weeks is not None and patient.pregnant is False:
        ctx.canned("profile_inconsistent", term="pregnant: false + pregnancy_weeks")

    packs = max((i.quantity for i in req.items), default=0)
    facts = PatientFacts(patient.age_years, pregnant, conditions, packs)
    number = base.emergency_numbers.get(place, base.emergency_numbers["generic"])
    known_place = place in base.emergency_numbers and place != "generic"
    messages = base.emergency_message if known_place else base.emergency_message_generic
    template = messages.get(ctx.lang) or messages["en"]
    symptoms = prepare_symptoms(base, req.symptoms)
    hits = detect_red_flags(base, symptoms, facts)
    items = _resolve_items(ctx, req.items, resolve, get)
    for hit in hits:
        if hit.code == "overdose_poisoning" and _count_over_max_not_poisoning(
            base, items, patient, req.symptoms, _order_regimen(base, items, req.symptoms), facts
        ):
            continue  # a regimen a day over a maximum, not a poisoning (stated_dose_above_max)
        flag = next(f for f in base.flags if f.code == hit.code)
        reason = flag.reason.get(ctx.lang) or flag.reason["en"]
        ctx.add(
            f"red_flag.{hit.code}",
            Severity.emergency,
            template.format(reason=reason, number=number),
            (),
            flag.source,
        )

    meds = _resolve_medications(ctx, patient, resolve)
    # Facts said only in the symptom text ("going out drinking tonight", "flu") join the profile's
    # conditions for this check (context.yaml); findings they cause say so.
    context = {**entry_context, **read_context(base, symptoms)} if items else {}
    # Round 23: an allergy said in the text joins the profile's allergies, with the words as its note.
    said_allergies = [
        f"{base.context[code].allergy} ({words})"
        for code, words in context.items()
        if base.context[code].allergy
    ]
    if said_allergies:
        patient = patient.model_copy(update={"allergies": [*patient.allergies, *said_allergies]})
    allergies = _allergy_tokens(ctx, patient, resolve)
    # Round 23: a lasting condition said in the text counts as the profile's condition it names (counts_as).
    via = {cond: code for code in sorted(context) for cond in sorted(base.context[code].counts_as)}
    context.update({cond: context[code] for cond, code in via.items() if cond not in context})
    _said_long_past(base, req.symptoms, conditions, context, past, via, day.year)
    said = _Facts(conditions, context, past, via)
    # Round 21: breastfeeding said in the text ("feeding her myself", "还在喂奶", "모유 수유 중") counts
    # as the profile's would, for a patient not said to be male.
    breastfeeding = breastfeeding or ("breastfeeding_said" in said.context and patient.sex != "male")
    held = frozenset(name for e in (*items, *meds) for name in e.ingredients)
    meds.extend(_said_medicines(ctx, said.context, held))
    meds.extend(_condition_foods(ctx, patient))
    everything = [e.tokens for e in (*items, *meds)]
    for entity in items:
        _item_checks(
            ctx,
            entity,
            patient,
            pregnant,
            breastfeeding,
            said,
            allergies,
            req.prescriptions,
            has_prescription,
            day,
            everything,
        )
    refills = _refills(items, meds, req.prescriptions, has_prescription, day)
    _pair_checks(ctx, items, meds, said, refills)
    _many_checks(ctx, items, [m for k, m in enumerate(meds) if k not in {j for _, j in refills}])
    _amount_checks(ctx, items, patient, req.symptoms, day, said.all)
    _pack_checks(ctx, items)

    findings = sorted(ctx.findings, key=_sort_key)
    top = max((Severity[f.severity] for f in findings), default=Severity.info)
    level: Level = top.level
    return SafetyResult(level=level, findings=findings, kb_version=base.version)


_SENTENCE_END = re.compile(r"(?<=[.!?;。！？；])\s*|\n")


def _said_long_past(
    kb: KnowledgeBase,
    symptoms: str | None,
    profile: frozenset[str],
    context: dict[str, str],
    past: dict[str, str],
    via: dict[str, str],
    year: int,
) -> None:
    """Round 27: a lasting condition the text says only as long past ("5년 전에 심장마비 와서 스텐트 넣었어요
    요즘은 괜찮아요", "I had a heart attack six years ago, fine since") counts as past history, as the same
    words in a profile entry would (conditions.yaml, ``past_history``): the sentence that says it names it
    as past (a year marker years back or a resolution word, and no word that keeps it current: "2주 전",
    "last month", "again"). Only for conditions that can be over (``past_history.conditions``) and not named
    by the profile as current. ``context``, ``past`` and ``via`` are updated in place."""
    if not symptoms:
        return
    sentences = [s for s in _SENTENCE_END.split(normalise(symptoms)) if s and s.strip()]
    for cond, code in sorted(via.items()):
        if cond in profile or context.get(cond) != context.get(code):
            continue
        words = context[code].replace(" ", "")
        said = [s for s in sentences if words and words in s.replace(" ", "")]
        if said and all(kb.names_past(s, frozenset({cond}), year) for s in said):
            past.setdefault(cond, said[0].strip())
            del context[cond]
            del via[cond]


def _no_resolve(_: str) -> Product | None:
    return None


def check_profile_items(
    profile: Patient | Mapping[str, object],
    products: Sequence[Product],
    quantities: Sequence[int] | None = None,
    *,
    lang: str | None = None,
    jurisdiction: str | None = None,
    prescriptions: Sequence[PrescriptionRef | dict[str, object]] = (),
    has_prescription: PrescriptionPort | None = None,
    symptoms: str | None = None,
) -> SafetyResult:
    """Check products already loaded (a cart at checkout) for one profile, without catalog look-ups."""
    by_id = {p.id: p for p in products}
    counts = list(quantities) if quantities is not None else [1] * len(products)
    if len(counts) != len(products):
        raise ValueError("quantities must match products one to one")
    request = SafetyRequest(
        patient=profile if isinstance(profile, Patient) else Patient.model_validate(profile),
        items=[Item(medicine_id=p.id, quantity=q) for p, q in zip(products, counts, strict=True)],
        symptoms=symptoms,
        prescriptions=[
            p if isinstance(p, PrescriptionRef) else PrescriptionRef.model_validate(p) for p in prescriptions
        ],
    )
    return check(
        request,
        resolve=_no_resolve,
        get=by_id.get,
        lang=lang,
        jurisdiction=jurisdiction,
        has_prescription=has_prescription,
    )


def mark_products(
    profile: Patient | dict[str, object],
    products: Sequence[Product],
    *,
    lang: str | None = None,
    jurisdiction: str | None = None,
    prescriptions: Sequence[PrescriptionRef | dict[str, object]] = (),
) -> dict[str, SafetyResult]:
    """Each product checked alone for a profile: what search results show next to every hit, at
    the levels of ``jurisdiction`` (default ``MEDRUSH_JURISDICTION``) like the checkout."""
    patient = profile if isinstance(profile, Patient) else Patient.model_validate(profile)
    place = _jurisdiction(jurisdiction)
    return {
        p.id: check_profile_items(patient, [p], lang=lang, jurisdiction=place, prescriptions=prescriptions)
        for p in products
    }

"""The curated knowledge base: YAML files under ``data/safety/`` compiled into lookup tables once.

``ingredients.yaml`` (names and classes), ``conditions.yaml`` (terms and ICD-10 codes),
``rules.yaml`` (age, pregnancy, breastfeeding, allergy, condition, interaction and duplication rules,
maximum daily doses), ``red_flags.yaml`` (symptom triage) and ``messages.yaml`` (the engine's own
finding texts). ``docs/safety.md`` describes the format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from medrush.kernel.paths import data_dir
from medrush.safety.numbers import count_at_least
from medrush.safety.schemas import Severity
from medrush.safety.text import NameSpeller, TypoCorrector, normalise, term_key
from medrush.settings import JURISDICTIONS

__all__ = [
    "Combination",
    "Concept",
    "ContextConcept",
    "Flag",
    "KnowledgeBase",
    "LocalLevel",
    "PastLevel",
    "Rule",
    "Selector",
    "TermMatch",
    "kb_dir",
    "load_knowledge_base",
    "rules_catalog",
]

_ICD10 = re.compile(r"^[a-z]\d{2}(\.?[0-9a-z]{1,4})?$")
_DOSE_NOISE = re.compile(
    r"\d+(\.\d+)?\s*(mg|g|mcg|µg|ug|ml|iu|%|毫克|克|片|粒|mg/ml)?|tablets?|tabs?|capsules?|caps?|daily|"
    r"once|twice|a day|per day|bid|tid|qd|片剂|胶囊|每日|每天|정|캡슐|매일|하루"
)

# "Allergic to" / "allergy" words around an allergen in a profile entry (matched on the spaceless key).
_ALLERGY_WORDS = re.compile(
    r"^(?:allergicto|allergyto|对)|(?:allergy|allergies|allergic|过敏史|过敏症|过敏|알레르기|알러지)$"
)


def kb_dir() -> Path:
    """The folder holding the knowledge-base files."""
    return data_dir() / "safety"


@dataclass(frozen=True, slots=True)
class Selector:
    """Which ingredients a rule is about: by name, by class, or both (tokens ``name`` / ``class:x``)."""

    tokens: frozenset[str]
    # Routes of administration (``routes`` of ingredients.yaml) the selector keeps (``routes``) or
    # leaves out (``not_routes``), as ``route:x`` tokens. An entity whose route is not known (a
    # current medicine named by ingredient, a query the catalog lacks) is selected either way.
    routes: frozenset[str] = frozenset()
    not_routes: frozenset[str] = frozenset()
    # Only a unit strength above this many mg of a selected ingredient (``above_mg``: simvastatin above
    # 20 mg with amiodarone), read from ``mg:<ingredient>:<value>`` tokens of a catalog product. An entity
    # whose strength is not known (a current medicine named in words) is selected either way.
    above_mg: float | None = None
    # Dosage forms the selector needs (``forms``, round 21: ``form:sodium``, an effervescent or soluble
    # tablet, ``sodium_forms`` of ingredients.yaml); a selector of forms alone selects any such product.
    forms: frozenset[str] = frozenset()

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> Selector:
        """Build from a mapping with optional ``ingredients``, ``classes``, ``routes``, ``not_routes``
        and ``above_mg``."""
        names = {str(n).lower() for n in raw.get("ingredients") or []}
        classes = {f"class:{c}" for c in raw.get("classes") or []}
        above = raw.get("above_mg")
        if above is not None and (not names or classes):
            raise ValueError("above_mg needs ingredients and no classes (strengths are per ingredient)")
        return cls(
            frozenset(names | classes),
            frozenset(f"route:{r}" for r in raw.get("routes") or []),
            frozenset(f"route:{r}" for r in raw.get("not_routes") or []),
            float(above) if above is not None else None,
            frozenset(f"form:{f}" for f in raw.get("forms") or []),
        )

    def hits(self, tokens: frozenset[str]) -> bool:
        """True when an entity with these tokens is selected (its route, when known, is kept, and its
        strength, when known, is above ``above_mg``)."""
        if self.forms and self.forms.isdisjoint(tokens):
            return False
        if (self.tokens or not self.forms) and self.tokens.isdisjoint(tokens):
            return False
        if self.above_mg is not None and not self._above(tokens):
            return False
        if not self.routes and not self.not_routes:
            return True
        route = {t for t in tokens if t.startswith("route:")}
        if not route:
            return True
        return (not self.routes or not self.routes.isdisjoint(route)) and self.not_routes.isdisjoint(route)

    def _above(self, tokens: frozenset[str]) -> bool:
        strengths = [
            float(value)
            for t in tokens
            if t.startswith("mg:")
            for name, value in [t[3:].rsplit(":", 1)]
            if name in self.tokens
        ]
        return not strengths or any(v > (self.above_mg or 0.0) for v in strengths)


@dataclass(frozen=True, slots=True)
class LocalLevel:
    """A rule's level in one jurisdiction where its regulator differs from the generic source
    (``jurisdictions: {kr: {severity: block, source: ...}}`` under a rule of rules.yaml)."""

    severity: Severity  # the generic level when the jurisdiction only changes the age
    source: str
    message: dict[str, str] | None = None  # None: the rule's own message
    # Age rules only: the level applies to a product whose catalog label covers the patient's age;
    # any other product keeps the generic level.
    labelled_for_age: bool = False
    # The jurisdiction's own age limit (None: the rule's): ``below_years`` of an age rule,
    # ``from_years`` of an older-adults rule.
    below_years: float | None = None
    from_years: float | None = None


@dataclass(frozen=True, slots=True)
class PastLevel:
    """A condition rule's level for past history (``past:`` under a rule of rules.yaml): ``severity``
    None when the label names only active or recent disease, so a healed or long-past one is no reason."""

    severity: Severity | None
    source: str
    message: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One medicine rule of rules.yaml."""

    id: str
    kind: str
    severity: Severity
    message: dict[str, str]
    source: str
    selector: Selector
    other: Selector | None = None
    below_years: float | None = None
    from_years: float | None = None
    from_week: int | None = None
    to_week: int | None = None
    conditions: frozenset[str] = frozenset()
    # Interactions (round 22): the rule does not fire while one of these holds (said in the text: the two
    # medicines taken hours apart, ``doses_apart`` of context.yaml).
    unless_conditions: frozenset[str] = frozenset()
    allergic_to: frozenset[str] = frozenset()
    # Age rules about adult products: not for a product whose catalog label covers the patient's age.
    spares_labelled_for_age: bool = False
    # Pack limits: the most packs of the selected ingredients one order may hold without a warning.
    max_packs: int | None = None
    # Duration rules (round 15): the rule fires when the symptom text says the medicine has been used for
    # more than ``over_days`` (only a duration said with a word of use when ``of_use``), or on
    # ``days_a_month`` days a month or more.
    over_days: float | None = None
    days_a_month: float | None = None
    of_use: bool = True
    # Duration rules (round 16): words the symptom text must also hold for the rule to apply (a sleep aid:
    # "sleep", "睡", "잠"), searched in the normalised text and in it without spaces; None: always.
    said: re.Pattern[str] | None = None
    # Levels of other jurisdictions (code -> level); ``jurisdiction`` names the one a rule returned
    # by ``at`` follows (None: the generic rule).
    local: Mapping[str, LocalLevel] = field(default_factory=dict)
    jurisdiction: str | None = None
    # A rule of some jurisdictions only (``only_in: [kr]``): none elsewhere, generic included.
    only_in: frozenset[str] = frozenset()
    # Condition rules: the rule does not fire when the item, another line of the order or a current
    # medicine is selected by ``without`` (a LABA for asthma without an inhaled corticosteroid).
    without: Selector | None = None
    # Condition rules: how the rule meets a condition the profile names only as past history ("stomach
    # ulcer in 2010, healed"); None: as a current one. A ``PastLevel`` without severity: not at all.
    past: PastLevel | None = None
    # Condition rules (round 26): the rule fires only while one of these holds too (``also_condition``: a
    # steroid inhaler said not to be used, and asthma).
    also_conditions: frozenset[str] = frozenset()
    # Interactions (round 29): the rule fires only when a third line of the order or a current medicine, not
    # either of the pair, is selected by ``also`` too (potassium with spironolactone and an ACE inhibitor).
    also: Selector | None = None

    def in_past(self) -> Rule | None:
        """The rule as it applies to a condition of past history only; None when it does not apply."""
        if self.past is None:
            return self
        if self.past.severity is None:
            return None
        return replace(
            self,
            severity=self.past.severity,
            message=self.past.message or self.message,
            source=self.past.source,
            past=None,
        )

    def applies_in(self, jurisdiction: str) -> bool:
        """The rule exists in ``jurisdiction`` (every rule without ``only_in`` does)."""
        return not self.only_in or jurisdiction in self.only_in

    def at(self, jurisdiction: str, *, labelled_for_age: bool = False) -> Rule:
        """The rule as it applies in ``jurisdiction``: that jurisdiction's level, age limit, message
        and source when it has one (an age level for labelled products only when ``labelled_for_age``),
        a rule of that jurisdiction only marked as its own, else this rule unchanged."""
        local = self.local.get(jurisdiction)
        if local is None or (local.labelled_for_age and not labelled_for_age):
            if self.only_in and jurisdiction in self.only_in and self.jurisdiction != jurisdiction:
                return replace(self, jurisdiction=jurisdiction)
            return self
        return replace(
            self,
            severity=local.severity,
            message=local.message or self.message,
            source=local.source,
            below_years=self.below_years if local.below_years is None else local.below_years,
            from_years=self.from_years if local.from_years is None else local.from_years,
            local={},
            jurisdiction=jurisdiction,
        )


@dataclass(frozen=True, slots=True)
class UpperIntake:
    """A tolerable upper intake of a vitamin or mineral per day, with unit conversions to its unit."""

    amount: float
    unit: str
    per: dict[str, float]
    source: str


@dataclass(frozen=True, slots=True)
class Concept:
    """A symptom concept: compiled patterns for English (spaced text) and CJK (compact text)."""

    name: str
    en: re.Pattern[str] | None
    zh: re.Pattern[str] | None
    ko: re.Pattern[str] | None
    near: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str] | None]] = field(
        default_factory=dict
    )
    # Per language: words that veto a direct match a few words away in its clause ("can't breathe
    # through my nose"), and patterns of the concept a veto never silences (blue lips, gasping).
    unless: dict[str, re.Pattern[str]] = field(default_factory=dict)
    unless_spares: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # Round 20: the veto words count anywhere in the text, not only near the match ("just finished my box of
    # tablets, want a refill": the refill is in another clause).
    unless_anywhere: bool = False
    # After round 25: a whole text that says the concept is not meant (a course finished with recovery and no
    # word of an amount at once): each pattern is searched on the whole text of its language, from its start.
    unless_text: dict[str, re.Pattern[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ContextConcept:
    """A fact the symptom text can state that the medicine checks use (``context.yaml``): while the
    text says it, its ``condition`` counts as one of the patient's conditions for this check only."""

    condition: str
    concept: Concept
    name: dict[str, str]
    said: dict[str, str]  # "you mentioned drinking alcohol": why a finding fired, in en / zh / ko
    source: str
    # A food or drink the text says is taken regularly ("grapefruit juice every morning"): the canonical
    # ingredient joins the current medicines for this check, so the interaction rules that name it apply.
    medicine: str | None = None
    # Round 23: a lasting condition said in everyday words ("my liver has hardened", "血友病",
    # "심근경색으로 스텐트"): while said, these profile conditions (conditions.yaml) count too, so the rules
    # naming them fire; a lasting condition said with a past marker ("去年心梗") still holds (``lasting``).
    counts_as: frozenset[str] = frozenset()
    lasting: bool = False
    # Round 27: a profile condition entry conditions.yaml does not know but this concept reads ("chickenpox,
    # spots since Tuesday", "水痘", "수두") is this concept, as if the text had said it (``profile_entry``).
    profile_entry: bool = False
    # Round 23: an allergy said in the text ("打完青霉素浑身起大疙瘩"): this entry joins the
    # profile's allergies.
    allergy: str | None = None
    # Round 24: regular medicines said in the text ("I'm on Priadel 800 mg at night", "每天早上吃半片地高辛",
    # "테그레톨 하루 두 번 먹고 있어요"): the patterns name them through ``{names}`` (every name of these
    # ingredients in ingredients.yaml); the ones the words said name join the current medicines for this
    # check, so the interaction rules that name them apply. Each is (ingredient, a pattern of its names).
    medicines: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # Words anywhere in the text that mean the concept is not what it looks like (round 15: weight lost
    # "on a diet", in another clause): English on the spaced text, Chinese and Korean on the compact one.
    unless_said_en: re.Pattern[str] | None = None
    unless_said_cjk: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    """A red flag: fires when all concepts of any one ``when`` set are present."""

    code: str
    when: tuple[tuple[str, ...], ...]
    reason: dict[str, str]
    source: str


@dataclass(frozen=True, slots=True)
class TermMatch:
    """What a patient's term was recognised as."""

    # "ingredient", "class", "combination", "condition", "not_relevant", "non_medicine", "none", "unknown"
    kind: str
    value: str = ""
    tokens: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()  # a combination's canonical ingredients


@dataclass(frozen=True, slots=True)
class Combination:
    """A combination product known by brand (NyQuil, 白加黑, 게보린): all its active ingredients."""

    code: str
    ingredients: frozenset[str]
    source: str


@dataclass(eq=False)
class KnowledgeBase:
    """Every table the engine needs, built once from the YAML files."""

    version: str
    ingredient_classes: dict[str, frozenset[str]]
    ingredient_alias: dict[str, str]
    class_alias: dict[str, str]
    class_names: dict[str, dict[str, str]]
    ingredient_display: dict[str, dict[str, str]]
    condition_alias: dict[str, str]
    condition_icd: list[tuple[str, str]]
    condition_names: dict[str, dict[str, str]]
    rules: dict[str, list[Rule]]
    max_daily_mg: dict[str, tuple[float, str]]
    always_rx: frozenset[str]
    concepts: dict[str, Concept]
    flags: list[Flag]
    emergency_numbers: dict[str, str]
    emergency_message: dict[str, str]
    emergency_message_generic: dict[str, str]  # no {number}: where the place is not known
    messages: dict[str, dict[str, Any]]
    non_medicine: frozenset[str]
    none_terms: frozenset[str]
    typo: TypoCorrector
    # Per language: phrases blanked before triage (idioms that only look like symptoms, "热得喘不过气")
    # and markers of past history that make a nearby match not a current complaint ("5 years ago").
    idioms: dict[str, re.Pattern[str]] = field(default_factory=dict)
    history: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # Round 22: markers of a symptom said as what a kept medicine is for ("for when the chest tightens",
    # "숨이 찰 때를 대비해서"): English before the match, Chinese and Korean after it.
    hypothetical: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # Leftovers of round 23: an event told as treated or fatal ("心梗放了支架", "died of a stroke"): per
    # language, the event names, words right after the match, words right before it, and words of now
    # before it that keep the match.
    past_event_names: dict[str, re.Pattern[str]] = field(default_factory=dict)
    past_event_after: dict[str, re.Pattern[str]] = field(default_factory=dict)
    past_event_before: dict[str, re.Pattern[str]] = field(default_factory=dict)
    past_event_unless: dict[str, re.Pattern[str]] = field(default_factory=dict)
    combinations: dict[str, Combination] = field(default_factory=dict)
    # Words of an immediate allergic reaction written in an allergy entry ("penicillin - anaphylaxis"):
    # the entry's classes are then also ``immediate:class:x`` for cross-reactivity rules with
    # ``reaction: immediate`` (``immediate_reactions`` in messages.yaml).
    immediate_reaction: re.Pattern[str] = field(default_factory=lambda: re.compile("(?!)"))
    # Transient conditions read from the symptom text ("going out drinking tonight", "flu"), by code.
    context: dict[str, ContextConcept] = field(default_factory=dict)
    # Vitamins and minerals with a tolerable upper intake; supplements recommended in pregnancy
    # (ingredients, words of prenatal product names, source).
    upper_intake: dict[str, UpperIntake] = field(default_factory=dict)
    pregnancy_recommended: frozenset[str] = frozenset()
    prenatal_names: tuple[str, ...] = ()
    pregnancy_recommended_source: str = ""
    # Ingredients prescribed at a low dose in pregnancy on purpose (aspirin for pre-eclampsia): the
    # highest strength per unit in mg, and the source.
    prescribed_in_pregnancy: dict[str, tuple[float, str]] = field(default_factory=dict)
    # Round 15: a child's largest single dose per kg (ingredient -> (mg/kg, source)), the words of solid
    # dosage forms it is checked on, and the largest unit strength sold without a prescription.
    child_dose_per_kg: dict[str, tuple[float, str]] = field(default_factory=dict)
    # Leftovers of round 19: the most doses a day at that dose (ingredient -> count).
    child_doses_a_day: dict[str, int] = field(default_factory=dict)
    solid_forms: tuple[str, ...] = ()
    otc_max_unit_mg: dict[str, tuple[float, str]] = field(default_factory=dict)
    # Round 20: a lower daily maximum with some conditions (paracetamol in liver disease), checked against the
    # amount a day the text states: ingredient -> (conditions, mg a day, source).
    condition_max_daily_mg: dict[str, tuple[frozenset[str], float, str]] = field(default_factory=dict)
    # Leftovers of round 22: ingredients whose amount a day over ``max_daily_mg``, taken over days, is
    # itself a poisoning (a staggered overdose: paracetamol), ingredient -> source.
    staggered_overdose: dict[str, str] = field(default_factory=dict)
    combination_alias: dict[str, str] = field(default_factory=dict)
    # Conditions a more specific one implies (severe kidney disease is kidney disease): every rule of
    # the broader condition applies to the narrower one too.
    condition_implies: dict[str, frozenset[str]] = field(default_factory=dict)
    # Ingredients of non-prescription catalog products reviewed and left without rules (name -> reason,
    # ``reviewed_no_rules`` of ingredients.yaml): known to the coverage check, not to the medicine checks.
    reviewed_no_rules: dict[str, str] = field(default_factory=dict)
    # Ingredients checked only when taken into the body (ethanol of a tincture, not of a skin
    # disinfectant), and the words of dosage forms for external use.
    systemic_only: frozenset[str] = frozenset()
    _external_form_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    # Routes of administration by the words of a dosage form (``routes`` of ingredients.yaml), in the
    # order they are tried: the first route with a word in the form is the product's route.
    _route_scans: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # Round 21: dosage forms that carry sodium (effervescent, soluble; ``sodium_forms`` of ingredients.yaml).
    _sodium_scan: re.Pattern[str] = re.compile("(?!)")
    # Profile entries that name nothing a medicine check depends on ("contact lenses", "appendix out in
    # 2012"): whole-entry keys, and minor past procedures with a year marker and no organ word.
    not_relevant: frozenset[str] = frozenset()
    # Measured values as entries ("eGFR 25"): a scan whose ``value`` group is the number, and the
    # (upper bound, condition) bands in increasing order.
    measures: tuple[tuple[re.Pattern[str], tuple[tuple[float, str], ...]], ...] = ()
    # Past history in a profile entry (``past_history`` of conditions.yaml): the conditions an entry may
    # name as over, its long-past markers (a calendar year is checked against today), resolution
    # words, words that keep it current, whole entries that only say how the one before stands, and
    # the "past history" words findings quote it with.
    past_conditions: frozenset[str] = frozenset()
    past_said: dict[str, str] = field(default_factory=dict)
    status_notes: frozenset[str] = frozenset()
    _long_past_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _resolved_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _still_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _past_procedure_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _past_marker_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _organ_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _travel_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _combination_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _alias_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _condition_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _short_alias_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    _short_condition_scan: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))
    # Misspelt medicine names in a current medicine or an allergy ("warfrin"): the speller over the
    # single-word ingredient, brand and combination names, and the "read as" words per language
    # (``misspellings`` of messages.yaml).
    speller: NameSpeller = field(repr=False, default_factory=lambda: NameSpeller({}, ()))
    read_as: dict[str, str] = field(default_factory=lambda: {"en": "“{word}” read as {name}"})

    @lru_cache(maxsize=8)  # noqa: B019 - the knowledge base lives for the whole process
    def rules_in(self, jurisdiction: str) -> dict[str, list[Rule]]:
        """The rules by kind as they apply in ``jurisdiction`` (``Rule.at``), without the rules of
        other jurisdictions only; an age level for labelled products only is left to the check, which
        knows the product and the age."""
        return {
            kind: [rule.at(jurisdiction) for rule in items if rule.applies_in(jurisdiction)]
            for kind, items in self.rules.items()
        }

    def canonical(self, name: str) -> str:
        """The canonical INN for an ingredient name or synonym (unknown names pass through lower-cased)."""
        key = term_key(name)
        return self.ingredient_alias.get(key, name.strip().lower())

    def is_solid_form(self, dosage_form: str | None) -> bool:
        """A tablet or capsule (``solid_forms`` of rules.yaml): a unit that cannot be measured down."""
        form = (dosage_form or "").lower()
        return any(word in form for word in self.solid_forms)

    def is_external_form(self, dosage_form: str | None) -> bool:
        """A dosage form for external use (cream, cutaneous solution, wipes, eye drops...)."""
        return bool(dosage_form) and self._external_form_scan.search(normalise(str(dosage_form))) is not None

    @lru_cache(maxsize=512)  # noqa: B019 - the knowledge base lives for the whole process
    def route_of(self, dosage_form: str | None) -> str | None:
        """The route of administration a dosage form names ("cream": cutaneous, "nasal spray": nasal,
        "film-coated tablets": oral); None when no route word is in it (a device, "aerosol")."""
        if not dosage_form:
            return None
        text = normalise(str(dosage_form))
        return next((route for route, scan in self._route_scans if scan.search(text)), None)

    def is_sodium_form(self, dosage_form: str | None) -> bool:
        """A dosage form that carries sodium (an effervescent or soluble tablet)."""
        return bool(dosage_form) and bool(self._sodium_scan.search(normalise(str(dosage_form))))

    def tokens_of(self, ingredients: Iterable[str]) -> frozenset[str]:
        """Selector tokens of a set of canonical ingredients: the names and ``class:`` of each class."""
        out: set[str] = set()
        for name in ingredients:
            out.add(name)
            out.update(f"class:{c}" for c in self.ingredient_classes.get(name, ()))
        return frozenset(out)

    def covers(self, name: str) -> bool:
        """A catalog ingredient name is known (an ingredient with its classes and rules) or was reviewed
        and listed as needing no rule (``reviewed_no_rules``)."""
        canonical = self.canonical(name)
        return canonical in self.ingredient_classes or canonical in self.reviewed_no_rules

    def classes_of(self, name: str) -> frozenset[str]:
        """The classes of a canonical ingredient."""
        return self.ingredient_classes.get(name, frozenset())

    def display_ingredient(self, name: str, lang: str) -> str:
        """An ingredient's name in ``lang`` (its first listed name), else the INN."""
        return self.ingredient_display.get(name, {}).get(lang, name)

    def display_class(self, name: str, lang: str) -> str:
        """A class's display name in ``lang``."""
        return self.class_names.get(name, {}).get(lang, name)

    @lru_cache(maxsize=4096)  # noqa: B019 - the knowledge base lives for the whole process
    def medicine_term(self, term: str) -> TermMatch:
        """Recognise a medicine or allergy term: an ingredient, a class, a non-medicine allergen or none."""
        key = term_key(term)
        if not key or key in self.none_terms or is_negated_entry(term):
            return TermMatch("none")
        if key in self.ingredient_alias:
            name = self.ingredient_alias[key]
            return TermMatch("ingredient", name, self.tokens_of([name]))
        if key in self.class_alias:
            cls = self.class_alias[key]
            return TermMatch("class", cls, frozenset({f"class:{cls}"}))
        if key in self.non_medicine:
            return TermMatch("non_medicine", key)
        # A combination brand inside the words wins over the single-ingredient brand it starts with:
        # "Tylenol PM" is paracetamol + diphenhydramine, not the "tylenol" alias of paracetamol.
        combo = self._combination_scan.search(key)
        if combo:
            return self.combination_term(self.combination_alias[combo.group(0)])
        stripped = _DOSE_NOISE.sub("", key)
        if stripped and stripped != key:
            again = self.medicine_term(stripped)
            if again.kind != "unknown":
                return again
        found = self._alias_scan.search(key) or self._short_alias_scan.search(normalise(term))
        if found:
            hit = found.group(0)
            if hit in self.ingredient_alias:
                name = self.ingredient_alias[hit]
                return TermMatch("ingredient", name, self.tokens_of([name]))
            cls = self.class_alias[hit]
            return TermMatch("class", cls, frozenset({f"class:{cls}"}))
        bare = _ALLERGY_WORDS.sub("", key)  # "海鲜过敏", "shellfish allergy", "새우 알레르기"
        if bare and bare != key and bare in self.non_medicine:
            return TermMatch("non_medicine", bare)
        return TermMatch("unknown", key)

    @lru_cache(maxsize=1024)  # noqa: B019 - the knowledge base lives for the whole process
    def misspelt_medicine(self, term: str) -> tuple[TermMatch, tuple[tuple[str, str], ...]] | None:
        """A medicine term no known name recognises, read again with each misspelt Latin-script word as
        the one known name it is close to ("warfrin 5mg daily": warfarin); the match and the (word, name)
        pairs read, or None when no word is read or the words read still name no medicine."""
        reads: list[tuple[str, str]] = []

        def swap(found: re.Match[str]) -> str:
            name = self.speller.read(found.group(0))
            if name is None:
                return found.group(0)
            reads.append((found.group(0), name))
            return name

        text = re.sub(r"[a-z]+", swap, normalise(term))
        if not reads:
            return None
        match = self.medicine_term(text)
        if match.kind not in ("ingredient", "class", "combination"):
            return None
        return match, tuple(reads)

    def combination_term(self, code: str) -> TermMatch:
        """The term match of a known combination product: every ingredient and its classes."""
        names = self.combinations[code].ingredients
        return TermMatch("combination", code, self.tokens_of(names), names)

    @lru_cache(maxsize=4096)  # noqa: B019 - the knowledge base lives for the whole process
    def condition_term(self, term: str) -> TermMatch:
        """Recognise a condition given as words in en / zh / ko or as an ICD-10 code."""
        key = term_key(term)
        if not key or key in self.none_terms or is_negated_entry(term):
            return TermMatch("none")
        if key in self.condition_alias:
            return TermMatch("condition", self.condition_alias[key])
        if _ICD10.match(key):
            code = key.replace(".", "")
            for prefix, condition in self.condition_icd:
                if code.startswith(prefix):
                    return TermMatch("condition", condition)
            return TermMatch("icd10_other", key.upper())
        measured = self._measured(term)  # "eGFR 25", "肌酐清除率 28"
        if measured:
            return TermMatch("condition", measured)
        found = self._condition_scan.search(key)  # "history of stomach ulcer", "哮喘病", "당뇨 있어요"
        if found:
            return TermMatch("condition", self.condition_alias[found.group(0)])
        short = self._short_condition_scan.search(normalise(term))  # "CKD stage 3", "BPH with retention"
        if short:
            return TermMatch("condition", self.condition_alias[short.group(0)])
        if measured == "" or self.is_not_relevant(term):  # "eGFR 75": a normal value names nothing
            return TermMatch("not_relevant", key)
        return TermMatch("unknown", key)

    def _measured(self, term: str) -> str | None:
        """The condition a measured value names ("eGFR 25": severe kidney disease), "" when the value
        is above every band (nothing to check), None when the entry is no measured value."""
        text = normalise(term)
        for scan, bands in self.measures:
            found = scan.search(text)
            if found:
                value = float(found.group("value"))
                return next((condition for bound, condition in bands if value < bound), "")
        return None

    def is_not_relevant(self, term: str) -> bool:
        """An entry that names nothing a medicine check depends on: a listed whole entry ("healthy",
        "戴隐形眼镜"), or a minor procedure long past ("appendix removed in 2012", "5년 전 맹장 수술")
        that names no organ whose surgery matters for medicines."""
        if term_key(term) in self.not_relevant:
            return True
        text = normalise(term)
        if self._travel_scan.fullmatch(text.strip(" .,;:!?。，")) or self._travel_scan.fullmatch(
            text.replace(" ", "").strip(".,;:!?。，")
        ):
            return True  # round 27: a trip as the whole entry ("back from Morocco last week", "刚从泰国回来")
        return (
            self._past_procedure_scan.search(text) is not None
            and self._past_marker_scan.search(text) is not None
            and self._organ_scan.search(text) is None
        )

    @lru_cache(maxsize=1024)  # noqa: B019 - the knowledge base lives for the whole process
    def is_status_note(self, term: str) -> bool:
        """A whole entry that only says how the entry before it stands: a listed note ("stable now",
        "healed", "已治愈"), or nothing but past, resolution and still-current words ("recurred last
        year")."""
        if term_key(term) in self.status_notes:
            return True
        text = normalise(term)
        # still-current words first: "not well controlled" holds the resolution words "well controlled"
        for scan in (self._still_scan, self._resolved_scan, self._long_past_scan, _YEAR):
            text = scan.sub(" ", text)
        return not _NOTE_FILLER.sub("", text).strip(" .,;:!?。，、")

    def names_past(self, entry: str, codes: frozenset[str], year: int) -> bool:
        """The entry names its conditions as past history: each may be over (a peptic ulcer, a heart
        attack, a stroke), the entry says it healed or puts it years back ("in 2010", "十年前", "10년
        전"; a year at least two before ``year``), and nothing in it keeps it current ("since 2016",
        "recurred", "最近", "재발")."""
        if not codes or not codes <= self.past_conditions:
            return False
        text = normalise(entry)
        if self._still_scan.search(text):
            return False
        if self._resolved_scan.search(text) or self._long_past_scan.search(text):
            return True
        return any(int(when) <= year - 2 for when in _YEAR.findall(text))

    def condition_codes(self, term: str) -> frozenset[str]:
        """Every condition one entry names ("asthma - wheezy after aspirin": asthma, NSAID-sensitive asthma).

        The first condition is ``condition_term``'s; further ones are taken from the same entry only
        when it holds no negation at all, so "asthma but no kidney problems" stays asthma alone.
        """
        first = self.condition_term(term)
        if first.kind != "condition":
            return frozenset()
        codes = {first.value}
        key = term_key(term)
        if (
            key not in self.condition_alias
            and not _ICD10.match(key)
            and not _ANY_NEGATION.search(normalise(term))
        ):
            codes.update(self.condition_alias[m.group(0)] for m in self._condition_scan.finditer(key))
        for code in list(codes):
            codes.update(self.condition_implies.get(code, ()))
        return frozenset(codes)


# A calendar year written in an entry ("in 2016", "2010年", "2015년").
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")

# Words a status note may hold besides its past, resolution and still-current words ("it recurred last year").
_NOTE_FILLER = re.compile(
    r"\b(?:it|has|have|had|was|is|been|and|but|then|now|in|the|a|an|once)\b|已经|了|又|과|이|가"
)

# Any negation inside an entry (English and Chinese before the words, Korean after them).
_ANY_NEGATION = re.compile(
    r"\b(?:no|not|non|without|denies|denied|never|nil|free of)\b|无|没|否认|不|未|없|아니|않"
)

# A whole profile entry that says the patient has NOT got something ("no allergies", "no kidney
# problems", "denies asthma", "无过敏史", "没有肾病", "否认高血压", "알레르기 없음", "신장 질환 없음"), or no
# longer has it ("not breastfeeding anymore", "现在不哺乳", "已断奶", "수유 안 함", "수유 중단"), or a
# test result that is negative ("HLA-B*5801 negative", "阴性", "음성"): it names nothing, like "none".
# English and Chinese negation comes first, Korean negation last.
_NEGATED_ENTRY = re.compile(
    r"^(?:no|denies|denied|never had|without|nil)\s+\S"
    r"|^(?:not|no longer|stopped|quit|finished)\s+(?!well\b|very\b|fully\b|properly\b|under\b|controlled\b)\S"
    r"|^(?:无|没有|没|否认|未见|未发现)\S"
    r"|^(?:现在|目前|已经|已)(?:不再?|没有?在|停止了?|停了|断奶)|^(?:不再|已断奶|断奶了)"
    r"|(?:없음|없어요|없습니다|없다|없고|없는|아님|아니에요|해당\s*없음)\s*[.。]?$"
    r"|\b(?:negative|not detected|not a carrier)\s*[.。]?$|^negative for\s|(?:阴性|未检出|음성)\s*[.。]?$"
    r"|(?:안\s*함|안\s*해요|안\s*합니다|안\s*하고\s*있어요|안\s*해|중단함?|중단했어요|끊음|끊었어요|끝남|끝났어요)\s*[.。]?$"
)
# ...unless the words are a real name that starts with a negation ("no-doz", "无极膏").
_NEGATION_EXCEPTIONS = frozenset({"nodoz", "no-doz"})


def is_negated_entry(term: str) -> bool:
    """True when a whole profile entry denies what it names ("no known allergies", "无肾病", "천식 없음")."""
    text = normalise(term).strip()
    return bool(_NEGATED_ENTRY.search(text)) and text.replace(" ", "") not in _NEGATION_EXCEPTIONS


def _severity(raw: str) -> Severity:
    return Severity[raw]


_LOCAL_SEVERITIES = ("info", "warn", "block")
_LOCAL_KEYS = frozenset({"severity", "source", "message", "labelled_for_age", "below_years", "from_years"})
# A jurisdiction's own age limit: the field it may set per kind of rule, more than 0 and at most
# this many years.
_AGE_FIELDS = {"below_years": "age", "from_years": "older_adults"}
_MAX_AGE_YEARS = 120


def _years(value: object) -> float | None:
    """A number of years from YAML (int or float, not a boolean); None otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _only_in(r: dict[str, Any]) -> frozenset[str]:
    """A rule's ``only_in`` list, validated: known jurisdiction codes other than ``generic``, once each."""
    raw = r.get("only_in")
    if raw is None:
        return frozenset()
    where = f"rules.yaml: {r.get('id')}: only_in"
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
        raise ValueError(f"{where}: expected a list of jurisdiction codes")
    if "generic" in raw:
        raise ValueError(f"{where}: generic is every jurisdiction; leave only_in out for a generic rule")
    unknown = sorted(set(raw) - set(JURISDICTIONS))
    if unknown:
        raise ValueError(f"{where}: unknown jurisdictions {unknown} (known: {', '.join(JURISDICTIONS)})")
    if len(set(raw)) != len(raw):
        raise ValueError(f"{where}: a jurisdiction is listed twice")
    return frozenset(raw)


def _local_levels(r: dict[str, Any], kind: str) -> dict[str, LocalLevel]:
    """A rule's ``jurisdictions`` mapping, validated: a known jurisdiction other than ``generic`` (the
    rule's own level), a level or an age limit that differs from the generic one, a source, a message
    in en / zh / ko if any, ``labelled_for_age`` and ``below_years`` on age rules only, ``from_years``
    on older-adults rules only (an age above 0 and at most 120)."""
    raw = r.get("jurisdictions")
    if raw is None:
        return {}
    where = f"rules.yaml: {r.get('id')}: jurisdictions"
    if not isinstance(raw, dict) or not raw:
        raise ValueError(f"{where}: expected a mapping of jurisdiction codes to levels")
    out: dict[str, LocalLevel] = {}
    for code, spec in raw.items():
        if code == "generic":
            raise ValueError(f"{where}: generic is the rule's own severity, not an override")
        if code not in JURISDICTIONS:
            raise ValueError(f"{where}: unknown jurisdiction {code!r} (known: {', '.join(JURISDICTIONS)})")
        if not isinstance(spec, dict):
            raise ValueError(f"{where}: {code}: expected severity and source")
        unknown = sorted(set(spec) - _LOCAL_KEYS)
        if unknown:
            raise ValueError(f"{where}: {code}: unknown keys {unknown}")
        ages: dict[str, float] = {}
        for key, rule_kind in _AGE_FIELDS.items():
            if key not in spec:
                continue
            if kind != rule_kind:
                raise ValueError(f"{where}: {code}: {key} is for {rule_kind.replace('_', '-')} rules only")
            years = _years(spec[key])
            if years is None or not 0 < years <= _MAX_AGE_YEARS:
                raise ValueError(
                    f"{where}: {code}: {key} must be a number of years above 0 and at most "
                    f"{_MAX_AGE_YEARS}, got {spec[key]!r}"
                )
            if r.get(key) is not None and years == float(r[key]):
                raise ValueError(f"{where}: {code}: {key} {years:g} is the generic age already")
            ages[key] = years
        if ages and "severity" not in spec:
            spec = {**spec, "severity": r["severity"]}  # an age limit alone keeps the generic level
        if spec.get("severity") not in _LOCAL_SEVERITIES:
            allowed = ", ".join(_LOCAL_SEVERITIES)
            raise ValueError(
                f"{where}: {code}: severity must be one of {allowed}, got {spec.get('severity')!r}"
            )
        severity = _severity(spec["severity"])
        labelled = spec.get("labelled_for_age", False)
        if not isinstance(labelled, bool):
            raise ValueError(f"{where}: {code}: labelled_for_age must be true or false")
        if labelled and kind != "age":
            raise ValueError(f"{where}: {code}: labelled_for_age is for age rules only")
        if severity == _severity(r["severity"]) and not labelled and not ages:
            raise ValueError(f"{where}: {code}: severity {severity.name} is the generic level already")
        if not str(spec.get("source") or "").strip():
            raise ValueError(f"{where}: {code}: a source is required")
        message = spec.get("message")
        if message is not None:
            missing = [lang for lang in ("en", "zh", "ko") if not (message or {}).get(lang)]
            if missing:
                raise ValueError(f"{where}: {code}: message needs {missing}")
            message = {str(k): str(v) for k, v in message.items()}
        out[str(code)] = LocalLevel(
            severity, str(spec["source"]), message, labelled, ages.get("below_years"), ages.get("from_years")
        )
    return out


def _rule(r: dict[str, Any], kind: str, selector: Selector | None = None, **fields: Any) -> Rule:
    """A rule from its YAML entry: the fields every kind has, and ``fields`` of its own."""
    only_in = _only_in(r)
    local = _local_levels(r, kind)
    outside = sorted(set(local) - only_in) if only_in else []
    if outside:
        raise ValueError(
            f"rules.yaml: {r.get('id')}: jurisdictions: {', '.join(outside)}: the rule applies only in "
            f"{', '.join(sorted(only_in))}"
        )
    return Rule(
        id=r["id"],
        kind=kind,
        severity=_severity(r["severity"]),
        message=r["message"],
        source=r["source"],
        selector=Selector.from_raw(r) if selector is None else selector,
        local=local,
        only_in=only_in,
        **fields,
    )


def _past_level(r: dict[str, Any]) -> PastLevel | None:
    """A condition rule's ``past`` entry, validated: ``{applies: false, source}`` (not for past history)
    or ``{severity, source, message?}`` (another level for it); a source always."""
    raw = r.get("past")
    if raw is None:
        return None
    where = f"rules.yaml: {r.get('id')}: past"
    if not isinstance(raw, dict) or not str(raw.get("source") or "").strip():
        raise ValueError(f"{where}: expected a mapping with a source")
    unknown = sorted(set(raw) - {"applies", "severity", "source", "message"})
    if unknown:
        raise ValueError(f"{where}: unknown keys {unknown}")
    if raw.get("applies") is False:
        if "severity" in raw or "message" in raw:
            raise ValueError(f"{where}: applies: false takes no severity or message")
        return PastLevel(None, str(raw["source"]))
    if raw.get("severity") not in _LOCAL_SEVERITIES or "applies" in raw:
        raise ValueError(f"{where}: either applies: false or a severity of {', '.join(_LOCAL_SEVERITIES)}")
    message = raw.get("message")
    if message is not None:
        missing = [lang for lang in ("en", "zh", "ko") if not (message or {}).get(lang)]
        if missing:
            raise ValueError(f"{where}: message needs {missing}")
        message = {str(k): str(v) for k, v in message.items()}
    return PastLevel(_severity(raw["severity"]), str(raw["source"]), message)


def _rules(raw: dict[str, Any]) -> dict[str, list[Rule]]:
    out: dict[str, list[Rule]] = {}
    for kind in (
        "age",
        "older_adults",
        "pregnancy",
        "breastfeeding",
        "allergy_cross_reactivity",
        "conditions",
    ):
        out[kind] = []
        for r in raw.get(kind) or []:
            cond = r.get("condition") or []
            out[kind].append(
                _rule(
                    r,
                    kind,
                    below_years=r.get("below_years"),
                    from_years=r.get("from_years"),
                    from_week=r.get("from_week"),
                    to_week=r.get("to_week"),
                    conditions=frozenset([cond] if isinstance(cond, str) else cond),
                    allergic_to=frozenset(f"{_reaction(r)}class:{c}" for c in r.get("allergic_to") or []),
                    spares_labelled_for_age=bool(r.get("spares_products_labelled_for_age", False)),
                    without=Selector.from_raw(r["without"]) if r.get("without") else None,
                    past=_past_level(r),
                    also_conditions=frozenset(r.get("also_condition") or []),
                )
            )
    # An interaction may name `condition:` (round 21): it applies only while the patient has one of them, from
    # the profile or said in the symptom text (clozapine with a sore throat or fever); and `unless_condition:`
    # (round 22): it does not apply while one of them holds (calcium and levothyroxine said to be taken hours
    # apart).
    out["interactions"] = [
        _rule(
            r,
            "interaction",
            Selector.from_raw(r["a"]),
            other=Selector.from_raw(r["b"]),
            conditions=_names(r.get("condition")),
            unless_conditions=_names(r.get("unless_condition")),
            also=Selector.from_raw(r["also"]) if r.get("also") else None,
        )
        for r in raw.get("interactions") or []
    ]
    out["duplication"] = [_rule(r, "duplication") for r in raw.get("duplication_groups") or []]
    out["pack_limits"] = [
        _rule(r, "pack_limit", max_packs=int(r["max_packs"])) for r in raw.get("pack_limits") or []
    ]
    out["durations"] = [_duration_rule(r) for r in raw.get("durations") or []]
    return out


def _names(raw: object) -> frozenset[str]:
    """A rule field of one name or a list of names, as a set."""
    if isinstance(raw, str):
        return frozenset([raw])
    if isinstance(raw, list):
        return frozenset(str(n) for n in raw)
    return frozenset()


def _duration_rule(r: dict[str, Any]) -> Rule:
    """A rule of ``durations``: ``over_days`` or ``days_a_month`` (one of them, a positive number) and
    ``of_use`` (default true: only a duration said with a word of taking or using the medicine counts)."""
    where = f"rules.yaml: {r.get('id')}"
    limits = [k for k in ("over_days", "days_a_month") if k in r]
    if len(limits) != 1:
        raise ValueError(f"{where}: a duration rule needs exactly one of over_days, days_a_month")
    value = r[limits[0]]
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{where}: {limits[0]} must be a positive number")
    of_use = r.get("of_use", True)
    if not isinstance(of_use, bool):
        raise ValueError(f"{where}: of_use must be true or false")
    said = r.get("said")
    if said is not None and (not isinstance(said, list) or not said):
        raise ValueError(f"{where}: said must be a non-empty list of patterns")
    return _rule(
        r,
        "duration",
        over_days=float(value) if limits[0] == "over_days" else None,
        days_a_month=float(value) if limits[0] == "days_a_month" else None,
        of_use=of_use,
        said=re.compile("|".join(f"(?:{w})" for w in said)) if said else None,
    )


def _implies_closure(implies: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """``implies`` made transitive: kidney failure implies severe kidney disease, which implies kidney
    disease, so kidney failure implies both. A cycle is refused."""
    out: dict[str, frozenset[str]] = {}
    for code in implies:
        seen: set[str] = set()
        todo = list(implies[code])
        while todo:
            broader = todo.pop()
            if broader == code:
                raise ValueError(f"conditions.yaml: {code}: implies itself through {sorted(seen)}")
            if broader not in seen:
                seen.add(broader)
                todo.extend(implies.get(broader, ()))
        out[code] = frozenset(seen)
    return out


def _reaction(r: Mapping[str, Any]) -> str:
    """The token prefix of a cross-reactivity rule's ``reaction``: "" for any reaction, "immediate:" for
    one after an immediate (anaphylactic) reaction only."""
    reaction = r.get("reaction")
    if reaction is None:
        return ""
    if reaction != "immediate":
        raise ValueError(f"rules.yaml: {r.get('id')}: reaction must be 'immediate'")
    return "immediate:"


def _compile(patterns: list[str] | None, *, english: bool) -> re.Pattern[str] | None:
    if not patterns:
        return None
    if english:
        spaced = r"\s*"
        body = "|".join("(?:" + p.replace(" ", spaced) + ")" for p in patterns)
        return re.compile(rf"\b(?:{body})")
    return re.compile("|".join(f"(?:{_ascii_stops(p)})" for p in patterns))


# The text is NFKC-normalised, which turns the full-width "，；：！？" into ",;:!?": a character class
# of a Chinese or Korean pattern that stops at "，" ("[^，。]{0,4}", one clause) stops at "," too
# (round 20: "这盒快吃完了，续一盒" was read as "吃完了,续一盒", a box swallowed).
_FULL_WIDTH_STOPS = {"，": ",", "；": ";", "：": ":", "！": "!", "？": "?"}
_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")


def _ascii_stops(pattern: str) -> str:
    def widen(m: re.Match[str]) -> str:
        body = m.group(0)
        extra = "".join(a for f, a in _FULL_WIDTH_STOPS.items() if f in body and a not in body)
        head = 2 if body.startswith("[^") else 1
        return body[:head] + extra + body[head:] if extra else body

    return _CLASS.sub(widen, pattern)


def _compile_near(
    raw: dict[str, Any] | None,
) -> dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str] | None]]:
    """Per language, two word lists that must meet in one clause, and words that veto the pair there.

    ``near: {a: {en: [...]}, b: {...}, unless: {...}}``: "my chest feels heavy" is a chest complaint,
    "a heavy cold in my chest" is not.
    """
    if not raw:
        return {}
    out = {}
    for lang in ("en", "zh", "ko"):
        first, second = raw["a"].get(lang), raw["b"].get(lang)
        if first and second:
            a = _compile(first, english=lang == "en")
            b = _compile(second, english=lang == "en")
            assert a is not None and b is not None
            unless = _compile((raw.get("unless") or {}).get(lang), english=lang == "en")
            out[lang] = (a, b, unless)
    return out


def _compile_by_lang(raw: dict[str, Any] | None) -> dict[str, re.Pattern[str]]:
    """``{en: [regex], zh: [...], ko: [...]}`` compiled per language like concept patterns."""
    out = {}
    for lang in ("en", "zh", "ko"):
        pattern = _compile((raw or {}).get(lang), english=lang == "en")
        if pattern is not None:
            out[lang] = pattern
    return out


def _word_scan(words: list[str]) -> re.Pattern[str]:
    """Short ASCII names ("mtx", "ckd", "bph") found only as whole words of the spaced text."""
    if not words:
        return re.compile("(?!)")
    return re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b"
    )


def _immediate_reaction(spec: Mapping[str, Any] | None) -> re.Pattern[str]:
    """``immediate_reactions`` of messages.yaml (a source and words per language) as one scan."""
    if not spec:
        return re.compile("(?!)")
    if not spec.get("source"):
        raise ValueError("messages.yaml: immediate_reactions: a source is required")
    return _any_word({k: v for k, v in spec.items() if k != "source"})


def _any_word(lists: dict[str, Any] | None) -> re.Pattern[str]:
    """Any word of per-language lists in normalised text (ASCII words whole, CJK words anywhere)."""
    words = sorted({normalise(str(w)) for ws in (lists or {}).values() for w in ws}, key=len, reverse=True)
    if not words:
        return re.compile("(?!)")
    return re.compile("|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in words))


def _any_pattern(lists: dict[str, Any] | None) -> re.Pattern[str]:
    """Any regular expression of per-language lists, over normalised text (English ones as whole words)."""
    parts = [
        rf"\b(?:{p})\b" if lang == "en" else f"(?:{p})"
        for lang, patterns in (lists or {}).items()
        for p in patterns or []
    ]
    return re.compile("|".join(parts)) if parts else re.compile("(?!)")


def _measure(
    code: str, spec: Mapping[str, Any], conditions: Mapping[str, Any]
) -> tuple[re.Pattern[str], tuple[tuple[float, str], ...]]:
    """A ``measures`` entry of conditions.yaml as a scan for "<name> <number>" and its bands."""
    where = f"conditions.yaml: measures: {code}"
    if not spec.get("source"):
        raise ValueError(f"{where}: a source is required")
    names = sorted(
        {normalise(str(n)) for ns in (spec.get("names") or {}).values() for n in ns}, key=lambda n: -len(n)
    )
    if not names:
        raise ValueError(f"{where}: names are required")
    bands = sorted((float(b["value"]), str(b["condition"])) for b in spec.get("below") or [])
    if not bands or any(c not in conditions for _, c in bands):
        raise ValueError(f"{where}: every band needs a value and a known condition")
    alternatives = "|".join(re.escape(n) for n in names)
    scan = re.compile(
        rf"(?<![a-z])(?:{alternatives})\s*(?:[:=<]|is|of|是|为|약|는|은)?\s*(?P<value>\d{{1,3}}(?:\.\d+)?)(?!\d)"
    )
    return scan, tuple(bands)


def _condition_max_daily(
    raw: Mapping[str, Any] | None, conditions: Mapping[str, Any]
) -> dict[str, tuple[frozenset[str], float, str]]:
    """``condition_max_daily_dose_mg`` of rules.yaml, validated: per ingredient, known conditions, mg
    and a source."""
    out = {}
    for ingredient, spec in (raw or {}).items():
        where = f"rules.yaml: condition_max_daily_dose_mg: {ingredient}"
        codes = frozenset(str(c) for c in spec.get("conditions") or [])
        if not codes or not codes <= set(conditions):
            raise ValueError(f"{where}: conditions must be known condition codes")
        if not str(spec.get("source") or "").strip() or _years(spec.get("mg")) is None:
            raise ValueError(f"{where}: mg and a source are required")
        out[str(ingredient)] = (codes, float(spec["mg"]), str(spec["source"]))
    return out


def _staggered_overdose(raw: Mapping[str, Any] | None, max_daily: Mapping[str, Any] | None) -> dict[str, str]:
    """``staggered_overdose`` of rules.yaml, validated: ingredients with a daily maximum and a source."""
    out = {}
    for ingredient, spec in (raw or {}).items():
        where = f"rules.yaml: staggered_overdose: {ingredient}"
        if ingredient not in (max_daily or {}):
            raise ValueError(f"{where}: the ingredient needs a max_daily_dose_mg")
        if not str((spec or {}).get("source") or "").strip():
            raise ValueError(f"{where}: a source is required")
        out[str(ingredient)] = str(spec["source"])
    return out


_PLACEHOLDER = re.compile(r"\{\{(count>=(\d+)|medicine|not_after:([^{}]+))\}\}")


def _expand(
    patterns: list[str] | None, lang: str, medicines: Mapping[str, tuple[str, ...]]
) -> list[str] | None:
    """Patterns with ``{{count>=N}}`` (a count of at least N in digits or the number words of ``numbers``:
    "twelve", "十二", "열두") and ``{{medicine}}`` (a name of any ingredient or brand of ingredients.yaml in
    the language) written out, and ``{{not_after:a|b}}`` (not right after the words a or b: a Korean
    food before its count, "귤 열두 개") as one look-behind per word; the one reader of numbers is
    ``numbers``, whatever the pattern."""
    if not patterns:
        return patterns

    def fill(m: re.Match[str]) -> str:
        if m.group(2):
            return count_at_least(int(m.group(2)), lang)
        if m.group(3):
            return "".join(f"(?<!{re.escape(w)})" for w in m.group(3).split("|"))
        names = medicines.get(lang)
        if not names:
            raise ValueError(f"red_flags.yaml: {{{{medicine}}}} needs the names of ingredients.yaml ({lang})")
        return "(?:" + "|".join(names) + ")"

    return [_PLACEHOLDER.sub(fill, str(p)) for p in patterns]


def _medicine_names(ingredients: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Per language, the names of the ingredients and brands of ingredients.yaml as patterns (longest first;
    English ones with spaces as spaces, Chinese and Korean without: their patterns see no spaces)."""
    out: dict[str, set[str]] = {"en": set(), "zh": set(), "ko": set()}
    for name, spec in ingredients.items():
        out["en"].add(str(name).lower())
        for lang, terms in (spec.get("names") or {}).items():
            for term in terms:
                word = normalise(str(term))
                if lang == "en" and re.fullmatch(r"[a-z][a-z0-9 .-]{2,}", word):
                    out["en"].add(word)
                elif lang in ("zh", "ko") and len(word.replace(" ", "")) >= 2:
                    out[lang].add(word.replace(" ", ""))
    return {
        lang: tuple(re.escape(w).replace(r"\ ", " ") for w in sorted(words, key=lambda w: (-len(w), w)))
        for lang, words in out.items()
    }


def _concept(
    name: str, spec: Mapping[str, Any], medicines: Mapping[str, tuple[str, ...]] | None = None
) -> Concept:
    names = medicines or {}
    return Concept(
        name=name,
        en=_compile(_expand(spec.get("en"), "en", names), english=True),
        zh=_compile(_expand(spec.get("zh"), "zh", names), english=False),
        ko=_compile(_expand(spec.get("ko"), "ko", names), english=False),
        near=_compile_near(spec.get("near")),
        unless=_compile_by_lang(spec.get("unless")),
        unless_spares=_compile_by_lang(spec.get("unless_spares")),
        unless_anywhere=bool(spec.get("unless_anywhere")),
        unless_text={
            lang: re.compile("|".join(f"(?:{p})" for p in patterns))
            for lang, patterns in (spec.get("unless_text") or {}).items()
            if patterns
        },
    )


def _context(raw: Mapping[str, Any], ingredients: Mapping[str, Any]) -> dict[str, ContextConcept]:
    """``context.yaml``: per transient condition, its names, "you mentioned" words, source and patterns."""
    out: dict[str, ContextConcept] = {}
    for code, spec in (raw.get("concepts") or {}).items():
        medicines: tuple[tuple[str, re.Pattern[str]], ...] = ()
        if spec.get("medicines"):
            spec, medicines = _with_medicine_names(str(code), spec, ingredients)
        for key in ("name", "said"):
            missing = [lang for lang in ("en", "zh", "ko") if not (spec.get(key) or {}).get(lang)]
            if missing:
                raise ValueError(f"context.yaml: {code}: {key} needs {missing}")
        if not spec.get("source"):
            raise ValueError(f"context.yaml: {code}: a source is required")
        out[str(code)] = ContextConcept(
            condition=str(code),
            concept=_concept(str(code), spec),
            name={k: str(v) for k, v in spec["name"].items()},
            said={k: str(v) for k, v in spec["said"].items()},
            source=str(spec["source"]),
            medicine=str(spec["medicine"]) if spec.get("medicine") else None,
            counts_as=frozenset(str(c) for c in spec.get("counts_as") or ()),
            lasting=bool(spec.get("lasting", False)),
            profile_entry=bool(spec.get("profile_entry", False)),
            allergy=str(spec["allergy"]) if spec.get("allergy") else None,
            medicines=medicines,
            **_unless_said(str(code), spec.get("unless_said")),
        )
    return out


def _with_medicine_names(
    code: str, spec: Mapping[str, Any], ingredients: Mapping[str, Any]
) -> tuple[dict[str, Any], tuple[tuple[str, re.Pattern[str]], ...]]:
    """A context concept naming ``medicines`` (round 24): its patterns' ``{names}`` become every name of
    those ingredients in the pattern's language (English lower case; Chinese and Korean without spaces,
    as the text those patterns see), and each ingredient gets a pattern of all its names, to tell which
    ones the words said name."""
    wanted = [str(m) for m in spec["medicines"]]
    unknown = [m for m in wanted if m not in ingredients]
    if unknown:
        raise ValueError(f"context.yaml: {code}: medicines {unknown} are not known ingredients")
    by_lang: dict[str, list[str]] = {"en": [], "zh": [], "ko": []}
    own: list[tuple[str, re.Pattern[str]]] = []
    for name in wanted:
        names = (ingredients[name] or {}).get("names") or {}
        words = {lang: [str(t).lower() for t in names.get(lang) or []] for lang in by_lang}
        words["en"] = sorted({name, *words["en"]})
        # One Chinese character is no name to find in free text (锂 of 锂电池, a lithium battery).
        words["zh"] = [w.replace(" ", "") for w in words["zh"] if len(w.replace(" ", "")) > 1]
        words["ko"] = [w.replace(" ", "") for w in words["ko"] if len(w.replace(" ", "")) > 1]
        for lang in by_lang:
            by_lang[lang].extend(words[lang])
        en = "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in sorted(words["en"], key=len, reverse=True))
        cjk = "|".join(re.escape(w) for w in sorted(words["zh"] + words["ko"], key=len, reverse=True))
        own.append((name, re.compile(rf"\b(?:{en})(?![a-z])" + (f"|{cjk}" if cjk else ""))))

    def either(words: list[str]) -> str:
        ordered = sorted(set(words), key=len, reverse=True)
        return "(?:" + "|".join(re.escape(w).replace("\\ ", " ") for w in ordered) + ")"

    alternation = {lang: either(ws) for lang, ws in by_lang.items()}
    filled = dict(spec)
    for lang in ("en", "zh", "ko"):
        filled[lang] = [str(p).replace("{names}", alternation[lang]) for p in spec.get(lang) or []]
    return filled, tuple(own)


def _unless_said(code: str, raw: object) -> dict[str, re.Pattern[str] | None]:
    """``unless_said`` of a context concept: ``{en, zh, ko}`` lists of patterns, compiled."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or set(raw) - {"en", "zh", "ko"}:
        raise ValueError(f"context.yaml: {code}: unless_said takes en, zh and ko lists")
    en = [str(w) for w in raw.get("en") or []]
    cjk = [str(w).replace(" ", "") for lang in ("zh", "ko") for w in raw.get(lang) or []]
    return {
        "unless_said_en": re.compile(r"\b(?:" + "|".join(en) + r")") if en else None,
        "unless_said_cjk": re.compile("|".join(cjk)) if cjk else None,
    }


def _reviewed_no_rules(raw: object, ingredient_alias: Mapping[str, str]) -> dict[str, str]:
    """``reviewed_no_rules`` of ingredients.yaml, validated: lower-case names the knowledge base does not
    know (not an ingredient nor one of its names), each with a one-line reason."""
    if raw is None:
        return {}
    where = "ingredients.yaml: reviewed_no_rules"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping of ingredient names to reasons")
    out: dict[str, str] = {}
    for name, reason in raw.items():
        if not isinstance(name, str) or name != name.strip().lower() or not name:
            raise ValueError(f"{where}: {name!r}: names are lower case, as the catalog writes them")
        if not isinstance(reason, str) or not reason.strip() or "\n" in reason.strip():
            raise ValueError(f"{where}: {name}: a one-line reason is required")
        if term_key(name) in ingredient_alias:
            known = ingredient_alias[term_key(name)]
            raise ValueError(f"{where}: {name}: known as ingredient {known!r}; list it in one place only")
        out[name] = reason.strip()
    return out


def _english_words(raw: object, under_en: bool = False) -> set[str]:
    """Every Latin-script word of the English lists (``en``) anywhere in a YAML structure."""
    out: set[str] = set()
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            out |= _english_words(value, under_en or key == "en")
    elif isinstance(raw, list):
        for value in raw:
            out |= _english_words(value, under_en)
    elif isinstance(raw, str) and under_en:
        out.update(re.findall(r"[a-z]+", normalise(raw)))
    return out


def _speller(
    ingredient_alias: Mapping[str, str],
    class_alias: Mapping[str, str],
    combination_alias: Mapping[str, str],
    condition_alias: Mapping[str, str],
    vocabulary: Iterable[str],
    msgs: Mapping[str, Any],
    said: Mapping[str, Any],
    cond: Mapping[str, Any],
    ing: Mapping[str, Any],
    flags: Mapping[str, Any],
) -> NameSpeller:
    """The speller of misspelt medicine names: the single-word ingredient and brand names (read as the
    ingredient) and combination names (read as the combination); never read: every known name, the
    English words of the classes, conditions, context, red flags and messages, the commonest English words
    (english_words.txt), ``typo_keep`` and the ordinary words of ``misspellings`` in messages.yaml."""
    names: dict[str, str] = {}
    for name, entry in ing["ingredients"].items():  # single words only: "plan b" is no word to spell
        for term in [name, *(t for terms in ((entry or {}).get("names") or {}).values() for t in terms)]:
            word = normalise(str(term))
            if word.isalpha() and term_key(word) in ingredient_alias:
                names.setdefault(word, f"ingredient:{ingredient_alias[term_key(word)]}")
    for code, entry in (ing.get("combinations") or {}).items():
        for term in (t for terms in (entry.get("names") or {}).values() for t in terms):
            word = normalise(str(term))
            if word.isalpha():
                names.setdefault(word, f"combination:{code}")
    spec = msgs.get("misspellings") or {}
    if spec and not spec.get("source"):
        raise ValueError("messages.yaml: misspellings: a source is required")
    known = {*ingredient_alias, *class_alias, *combination_alias, *condition_alias, *vocabulary}
    known.update(str(w) for w in flags.get("typo_keep") or [])
    known.update(term_key(str(w)) for w in spec.get("ordinary_words") or [])
    known.update(term_key(str(w)) for w in msgs.get("none_terms") or [])
    for source in (ing.get("classes"), cond, said, flags, msgs):
        known |= _english_words(source)
    return NameSpeller(names, known)


def _word_list(path: Path) -> frozenset[str]:
    """The words of a list file, one a line, ``#`` comments skipped; empty when there is no file."""
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping")
    return data


def build_knowledge_base(folder: Path) -> KnowledgeBase:
    """Read and compile every knowledge-base file in ``folder``; raises ValueError on a bad file."""
    ing = _load(folder / "ingredients.yaml")
    cond = _load(folder / "conditions.yaml")
    rules = _load(folder / "rules.yaml")
    flags = _load(folder / "red_flags.yaml")
    msgs = _load(folder / "messages.yaml")
    said = _load(folder / "context.yaml") if (folder / "context.yaml").exists() else {}

    class_alias: dict[str, str] = {}
    class_names: dict[str, dict[str, str]] = {}
    for name, spec in ing["classes"].items():
        class_names[name] = {lang: str(spec.get(lang) or name) for lang in ("en", "zh", "ko")}
        for terms in (spec.get("terms") or {}).values():
            for term in terms:
                class_alias[term_key(str(term))] = name
    ingredient_alias: dict[str, str] = {}
    ingredient_classes: dict[str, frozenset[str]] = {}
    display: dict[str, dict[str, str]] = {}
    for name, spec in ing["ingredients"].items():
        unknown = set(spec.get("classes") or []) - set(class_names)
        if unknown:
            raise ValueError(f"ingredients.yaml: {name}: unknown classes {sorted(unknown)}")
        ingredient_classes[name] = frozenset(spec.get("classes") or [])
        ingredient_alias[term_key(name)] = name
        names = spec.get("names") or {}
        display[name] = {lang: str((names.get(lang) or [name])[0]) for lang in ("en", "zh", "ko")}
        display[name]["en"] = name
        for terms in names.values():
            for term in terms:
                ingredient_alias.setdefault(term_key(str(term)), name)
    combinations: dict[str, Combination] = {}
    combination_alias: dict[str, str] = {}
    for code, spec in (ing.get("combinations") or {}).items():
        parts = [str(n) for n in spec["ingredients"]]
        missing = [n for n in parts if n not in ingredient_classes]
        if missing or not parts:
            raise ValueError(f"ingredients.yaml: combination {code}: unknown ingredients {missing}")
        if not spec.get("source"):
            raise ValueError(f"ingredients.yaml: combination {code}: a source is required")
        combinations[code] = Combination(str(code), frozenset(parts), str(spec["source"]))
        for terms in (spec.get("names") or {}).values():
            for term in terms:
                key = term_key(str(term))
                if key in ingredient_alias or combination_alias.get(key, code) != code:
                    raise ValueError(f"ingredients.yaml: combination {code}: name {term!r} is taken")
                combination_alias[key] = code
    systemic_only = frozenset(
        name for name, spec in ing["ingredients"].items() if (spec or {}).get("systemic_only")
    )
    external = ing.get("external_forms") or {}
    if external and not external.get("source"):
        raise ValueError("ingredients.yaml: external_forms: a source is required")
    condition_alias: dict[str, str] = {}
    condition_icd: list[tuple[str, str]] = []
    condition_names: dict[str, dict[str, str]] = {}
    for code, spec in cond["conditions"].items():
        condition_names[code] = spec["name"]
        condition_alias[term_key(code)] = code
        for terms in spec["terms"].values():
            for term in terms:
                condition_alias.setdefault(term_key(str(term)), code)
        for prefix in spec.get("icd10") or []:
            condition_icd.append((str(prefix).lower().replace(".", ""), code))
    condition_icd.sort(key=lambda p: -len(p[0]))
    condition_implies = {
        code: frozenset(str(c) for c in spec["implies"])
        for code, spec in cond["conditions"].items()
        if spec.get("implies")
    }
    for code, broader in condition_implies.items():
        if not broader <= set(condition_names):
            raise ValueError(f"conditions.yaml: {code}: implies unknown conditions {sorted(broader)}")
    condition_implies = _implies_closure(condition_implies)
    context = _context(said, ing["ingredients"])
    taken = set(context) & set(condition_names)
    if taken:
        raise ValueError(f"context.yaml: {sorted(taken)} already name profile conditions")
    for code, said_concept in context.items():
        if not said_concept.counts_as <= set(condition_names):
            raise ValueError(
                f"context.yaml: {code}: counts_as names unknown conditions {sorted(said_concept.counts_as)}"
            )
        if said_concept.medicine is not None and said_concept.medicine not in ingredient_classes:
            raise ValueError(
                f"context.yaml: {code}: medicine {said_concept.medicine!r} is not a known ingredient"
            )

    route_spec = ing.get("routes") or {}
    if route_spec and not route_spec.get("source"):
        raise ValueError("ingredients.yaml: routes: a source is required")
    route_scans = tuple(
        (str(route), _any_word({"forms": words})) for route, words in (route_spec.get("words") or {}).items()
    )
    known_routes = {f"route:{route}" for route, _ in route_scans}
    compiled = _rules(rules)
    known_tokens = set(ingredient_classes) | {f"class:{c}" for c in class_names}
    for items in compiled.values():
        for rule in items:
            for sel in (rule.selector, rule.other, rule.without, rule.also):
                if sel is not None and not sel.tokens <= known_tokens:
                    raise ValueError(f"rules.yaml: {rule.id}: unknown {sorted(sel.tokens - known_tokens)}")
                if sel is not None and not (sel.routes | sel.not_routes) <= known_routes:
                    unknown_routes = sorted(r[6:] for r in (sel.routes | sel.not_routes) - known_routes)
                    raise ValueError(f"rules.yaml: {rule.id}: unknown routes {unknown_routes}")
            for names in (rule.conditions, rule.unless_conditions):
                if not names <= set(condition_names) | set(context):
                    raise ValueError(f"rules.yaml: {rule.id}: unknown condition {sorted(names)}")

    reviewed = _reviewed_no_rules(ing.get("reviewed_no_rules"), ingredient_alias)
    unknown_places = sorted(set(map(str, flags["emergency_numbers"])) - set(JURISDICTIONS))
    if unknown_places or "generic" not in flags["emergency_numbers"]:
        raise ValueError(f"red_flags.yaml: emergency_numbers: unknown {unknown_places} or no generic number")
    medicines = _medicine_names(ing["ingredients"])
    concepts = {name: _concept(name, spec, medicines) for name, spec in flags["concepts"].items()}
    flag_list = []
    for raw in flags["flags"]:
        when = tuple(tuple(str(c) for c in group) for group in raw["when"])
        for group in when:
            for concept in group:
                if not concept.startswith("@") and concept not in concepts:
                    raise ValueError(f"red_flags.yaml: {raw['code']}: unknown concept {concept}")
        flag_list.append(Flag(code=raw["code"], when=when, reason=raw["reason"], source=raw["source"]))
    vocabulary: set[str] = set()
    for spec in flags["concepts"].values():
        near = spec.get("near") or {}
        english = [
            *(spec.get("en") or []),
            *(near.get("a", {}).get("en") or []),
            *(near.get("b", {}).get("en") or []),
        ]
        for pattern in english:
            vocabulary.update(re.findall(r"[a-z]{4,}", pattern))
    aliases = sorted(
        {k for k in (*ingredient_alias, *class_alias) if len(k) >= 4 or not k.isascii()},
        key=lambda k: -len(k),
    )
    common_words = _word_list(folder / "english_words.txt")
    speller = _speller(
        ingredient_alias,
        class_alias,
        combination_alias,
        condition_alias,
        vocabulary | common_words,
        msgs,
        said,
        cond,
        ing,
        flags,
    )
    exact_only = {term_key(str(t)) for t in cond.get("exact_only_terms") or []}
    condition_keys = sorted(
        (k for k in condition_alias if k not in exact_only and (len(k) >= 4 or not k.isascii())),
        key=lambda k: -len(k),
    )
    short_aliases = sorted(
        k for k in (*ingredient_alias, *class_alias) if k.isascii() and k.isalnum() and len(k) < 4
    )
    short_conditions = sorted(k for k in condition_alias if k.isascii() and k.isalnum() and len(k) <= 4)
    non_medicine = {term_key(t) for terms in msgs["non_medicine_allergens"].values() for t in terms}
    measures = tuple(
        _measure(code, spec, condition_names) for code, spec in (cond.get("measures") or {}).items()
    )
    history = cond.get("past_history") or {}
    if history and not history.get("source"):
        raise ValueError("conditions.yaml: past_history: a source is required")
    past_conditions = frozenset(str(c) for c in history.get("conditions") or [])
    if not past_conditions <= set(condition_names):
        raise ValueError(f"conditions.yaml: past_history: unknown conditions {sorted(past_conditions)}")
    irrelevant = cond.get("not_relevant") or {}
    if irrelevant and not irrelevant.get("source"):
        raise ValueError("conditions.yaml: not_relevant: a source is required")
    markers = [str(m) for ms in (irrelevant.get("past_markers") or {}).values() for m in ms]
    marker_scan = re.compile("|".join(f"(?:{m})" for m in markers)) if markers else re.compile("(?!)")
    sources = [("ingredients", ing), ("conditions", cond), ("rules", rules), ("red_flags", flags)]
    if said:
        sources.append(("context", said))
    version = " ".join(f"{n}={d.get('version')}" for n, d in sources)
    return KnowledgeBase(
        version=version,
        ingredient_classes=ingredient_classes,
        ingredient_alias=ingredient_alias,
        class_alias=class_alias,
        class_names=class_names,
        ingredient_display=display,
        condition_alias=condition_alias,
        condition_icd=condition_icd,
        condition_names=condition_names,
        rules=compiled,
        max_daily_mg={
            k: (float(v["mg"]), str(v["source"])) for k, v in (rules.get("max_daily_dose_mg") or {}).items()
        },
        always_rx=frozenset(rules.get("always_rx") or []),
        concepts=concepts,
        flags=flag_list,
        emergency_numbers={str(k): str(v) for k, v in flags["emergency_numbers"].items()},
        emergency_message=flags["message"],
        emergency_message_generic=flags.get("message_generic") or flags["message"],
        messages=msgs["findings"],
        non_medicine=frozenset(non_medicine),
        immediate_reaction=_immediate_reaction(msgs.get("immediate_reactions")),
        none_terms=frozenset(term_key(str(t)) for t in msgs["none_terms"]),
        typo=TypoCorrector(
            vocabulary,
            keep=[*(str(w) for w in flags.get("typo_keep") or []), *filter(str.isalpha, ingredient_alias)],
            ordinary=common_words,
        ),
        speller=speller,
        read_as={str(k): str(v) for k, v in ((msgs.get("misspellings") or {}).get("read_as") or {}).items()}
        or {"en": "“{word}” read as {name}"},
        combinations=combinations,
        context=context,
        upper_intake={
            str(k): UpperIntake(
                float(v["amount"]),
                str(v["unit"]),
                {str(u).lower(): float(f) for u, f in (v.get("per") or {str(v["unit"]): 1}).items()},
                str(v["source"]),
            )
            for k, v in (rules.get("upper_intake") or {}).items()
        },
        pregnancy_recommended=frozenset(
            str(n) for n in (rules.get("recommended_in_pregnancy") or {}).get("ingredients") or []
        ),
        prenatal_names=tuple(
            str(n).lower() for n in (rules.get("recommended_in_pregnancy") or {}).get("prenatal_names") or []
        ),
        pregnancy_recommended_source=str((rules.get("recommended_in_pregnancy") or {}).get("source") or ""),
        prescribed_in_pregnancy={
            str(k): (float(v["max_mg"]), str(v["source"]))
            for k, v in (rules.get("prescribed_in_pregnancy") or {}).items()
        },
        condition_max_daily_mg=_condition_max_daily(
            rules.get("condition_max_daily_dose_mg"), condition_names
        ),
        staggered_overdose=_staggered_overdose(
            rules.get("staggered_overdose"), rules.get("max_daily_dose_mg")
        ),
        child_dose_per_kg={
            str(k): (float(v["mg_per_kg"]), str(v["source"]))
            for k, v in ((rules.get("child_dose_per_kg") or {}).get("ingredients") or {}).items()
        },
        child_doses_a_day={
            str(k): int(v["doses_a_day"])
            for k, v in ((rules.get("child_dose_per_kg") or {}).get("ingredients") or {}).items()
            if v.get("doses_a_day")
        },
        solid_forms=tuple(
            str(w).lower() for w in (rules.get("child_dose_per_kg") or {}).get("solid_forms") or []
        ),
        otc_max_unit_mg={
            str(k): (float(v["mg"]), str(v["source"]))
            for k, v in (rules.get("otc_max_unit_mg") or {}).items()
        },
        combination_alias=combination_alias,
        condition_implies=condition_implies,
        reviewed_no_rules=reviewed,
        systemic_only=systemic_only,
        _external_form_scan=_any_word({"forms": external.get("words") or []}),
        _route_scans=route_scans,
        _sodium_scan=_any_word({"forms": (ing.get("sodium_forms") or {}).get("words") or []}),
        measures=measures,
        not_relevant=frozenset(
            term_key(str(w)) for ws in (irrelevant.get("terms") or {}).values() for w in ws
        ),
        past_conditions=past_conditions,
        past_said={str(k): str(v) for k, v in (history.get("said") or {}).items()},
        status_notes=frozenset(
            term_key(str(w)) for ws in (history.get("status_notes") or {}).values() for w in ws
        ),
        _long_past_scan=_any_pattern(history.get("long_past")),
        _resolved_scan=_any_pattern(history.get("resolved")),
        _still_scan=_any_pattern(history.get("current")),
        _past_procedure_scan=_any_word(irrelevant.get("past_procedures")),
        _past_marker_scan=marker_scan,
        _organ_scan=_any_word(irrelevant.get("organ_words")),
        _travel_scan=_any_pattern(irrelevant.get("travel")),
        _combination_scan=re.compile(
            "|".join(re.escape(k) for k in sorted(combination_alias, key=lambda k: -len(k)))
        )
        if combination_alias
        else re.compile("(?!)"),
        idioms=_compile_by_lang(flags.get("idioms")),
        history=_compile_by_lang(flags.get("history_markers")),
        hypothetical=_compile_by_lang(flags.get("hypothetical_markers")),
        past_event_names=_compile_by_lang((flags.get("past_events") or {}).get("events")),
        past_event_after=_compile_by_lang((flags.get("past_events") or {}).get("after")),
        past_event_before=_compile_by_lang((flags.get("past_events") or {}).get("before")),
        past_event_unless=_compile_by_lang((flags.get("past_events") or {}).get("unless_before")),
        _alias_scan=re.compile("|".join(re.escape(a) for a in aliases)) if aliases else re.compile("(?!)"),
        _short_alias_scan=_word_scan(short_aliases),
        _short_condition_scan=_word_scan(short_conditions),
        _condition_scan=re.compile("|".join(re.escape(k) for k in condition_keys))
        if condition_keys
        else re.compile("(?!)"),
    )


@lru_cache(maxsize=4)
def load_knowledge_base(folder: Path | None = None) -> KnowledgeBase:
    """The compiled knowledge base of ``folder`` (default ``data/safety``), cached per folder."""
    return build_knowledge_base(folder or kb_dir())


def rules_catalog(lang: str = "en", kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """Every rule and red flag as plain data (id, kind, severity, message in ``lang``, source, the
    jurisdictions a rule is limited to in ``only_in`` and its levels in others, the routes it keeps or
    leaves out, what it is ``without``, its level for past history), and the combination brands with
    their ingredients and sources."""
    base = kb or load_knowledge_base()
    rules = [
        {
            "id": rule.id,
            "kind": kind,
            "severity": rule.severity.name,
            "about": sorted(rule.selector.tokens),
            "with": sorted(rule.other.tokens) if rule.other is not None else [],
            "routes": sorted(r[6:] for r in rule.selector.routes),
            "not_routes": sorted(r[6:] for r in rule.selector.not_routes),
            "above_mg": rule.selector.above_mg,
            "without": sorted(rule.without.tokens) if rule.without is not None else [],
            "past": None
            if rule.past is None
            else {
                "severity": rule.past.severity.name if rule.past.severity is not None else None,
                "source": rule.past.source,
            },
            "conditions": sorted(rule.conditions),
            "below_years": rule.below_years,
            "from_years": rule.from_years,
            "from_week": rule.from_week,
            "to_week": rule.to_week,
            "max_packs": rule.max_packs,
            "over_days": rule.over_days,
            "days_a_month": rule.days_a_month,
            "message": rule.message.get(lang) or rule.message["en"],
            "source": rule.source,
            "only_in": sorted(rule.only_in),
            "jurisdictions": {
                code: {
                    "severity": local.severity.name,
                    "labelled_for_age": local.labelled_for_age,
                    "below_years": local.below_years,
                    "from_years": local.from_years,
                    "message": (local.message or rule.message).get(lang)
                    or (local.message or rule.message)["en"],
                    "source": local.source,
                }
                for code, local in rule.local.items()
            },
        }
        for kind, items in base.rules.items()
        for rule in items
    ]
    flags = [
        {
            "id": f"red_flag.{flag.code}",
            "kind": "red_flag",
            "severity": "emergency",
            "when": [list(group) for group in flag.when],
            "message": flag.reason.get(lang) or flag.reason["en"],
            "source": flag.source,
        }
        for flag in base.flags
    ]
    combinations = [
        {"id": combo.code, "ingredients": sorted(combo.ingredients), "source": combo.source}
        for combo in base.combinations.values()
    ]
    return {"version": base.version, "rules": rules, "red_flags": flags, "combinations": combinations}

"""Round 25 mechanisms: condition words said with common misspellings (hart failure, 胃溃病, 콩팟병),
acne and prostatitis known, methadone and mesalazine known, an NSAID gel apart from the heart failure
contra-indication, amiodarone and spironolactone said in the text, a sulfonamide reaction said in everyday
words, a past reaction told as over, the red flags (sepsis said as shaking with cold / not passing water /
blotchy knees, 蛋蛋 for a testicle, a child who swallowed what was left) and amantadine's maximum a day
(each with wording other than the round-25 cases' own)."""

from __future__ import annotations

from typing import Any

import pytest

from medrush.safety.knowledge import load_knowledge_base
from medrush.safety.triage import read_context
from tests.unit.safety.conftest import check_order

KB = load_knowledge_base()


def _check(medicine_id: str, symptoms: str, lang: str = "en", **patient: Any) -> tuple[str, set[str]]:
    result = check_order(
        medicine_id, symptoms, lang=lang, prescribed=True, **{"age_years": 45, "sex": "male", **patient}
    )
    return result.level, {f.rule or f.code for f in result.findings}


@pytest.mark.parametrize(
    ("condition", "item", "level"),
    [
        ("hart failure", "t-ibuprofen-200", "block"),
        ("heart faliure", "t-ibuprofen-200", "block"),
        ("胃溃病", "z4-advil-200mg", "block"),
        ("콩팟병", "z4-advil-200mg", "block"),
        ("만성 콩팟병", "z4-advil-200mg", "block"),
        ("hart failure", "z4-panadol-500mg", "allow"),
        ("胃溃病", "z4-panadol-500mg", "allow"),
        ("콩팟병", "z4-panadol-500mg", "allow"),
        ("痤疮", "z4-panadol-500mg", "allow"),
        ("acne", "z4-panadol-500mg", "allow"),
        ("前列腺炎", "z4-panadol-500mg", "allow"),
        ("prostatitis", "z4-panadol-500mg", "allow"),
    ],
)
def test_condition_words(condition: str, item: str, level: str) -> None:
    got, codes = _check(item, "pain", age_years=60, conditions=[condition])
    assert got == level and "unknown_condition" not in codes


@pytest.mark.parametrize(
    ("med", "item", "level"),
    [
        ("methadone 60 mg daily", "t-promethazine-25", "warn"),
        ("美沙酮口服液 每天60mg", "t-promethazine-25", "warn"),
        ("메타돈 60mg", "z4-clarityne-10mg", "allow"),
        ("mesalazine 1 g three times a day", "z4-panadol-500mg", "allow"),
        ("美沙拉嗪 1g 每天三次", "z4-panadol-500mg", "allow"),
    ],
)
def test_methadone_and_mesalazine_known(med: str, item: str, level: str) -> None:
    got, codes = _check(item, "hay fever", current_medications=[med])
    assert got == level and "unknown_medication" not in codes


def test_nsaid_gel_is_not_the_heart_failure_contraindication() -> None:
    assert (
        _check("z5-ibuprofen-5pct-gel", "sore knee", age_years=60, conditions=["heart failure"])[0] == "allow"
    )
    level, codes = _check("t-ibuprofen-200", "sore knee", age_years=60, conditions=["heart failure"])
    assert level == "block" and "condition.heart_failure_nsaids" in codes


@pytest.mark.parametrize(
    ("item", "text", "lang", "level"),
    [
        ("z12-simvastatin-40mg-tab", "I take amiodarone 200 mg daily for my heart", "en", "block"),
        ("z12-simvastatin-40mg-tab", "I've been on cordarone since March", "en", "block"),
        ("z12-simvastatin-40mg-tab", "I came off amiodarone years ago", "en", "allow"),
        ("zr-potassium-chloride-500mg-er", "알닥톤을 매일 아침 먹고 있어요", "ko", "warn"),
        ("zr-potassium-chloride-500mg-er", "每天吃螺内酯", "zh", "warn"),
        ("zr-potassium-chloride-500mg-er", "알닥톤은 작년에 끊었어요", "ko", "allow"),
    ],
)
def test_amiodarone_and_spironolactone_said(item: str, text: str, lang: str, level: str) -> None:
    assert _check(item, text, lang)[0] == level


@pytest.mark.parametrize(
    ("text", "lang", "said"),
    [
        ("sulfa drugs made my skin peel and blister", "en", True),
        ("allergic to sulfa", "en", True),
        ("以前吃磺胺药起了一身红疹", "zh", True),
        ("설파제 먹고 입안이 헐고 피부가 벗겨졌어요", "ko", True),
        ("설파제 알레르기는 없어요", "ko", False),
        ("my sister is allergic to sulfa", "en", False),
    ],
)
def test_sulfonamide_reaction_said(text: str, lang: str, said: bool) -> None:
    assert ("sulfonamide_allergy_said" in read_context(KB, text)) is said
    level = _check("t-cotrimoxazole", text, lang)[0]
    assert level == ("block" if said else "allow")


@pytest.mark.parametrize(
    ("item", "text", "lang", "code"),
    [
        (
            "z4-panadol-500mg",
            "mum has a water infection, shaking with cold and hasn't passed water all day",
            "en",
            "sepsis",
        ),
        ("z4-panadol-500mg", "shaking with the cold, her knees look blotchy", "en", "sepsis"),
        ("z4-panadol-500mg", "孩子左边蛋蛋突然很疼", "zh", "testicular_torsion"),
        ("z4-panadol-500mg", "孙子把盒子里剩下的十几粒全吞了", "zh", "overdose_poisoning"),
    ],
)
def test_red_flags(item: str, text: str, lang: str, code: str) -> None:
    level, codes = _check(item, text, lang)
    assert level == "emergency" and f"red_flag.{code}" in codes


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("flu, shaking with cold last night but eating and passing water fine", "en"),
        ("我家蛋蛋嗓子疼，有点低烧", "zh"),
        ("我家蛋蛋突然肚子疼", "zh"),
        ("女儿把碗里的饭全吃了，有点头疼", "zh"),
    ],
)
def test_benign_twins_stay_allowed(text: str, lang: str) -> None:
    assert _check("z4-panadol-500mg", text, lang)[0] == "allow"


def test_amantadine_maximum_a_day() -> None:
    level, codes = _check("z10-gankang-compound-paracetamol-amantadine", "感康一次两片，一天三次", "zh")
    assert level == "block" and "stated_dose_above_max" in codes
    assert _check("z10-gankang-compound-paracetamol-amantadine", "感康一次一片，一天两次", "zh")[0] == "allow"


@pytest.mark.parametrize(
    ("item", "text", "lang", "level"),
    [
        # a past reaction told as over: history for the red flags, the allergy or asthma for the medicines
        ("z4-augmentin-625mg", "上回吃阿莫仙全身起疙瘩，嗓子发紧，去急诊打了一针才好", "zh", "block"),
        ("z4-tacsen-250mg", "예전에 부루펜 먹고 숨이 막혀서 응급실 간 적이 있어요", "ko", "block"),
        (
            "z4-tylenol-extra-strength-500mg",
            "예전에 부루펜 먹고 숨이 막혀서 응급실 간 적이 있어요",
            "ko",
            "allow",
        ),
        ("z4-advil-200mg", "ibuprofen set off an asthma attack years ago", "en", "block"),
        # a reaction now stays an emergency
        ("z4-panadol-500mg", "방금 아스피린 먹고 숨이 막혀요", "ko", "emergency"),
        ("z4-panadol-500mg", "刚才吃了阿司匹林，现在喘不上气，嗓子发紧", "zh", "emergency"),
        ("z4-panadol-500mg", "上回开的药吃了嗓子发紧喘不上气，现在还是喘不上气", "zh", "emergency"),
    ],
)
def test_past_reaction_is_history(item: str, text: str, lang: str, level: str) -> None:
    assert _check(item, text, lang)[0] == level

"""Round 23 mechanisms: cauda equina, a thunderclap onset, "been sick twice", a lasting state since a
past stroke, a Chinese past story read as history, breathing said to depend on a nasal spray, "N weeks
gone", lasting conditions, a penicillin reaction and fasting for surgery said in the text (context.yaml
``counts_as``, ``lasting``, ``allergy``), and the rules they feed (each with wording other than the
round-23 cases' own)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from medrush.safety.dosing import pregnancy_said
from medrush.safety.knowledge import build_knowledge_base, load_knowledge_base
from medrush.safety.triage import read_context
from tests.unit.safety.conftest import check_order, edited_knowledge, red_flag_codes

KB = load_knowledge_base()
TODAY = date(2026, 11, 23)


def _check(medicine_id: str, symptoms: str, **patient: Any) -> tuple[str, set[str]]:
    result = check_order(
        medicine_id, symptoms, prescribed=True, **{"age_years": 45, "sex": "female", **patient}
    )
    return result.level, {f.rule or f.code for f in result.findings}


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("my back has been bad for days and now I'm numb around my bottom", True),
        ("back pain down both legs and I can't pee since this morning", True),
        ("腰疼得厉害，会阴部发麻", True),
        ("허리가 아프고 양쪽 다리가 저리고 소변이 안 나와요", True),
        ("sciatica down one leg, no numbness, peeing normally", False),
        ("sore back and my bum went numb from sitting on a hard chair", False),
        ("腰疼，坐了三个小时屁股都坐麻了", False),
        ("허리가 아프고 자전거를 오래 탔더니 엉덩이가 저려요", False),
    ],
)
def test_cauda_equina(text: str, fires: bool) -> None:
    assert ("cauda_equina" in red_flag_codes(text)) is fires


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("the headache peaked within a minute, I'm scared", True),
        ("headache like being whacked with a cricket bat", True),
        ("headache behind my eyes, it's the worst I've ever had", True),
        ("头疼，几秒钟就疼到了极点", True),
        ("두통이 몇 초 만에 제일 심해졌어요", True),
        ("worst hangover I've ever had, with a headache", False),
        ("my usual migraine, it builds up over an hour", False),
        ("宿醉头疼，吐了两次", False),
        ("어제 술 마셔서 머리가 아파요", False),
    ],
)
def test_thunderclap_onset(text: str, fires: bool) -> None:
    assert ("thunderclap_headache" in red_flag_codes(text)) is fires


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("awful headache, neck is stiff and I've been sick twice", True),
        ("headache, neck stiff from sleeping funny and I was sick twice", False),
        ("I've been sick twice this year with colds, now a headache", False),
    ],
)
def test_been_sick_twice_and_crick(text: str, fires: bool) -> None:
    assert ("thunderclap_headache" in red_flag_codes(text)) is fires


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("my grandad has been bedbound since his stroke", False),
        ("爷爷脑梗以后一直躺在床上", False),
        ("할아버지가 뇌경색 이후로 못 걸으세요", False),
        ("since his stroke this morning he can't lift his arm", True),
        ("吃了药以后一直说不出话，嘴歪了", True),
    ],
)
def test_lasting_state_since_a_stroke(text: str, fires: bool) -> None:
    assert ("stroke" in red_flag_codes(text)) is fires


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("以前吃阿莫西林全身起风团，喘不上气，后来就再没吃过", False),
        ("小时候打针过敏，嗓子发紧喘不上气，从那以后再没打过", False),
        ("以前打针过敏过，现在嗓子发紧喘不上气", True),
        ("去年做过心脏支架，胸口疼得厉害", True),
    ],
)
def test_chinese_past_story(text: str, fires: bool) -> None:
    assert (
        bool({"anaphylaxis", "breathing_difficulty", "heart_attack"}.intersection(red_flag_codes(text)))
        is fires
    )


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("코 스프레이를 한 달째 쓰는데 안 뿌리면 숨을 못 쉬어요", False),
        ("without my nasal spray I can't breathe at night", False),
        ("흡입기 안 뿌리면 숨을 못 쉬어요", True),
        ("I can't breathe and my lips are blue", True),
    ],
)
def test_breathing_tied_to_a_nasal_spray(text: str, fires: bool) -> None:
    assert ("breathing_difficulty" in red_flag_codes(text)) is fires


@pytest.mark.parametrize(
    ("text", "weeks"),
    [
        ("I'm 14 weeks gone, can I take this?", 14),
        ("my cough is 3 weeks gone now", None),
        ("the rash was 3 weeks gone and came back", None),
    ],
)
def test_weeks_gone(text: str, weeks: int | None) -> None:
    said = pregnancy_said(text, TODAY)
    assert (said[1] if said else None) == weeks


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I've got myasthenia", "myasthenia_gravis"),
        ("我有重症肌无力", "myasthenia_gravis"),
        ("my liver is scarred, cirrhosis", "cirrhosis"),
        ("간이 딱딱하게 굳었대요", "cirrhosis"),
        ("我从小有血友病", "bleeding_disorder"),
        ("피가 잘 안 멈추는 병이 있어요", "bleeding_disorder"),
        ("had a heart attack years ago and have a stent", "coronary_disease"),
        ("去年心梗放了两个支架", "coronary_disease"),
        ("we're trying for a baby", "planning_pregnancy"),
        ("아기 가지려고 준비 중이에요", "planning_pregnancy"),
        ("她瘫在床上，坐不起来", "bedbound"),
    ],
)
def test_lasting_condition_said(text: str, code: str) -> None:
    said = read_context(KB, text)
    assert any(code in KB.context[c].counts_as for c in said)


@pytest.mark.parametrize(
    "text",
    [
        "my dad had a heart attack last year",
        "心脏一直没毛病",
        "我爸有血友病，我没有",
        "간경화는 없어요",
        "not trying for a baby, on the pill",
        "my mum has myasthenia",
    ],
)
def test_lasting_condition_not_said(text: str) -> None:
    said = read_context(KB, text)
    assert not any(KB.context[c].counts_as for c in said)


@pytest.mark.parametrize(
    ("medicine_id", "symptoms", "patient", "rule", "level"),
    [
        (
            "z4-buscopan-10mg",
            "stomach cramps, I have myasthenia",
            {},
            "condition.myasthenia_hyoscine_butylbromide",
            "block",
        ),
        (
            "z12-terbinafine-250mg-tab",
            "灰指甲，查出肝硬化",
            {"sex": "male"},
            "condition.liver_terbinafine_tablets",
            "block",
        ),
        (
            "z4-bayer-aspirin-500mg",
            "두통. 혈우병 환자예요",
            {"sex": "male"},
            "condition.bleeding_nsaids",
            "block",
        ),
        (
            "zr-febuxostat-40mg-tab",
            "gout; I had a heart attack in 2019",
            {"sex": "male", "conditions": ["gout"]},
            "condition.febuxostat_cardiovascular",
            "warn",
        ),
        ("t-isotretinoin-20", "痘痘严重，我们在备孕", {}, "condition.planning_pregnancy_teratogens", "block"),
        (
            "zr-alendronic-acid-70mg-tab",
            "mum is bedbound and can't sit up",
            {"age_years": 85},
            "condition.alendronate_contraindications",
            "block",
        ),
        (
            "zr-forxiga-10mg",
            "내일 수술이라 금식하래요",
            {"sex": "male", "conditions": ["type 2 diabetes"]},
            "condition.sglt2_surgery_fasting",
            "warn",
        ),
    ],
)
def test_said_conditions_feed_the_rules(
    medicine_id: str, symptoms: str, patient: dict[str, Any], rule: str, level: str
) -> None:
    got, ids = _check(medicine_id, symptoms, **patient)
    assert got == level
    assert rule in ids


@pytest.mark.parametrize(
    ("symptoms", "level"),
    [
        ("tooth abscess; I'm allergic to penicillin", "block"),
        ("小时候打青霉素起过风团，后来再没用过", "block"),
        ("페니실린 맞고 두드러기가 났었어요", "block"),
        ("tooth abscess; amoxicillin upset my stomach once, not an allergy", "allow"),
        ("以前吃阿莫西林拉肚子，没有过敏", "allow"),
    ],
)
def test_penicillin_reaction_said(symptoms: str, level: str) -> None:
    got, ids = _check("z4-augmentin-625mg", symptoms, sex="male")
    assert got == level
    assert ("allergy_class" in ids) is (level == "block")


def test_said_finding_names_the_words() -> None:
    result = check_order("z4-buscopan-10mg", "cramps, I have myasthenia", age_years=40, sex="female")
    finding = next(f for f in result.findings if f.rule == "condition.myasthenia_hyoscine_butylbromide")
    assert "you mentioned myasthenia" in finding.message


def test_counts_as_must_name_known_conditions(tmp_path: Path) -> None:
    def edit(raw: Any) -> None:
        raw["concepts"]["myasthenia_said"]["counts_as"] = ["no_such"]

    folder = edited_knowledge(tmp_path, "context.yaml", edit)
    with pytest.raises(ValueError, match="counts_as"):
        build_knowledge_base(folder)

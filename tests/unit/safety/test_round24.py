"""Round 24 mechanisms: regular medicines said in the text (context.yaml ``medicines`` with ``{names}``),
heart failure said in everyday words, a Chinese blood pressure reading further after 血压, the red flag
battery_child, "take them all and never wake up", and cataract as a known condition (each with wording other
than the round-24 cases' own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medrush.safety.knowledge import build_knowledge_base, load_knowledge_base
from medrush.safety.triage import read_context
from tests.unit.safety.conftest import aged, check_order, edited_knowledge, red_flag_codes

KB = load_knowledge_base()
CHILD = aged(3)


def _check(medicine_id: str, symptoms: str, **patient: Any) -> tuple[str, set[str], list[str]]:
    result = check_order(
        medicine_id, symptoms, prescribed=True, **{"age_years": 45, "sex": "female", **patient}
    )
    return result.level, {f.rule or f.code for f in result.findings}, [f.message for f in result.findings]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("I'm on Camcolit 400 mg at night", "lithium"),
        ("been on lithium carbonate for years", "lithium"),
        ("I take warfarin every evening", "warfarin"),
        ("sore knee, is it ok with my warfarin?", "warfarin"),
        ("digoxin 62.5 micrograms each morning", "digoxin"),
        ("I'm on Aurorix for my nerves", "moclobemide"),
        ("每天晚上吃一片华法林", "warfarin"),
        ("一直在服用卡马西平", "carbamazepine"),
        ("地高辛每天早上半片", "digoxin"),
        ("와파린 하루 한 알 먹고 있어요", "warfarin"),
        ("먹고 있는 약은 디곡신이에요", "digoxin"),
        ("오로릭스 복용 중이에요", "moclobemide"),
    ],
)
def test_regular_medicine_said_is_read(text: str, said: str) -> None:
    words = read_context(KB, text).get("regular_medicine_said")
    assert words is not None
    names = [name for name, pattern in KB.context["regular_medicine_said"].medicines if pattern.search(words)]
    assert names == [said]


@pytest.mark.parametrize(
    "text",
    [
        "my dad is on warfarin",
        "my mum's on lithium",
        "I used to be on lithium",
        "I stopped warfarin last year",
        "came off sertraline in the spring",
        "not on warfarin",
        "a lithium battery",
        "我爸在吃华法林",
        "华法林已经停了",
        "以前吃过碳酸锂",
        "玩具里的锂电池没电了",
        "아버지가 와파린 드세요",
        "리튬 먹다가 끊었어요",
        "와파린은 안 먹어요",
    ],
)
def test_regular_medicine_not_said(text: str) -> None:
    assert "regular_medicine_said" not in read_context(KB, text)


def test_a_medicine_said_joins_the_current_medicines_with_its_words() -> None:
    level, rules, messages = _check("z4-nurofen-200mg", "back ache. I'm on Priadel 400mg at night")
    assert level == "block"
    assert rules == {"interaction.lithium_nsaids"}
    assert "you mentioned taking: “im on priadel”" in messages[0]


def test_a_medicine_said_and_listed_counts_once() -> None:
    level, _, messages = _check(
        "z4-nurofen-200mg", "I take warfarin every evening", current_medications=["warfarin 3 mg"]
    )
    assert level == "block"
    assert len(messages) == 1
    assert "you mentioned" not in messages[0]


def test_a_medicine_said_with_no_rule_for_the_order_allows() -> None:
    assert _check("z4-panadol-500mg", "I'm on priadel 800mg at night")[0] == "allow"


def test_medicines_must_be_known_ingredients(tmp_path: Path) -> None:
    def edit(raw: Any) -> None:
        medicines = raw["concepts"]["regular_medicine_said"]["medicines"]
        medicines[medicines.index("warfarin")] = "no_such_drug"

    folder = edited_knowledge(tmp_path, "context.yaml", edit)
    with pytest.raises(ValueError, match="no_such_drug"):
        build_knowledge_base(folder)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("bloated after food; I have congestive heart failure", "block"),
        ("饭后胃胀，前年心力衰竭住过院", "block"),
        ("속이 더부룩해요. 심부전 때문에 약 먹고 있어요", "block"),
        ("my gran has heart failure, I'm just queasy", "allow"),
        ("排除了心衰，就是消化不好", "allow"),
        ("엄마가 심부전이에요. 저는 체했어요", "allow"),
    ],
)
def test_heart_failure_said_with_domperidone(text: str, level: str) -> None:
    assert _check("z10-motilium-10mg", text, age_years=66, sex="male")[0] == level


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("鼻子不通。血压控制得不好，昨天晚上量了两次都是168/102", True),
        ("鼻子不通。血压控制得挺好，昨天晚上量了两次都是128/82", False),
    ],
)
def test_blood_pressure_reading_further_after_the_word(text: str, fires: bool) -> None:
    assert ("high_bp_reading" in read_context(KB, text)) is fires


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        (
            "one of the coin batteries from the kitchen scales has disappeared and he was playing with them",
            True,
        ),
        ("we can't find the button battery from the remote", True),
        ("she might have swallowed a small magnet", True),
        ("遥控器里的扣式电池不见了，孩子刚才在玩", True),
        ("担心孩子吞了电池", True),
        ("리모컨 코인 건전지가 없어졌어요", True),
        ("아이가 건전지를 삼킨 것 같아요", True),
        ("the button battery was missing but we found it in the toy box", False),
        ("need new batteries for the remote", False),
        ("纽扣电池找到了，在床底下", False),
        ("手表的纽扣电池没电了", False),
        ("단추형 건전지를 새로 샀어요", False),
    ],
)
def test_battery_child(text: str, fires: bool) -> None:
    assert ("battery_child" in red_flag_codes(text, CHILD)) is fires


def test_battery_child_needs_a_child() -> None:
    assert "battery_child" not in red_flag_codes("can't find the button battery for my watch")


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("I'll swallow the whole box and never wake up", True),
        ("全部吃了就再也不醒了", True),
        ("약을 통째로 삼키고 영원히 안 깨어나", True),
        ("I could sleep and never wake up till noon", False),
        ("아침에 안 깨어나고 싶을 만큼 피곤해요", False),
        ("한꺼번에 다 먹고 깨어나니까 속이 쓰려요", False),
    ],
)
def test_not_waking_up_after_taking_them_all(text: str, fires: bool) -> None:
    assert ("suicidal_intent" in red_flag_codes(text)) is fires


@pytest.mark.parametrize("entry", ["cataract", "cataracts", "白内障", "백내장"])
def test_cataract_is_known(entry: str) -> None:
    assert KB.condition_term(entry).value == "cataract"

"""Context read from the symptom text (context.yaml): transient conditions for the medicine checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from medrush.safety import check
from medrush.safety.knowledge import build_knowledge_base, load_knowledge_base
from medrush.safety.ports import ProductListPorts
from medrush.safety.triage import read_context
from tests.unit.safety.conftest import edited_knowledge

KB = load_knowledge_base()
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("itchy hives, I'm going out drinking tonight", "alcohol_now"),
        ("can I still have a few drinks?", "alcohol_now"),
        ("been at the pub all evening", "alcohol_now"),
        ("今晚还要陪客户喝酒", "alcohol_now"),
        ("能不能喝酒", "alcohol_now"),
        ("술을 꽤 마셨는데", "alcohol_now"),
        ("술 마실 것 같아요", "alcohol_now"),
        ("flu, aching all over", "viral_illness"),
        # round 21: chickenpox is also its own concept (NSAIDs in chickenpox)
        ("recovering from chickenpox", "viral_illness,chickenpox"),
        ("孩子得了流感", "viral_illness"),
        ("독감 걸렸어요", "viral_illness"),
    ],
)
def test_said_in_the_text(text: str, code: str) -> None:
    assert sorted(read_context(KB, text)) == sorted(code.split(","))


@pytest.mark.parametrize(
    "text",
    [
        "I'm not drinking tonight",
        "I don't drink",
        "quit drinking",
        "drinking water",
        "drink plenty of fluids",
        "it hurts when I drink",
        "toast for breakfast",
        "alcohol wipes on the cut",
        "没喝酒",
        "我平时不喝酒",
        "多喝热水",
        "医生说不能喝酒",
        "술 안 마셔요",
        "물 마셔요",
        "수술 후 먹는 약",
        "had flu last year",
        "flu jab",
        "stomach flu",
        "Lemsip cold and flu",
        "不是流感",
        "流感疫苗",
        "독감 예방접종",
        "작년에 독감 걸렸었어요",
        "수두룩해요",
        "",
        None,
    ],
)
def test_not_said(text: str | None) -> None:
    assert read_context(KB, text) == {}


def _run(ports: ProductListPorts, patient: dict[str, object], item: str, symptoms: str, lang: str = "en"):
    request = {"patient": patient, "items": [{"medicine_id": item}], "symptoms": symptoms, "lang": lang}
    return check(request, resolve=ports.resolve, get=ports.get, jurisdiction="generic", today=TODAY)


def test_finding_says_the_fact_came_from_the_text(ports: ProductListPorts) -> None:
    result = _run(ports, {"age_years": 30}, "t-diphenhydramine-25", "hives, going out drinking tonight")
    assert result.level == "warn"
    (finding,) = result.findings
    assert finding.rule == "condition.alcohol_sedating_antihistamines"
    assert finding.message.endswith("(you mentioned drinking alcohol: \u201cout drinking\u201d)")
    zh = _run(ports, {"age_years": 30}, "t-diphenhydramine-25", "今晚要喝酒", lang="zh")
    assert zh.findings[0].message.endswith("（您提到了饮酒：\u201c喝酒\u201d）")


def test_profile_condition_needs_no_mention(ports: ProductListPorts) -> None:
    patient = {"age_years": 30, "conditions": ["heavy drinker"]}
    result = _run(ports, patient, "t-diphenhydramine-25", "hives, going out drinking tonight")
    (finding,) = result.findings
    assert finding.rule == "condition.alcohol_sedating_antihistamines"
    assert "mentioned" not in finding.message


def test_context_is_only_for_the_medicine_checks(ports: ProductListPorts) -> None:
    # no items: nothing to check the context against, and it never becomes an emergency by itself
    request = {"patient": {"age_years": 17}, "items": [], "symptoms": "flu and going out drinking"}
    result = check(request, resolve=ports.resolve, get=ports.get, jurisdiction="generic", today=TODAY)
    assert result.level == "allow"


def test_context_code_may_not_be_a_profile_condition(tmp_path: Path) -> None:
    def edit(raw: Any) -> None:
        raw["concepts"]["asthma"] = raw["concepts"]["viral_illness"]

    folder = edited_knowledge(tmp_path, "context.yaml", edit)
    with pytest.raises(ValueError, match="asthma"):
        build_knowledge_base(folder)


def test_context_concept_needs_a_source(tmp_path: Path) -> None:
    def edit(raw: Any) -> None:
        del raw["concepts"]["alcohol_now"]["source"]

    folder = edited_knowledge(tmp_path, "context.yaml", edit)
    with pytest.raises(ValueError, match="source"):
        build_knowledge_base(folder)


def test_context_medicine_must_be_a_known_ingredient(tmp_path: Path) -> None:
    def edit(raw: Any) -> None:
        raw["concepts"]["grapefruit_intake"]["medicine"] = "pomelo"

    folder = edited_knowledge(tmp_path, "context.yaml", edit)
    with pytest.raises(ValueError, match="pomelo"):
        build_knowledge_base(folder)


def test_grapefruit_said_joins_the_current_medicines(ports: ProductListPorts) -> None:
    result = check(
        {
            "patient": {"age_years": 60},
            "items": [{"medicine_id": "t-simvastatin-20"}],
            "prescriptions": [
                {"medicine_id": "t-simvastatin-20", "status": "approved", "valid_until": "2026-12-31"}
            ],
            "symptoms": "I have grapefruit juice every morning",
            "lang": "en",
        },
        resolve=ports.resolve,
        get=ports.get,
        today=TODAY,
    )
    assert result.level == "warn"
    finding = next(f for f in result.findings if f.code == "interaction")
    assert "you mentioned grapefruit" in finding.message
    assert finding.items[1].current_medication == "grapefruit"

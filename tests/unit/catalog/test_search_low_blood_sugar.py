"""Low blood sugar is no diabetes (after round 32).

"저혈당 응급", "低血糖 怎么办" and "low blood sugar" listed the medicines that lower blood sugar
(acarbose, glimepiride, the gliflozins: 혈당 and 血糖 read as part of diabetes), "저혈당 응급" then
the emergency contraceptives (응급 as part of 응급피임약) and "glucose tablets" the test strips. Low
blood sugar is a symptom key of its own now, answered by the meters that check it; glucose tablets and
gels and glucagon are not carried and answer nothing; 응급 or 急救 beside it is urgency. Source: NHS
"Low blood sugar (hypoglycaemia)": sugar at once, then check (from memory).
"""

from __future__ import annotations

import pytest
from tests.unit.catalog.searching import product_of, top_ids

from medrush.catalog.search import SearchIndex

LOW = [
    "low blood sugar",
    "I'm diabetic and my blood sugar is low",
    "hypoglycaemia",
    "低血糖 怎么办",
    "血糖低",
    "低血糖 急救",
    "저혈당",
    "저혈당 응급",
    "혈당이 떨어졌어요",
]


@pytest.mark.parametrize("query", LOW)
def test_low_blood_sugar_answers_the_meters_never_a_medicine_that_lowers_it(
    shipped: SearchIndex, query: str
) -> None:
    ids = top_ids(shipped, query)
    assert ids, query
    assert not any((product_of(shipped, pid).atc or "").startswith("A10") for pid in ids), (query, ids)
    assert not any(pid.startswith(("levonorgestrel", "ellaone", "norlevo", "plan-b")) for pid in ids), ids
    assert "blood_glucose_monitoring" in product_of(shipped, ids[0]).indications, (query, ids)


@pytest.mark.parametrize("query", ["glucose tablets", "葡萄糖片", "포도당 캔디", "glucagon"])
def test_fast_sugar_and_glucagon_are_not_carried(shipped: SearchIndex, query: str) -> None:
    assert shipped.search(query) == []


@pytest.mark.parametrize("query", ["high blood sugar", "혈당", "糖尿病 药"])
def test_high_blood_sugar_still_finds_the_diabetes_medicines(shipped: SearchIndex, query: str) -> None:
    ids = top_ids(shipped, query)
    assert any((product_of(shipped, pid).atc or "").startswith("A10") for pid in ids), (query, ids)

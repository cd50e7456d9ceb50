"""Exact results of the engine on small hand-made requests."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from medrush.safety import Patient, SafetyRequest, check, check_profile_items, mark_products
from medrush.safety.ports import ProductListPorts
from tests.unit.safety.conftest import make_product

TODAY = date(2026, 11, 23)


def run(ports: ProductListPorts, request: dict, **kwargs: object):
    """Check with an adult patient unless the request gives an age."""
    request = {**request, "patient": {"age_years": 35, **request.get("patient", {})}}
    return check(request, resolve=ports.resolve, get=ports.get, jurisdiction="generic", today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_example_request_is_allowed(ports: ProductListPorts) -> None:
    result = run(
        ports,
        {
            "patient": {
                "age_years": 35,
                "sex": "female",
                "pregnant": False,
                "pregnancy_weeks": None,
                "breastfeeding": False,
                "allergies": [],
                "conditions": [],
                "current_medications": [],
            },
            "items": [{"query": "ibuprofen 200 mg", "quantity": 1}],
            "symptoms": "headache since this morning",
        },
    )
    assert result.to_json_dict() == {"level": "allow", "findings": []}


def test_warfarin_and_ibuprofen_block_with_both_items_named(ports: ProductListPorts) -> None:
    result = run(
        ports,
        {"patient": {"current_medications": ["warfarin"]}, "items": [{"medicine_id": "t-ibuprofen-200"}]},
    )
    assert result.level == "block"
    assert result.codes == ["interaction"]
    finding = result.findings[0]
    assert finding.message == (
        "Ibuprofen 200 mg tablets + warfarin: "
        "Warfarin with NSAIDs or aspirin greatly increases the risk of serious bleeding."
    )
    assert [i.model_dump(exclude_none=True) for i in finding.items] == [
        {"index": 0, "medicine_id": "t-ibuprofen-200"},
        {"current_medication": "warfarin"},
    ]
    assert finding.source is not None and "warfarin" in finding.source


def test_messages_follow_the_language(ports: ProductListPorts) -> None:
    request = {"patient": {"age_years": 10}, "items": [{"medicine_id": "t-aspirin-300"}]}
    zh = run(ports, {**request, "lang": "zh"})
    ko = run(ports, request, lang="ko")
    assert (
        zh.findings[0].message
        == "阿司匹林片 300mg: 16岁以下儿童和青少年不得使用阿司匹林（有瑞夷综合征风险）。"
    )
    assert (
        ko.findings[0].message
        == "아스피린정 300mg: 16세 미만 어린이·청소년에게는 아스피린을 사용하면 안 됩니다(라이증후군 위험)."
    )


@pytest.mark.parametrize(("jurisdiction", "number"), [("cn", "120"), ("kr", "119")])
def test_emergency_uses_the_local_number(ports: ProductListPorts, jurisdiction: str, number: str) -> None:
    result = check(
        {"symptoms": "crushing chest pain", "items": [{"medicine_id": "t-aspirin-300"}]},
        resolve=ports.resolve,
        get=ports.get,
        jurisdiction=jurisdiction,
    )
    assert result.level == "emergency"
    assert result.findings[0].code == "red_flag.heart_attack"
    assert f"Call {number} " in result.findings[0].message


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Call your local emergency number now"),
        ("zh", "请立即拨打当地急救电话"),
        ("ko", "현지 응급번호로 전화하세요"),
    ],
)
def test_with_no_jurisdiction_the_emergency_names_the_local_number_and_the_common_ones(
    ports: ProductListPorts, lang: str, said: str
) -> None:
    # 112 alone sent a Korean reader to the police (Korea: 119 ambulance, 112 police; China: 120 ambulance)
    result = check(
        {"symptoms": "crushing chest pain", "lang": lang, "items": [{"medicine_id": "t-aspirin-300"}]},
        resolve=ports.resolve,
        get=ports.get,
    )
    assert result.level == "emergency"
    message = result.findings[0].message
    assert said in message
    assert all(number in message for number in ("112", "119", "120", "911", "999")), message


def test_unknown_item_is_reported_and_the_rest_checked(ports: ProductListPorts) -> None:
    result = run(
        ports,
        {"patient": {"age_years": 9}, "items": [{"query": "florbex"}, {"medicine_id": "t-aspirin-300"}]},
    )
    assert result.level == "block"
    assert result.codes == ["age_contraindication", "unknown_item"]
    assert result.findings[1].message == '"florbex" was not found in the catalog, so it could not be checked.'


def test_unresolved_query_naming_an_ingredient_is_still_checked(ports: ProductListPorts) -> None:
    result = run(
        ports, {"patient": {"allergies": ["codeine"]}, "items": [{"query": "codeine linctus 15 mg"}]}
    )
    assert result.level == "block"
    assert result.codes == ["allergy", "unknown_item"]


def test_rx_needs_a_valid_reviewed_prescription(ports: ProductListPorts) -> None:
    item = {"items": [{"medicine_id": "t-amoxicillin-500"}]}
    assert run(ports, item).codes == ["rx_required"]
    ok = {
        **item,
        "prescriptions": [
            {"medicine_id": "t-amoxicillin-500", "status": "reviewed", "valid_until": "2026-11-23"}
        ],
    }
    assert run(ports, ok).level == "allow"
    expired = {
        **item,
        "prescriptions": [
            {"medicine_id": "t-amoxicillin-500", "status": "reviewed", "valid_until": "2026-11-22"}
        ],
    }
    assert run(ports, expired).codes == ["rx_required"]


def test_prescription_port_is_asked_when_the_request_has_none(ports: ProductListPorts) -> None:
    asked: list[str] = []

    def has_rx(product):
        asked.append(product.id)
        return True

    result = run(ports, {"items": [{"medicine_id": "t-amoxicillin-500"}]}, has_prescription=has_rx)
    assert result.level == "allow"
    assert asked == ["t-amoxicillin-500"]


def test_always_rx_ingredient_overrides_a_wrong_catalog_class() -> None:
    product = make_product("warf", ("warfarin", 5.0, "mg"), rx_class="otc_b")
    result = check_profile_items({"age_years": 50}, [product])
    assert result.codes == ["rx_required"]


def test_age_findings_keep_only_the_strictest_rule(ports: ProductListPorts) -> None:
    result = run(ports, {"patient": {"age_years": 1}, "items": [{"medicine_id": "t-loperamide-2"}]})
    assert [(f.code, f.severity, f.rule) for f in result.findings] == [
        ("age_contraindication", "block", "age.loperamide_under_2")
    ]


def test_pregnancy_weeks_choose_the_rule(ports: ProductListPorts) -> None:
    early = run(
        ports,
        {"patient": {"pregnant": True, "pregnancy_weeks": 12}, "items": [{"medicine_id": "t-ibuprofen-200"}]},
    )
    late = run(
        ports,
        {"patient": {"pregnant": True, "pregnancy_weeks": 20}, "items": [{"medicine_id": "t-ibuprofen-200"}]},
    )
    assert [f.rule for f in early.findings] == ["pregnancy.nsaids_before_20_weeks"]
    assert [f.rule for f in late.findings] == ["pregnancy.nsaids_from_20_weeks"]


def test_duplicate_paracetamol_names_the_daily_maximum(ports: ProductListPorts) -> None:
    result = run(ports, {"items": [{"medicine_id": "t-cold-flu"}, {"medicine_id": "t-cold-day"}]})
    assert result.level == "warn"
    assert result.codes == ["duplicate_ingredient_max", "therapeutic_duplication"]
    assert result.findings[0].message == (
        "paracetamol is in both Cold and flu tablets and Day cold relief capsules: "
        "take no more than 4000 mg of paracetamol a day from all products together."
    )


def test_same_product_twice_is_not_a_duplicate(ports: ProductListPorts) -> None:
    result = run(
        ports, {"items": [{"medicine_id": "t-paracetamol-500"}, {"medicine_id": "t-paracetamol-500"}]}
    )
    assert result.level == "allow"


def test_quantity_limit(ports: ProductListPorts) -> None:
    result = run(ports, {"items": [{"medicine_id": "t-paracetamol-500", "quantity": 3}]})
    assert result.codes == ["quantity_limit"]
    assert result.findings[0].message == "Paracetamol 500 mg tablets: at most 2 packs per order."


def test_icd10_and_three_languages_name_the_same_condition(ports: ProductListPorts) -> None:
    for term in ("K25", "k26.9", "stomach ulcer", "胃溃疡", "위궤양"):
        result = run(ports, {"patient": {"conditions": [term]}, "items": [{"medicine_id": "t-naproxen-220"}]})
        assert [f.rule for f in result.findings] == ["condition.ulcer_nsaids"], term


def test_unknown_age_warns_for_age_limited_medicines(ports: ProductListPorts) -> None:
    result = run(ports, {"patient": {"age_years": None}, "items": [{"medicine_id": "t-aspirin-300"}]})
    assert result.codes == ["age_unknown"]
    assert result.level == "warn"


def test_unknown_terms_are_reported(ports: ProductListPorts) -> None:
    result = run(
        ports,
        {
            "patient": {
                "allergies": ["grobnex"],
                "conditions": ["Z99.8"],  # Z99.2 (dialysis) names kidney failure since round 12
                "current_medications": ["zorblatine"],
            },
            "items": [{"medicine_id": "t-paracetamol-500"}],
        },
    )
    assert result.level == "warn"
    assert sorted(result.codes) == ["unknown_allergy", "unknown_condition", "unknown_medication"]


def test_none_words_are_not_unknown_terms(ports: ProductListPorts) -> None:
    result = run(ports, {"patient": {"allergies": ["none", "无"], "conditions": ["없음"]}, "items": []})
    assert result.to_json_dict() == {"level": "allow", "findings": []}


def test_impossible_input_is_refused() -> None:
    with pytest.raises(ValidationError):
        SafetyRequest.model_validate({"patient": {"age_years": -1}})
    with pytest.raises(ValidationError):
        SafetyRequest.model_validate({"items": [{"medicine_id": "a", "query": "b"}]})
    with pytest.raises(ValidationError):
        SafetyRequest.model_validate({"items": [{"query": "a", "quantity": 0}]})
    with pytest.raises(ValidationError):
        SafetyRequest.model_validate({"patient": {"age_years": "old"}})
    with pytest.raises(ValidationError):
        SafetyRequest.model_validate({"patient": {"sex": "xyz"}})
    with pytest.raises(ValidationError):
        SafetyRequest.model_validate({"items": [{"query": "a", "quantity": 2.5}]})


def test_liberal_input_is_read_and_unknown_keys_are_reported() -> None:
    request = SafetyRequest.model_validate(
        {
            "patient": {
                "age": "7 months",
                "gender": "女",
                "allergies": "penicillin, 1,000 mg x",
                "weight": 3,
            },
            "items": ["ibuprofen 200 mg", {"name": "Tylenol", "qty": "2", "price": 1}],
            "symptoms": ["fever", "cough"],
            "lang": "zh-CN",
            "request_id": "r1",
        }
    )
    assert round(request.patient.age_years or 0, 2) == 0.58
    assert request.patient.sex == "female"
    assert request.patient.allergies == ["penicillin", "1,000 mg x"]
    assert [(i.query, i.quantity) for i in request.items] == [("ibuprofen 200 mg", 1), ("Tylenol", 2)]
    assert request.symptoms == "fever; cough"
    assert request.lang == "zh"
    assert request.ignored_fields == ["request_id", "patient.weight", "items.1.price"]
    result = check(request, resolve=lambda _q: None, get=lambda _i: None)
    assert "ignored_fields" in result.codes


def test_dose_above_daily_max_in_one_unit() -> None:
    product = make_product("big", ("acetaminophen", 5.0, "g"))
    result = check_profile_items(Patient(age_years=40), [product])
    assert result.codes == ["dose_above_daily_max"]
    assert result.level == "block"


def test_product_label_minimum_age() -> None:
    product = make_product("adult-only", ("cetirizine", 10.0, "mg"), min_age_years=6)
    assert check_profile_items({"age_years": 4}, [product]).codes == ["age_label"]
    assert check_profile_items({"age_years": 6}, [product]).level == "allow"


def test_mark_products_checks_each_product_alone(ports: ProductListPorts) -> None:
    products = [ports.get("t-ibuprofen-200"), ports.get("t-naproxen-220"), ports.get("t-paracetamol-500")]
    marks = mark_products({"age_years": 40, "conditions": ["peptic ulcer"]}, [p for p in products if p])
    assert {pid: r.level for pid, r in marks.items()} == {
        "t-ibuprofen-200": "block",
        "t-naproxen-220": "block",
        "t-paracetamol-500": "allow",
    }


def test_check_profile_items_needs_matching_quantities() -> None:
    product = make_product("p", ("paracetamol", 500.0, "mg"))
    with pytest.raises(ValueError, match="quantities"):
        check_profile_items({}, [product], [1, 2])


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("Contraindicated in pregnancy.", ["block"]),
        ("Ask a doctor or pharmacist before use.", ["warn"]),
        ("Not absorbed in meaningful amounts; considered acceptable.", []),
        ("Considered compatible with pregnancy when prescribed.", []),
        (None, []),
    ],
)
def test_catalog_pregnancy_statement(statement: str | None, expected: list[str]) -> None:
    product = make_product("label", ("vitamin c", 500.0, "mg"), pregnancy=statement)
    result = check_profile_items({"age_years": 30, "pregnant": True, "pregnancy_weeks": 10}, [product])
    assert [f.severity for f in result.findings] == expected


def test_kb_pregnancy_rule_replaces_the_catalog_statement() -> None:
    product = make_product(
        "nsaid", ("ibuprofen", 200.0, "mg"), pregnancy="Ask a doctor or pharmacist before use."
    )
    result = check_profile_items({"age_years": 30, "pregnant": True, "pregnancy_weeks": 30}, [product])
    assert [(f.code, f.severity) for f in result.findings] == [("pregnancy", "block")]


def test_catalog_statement_stricter_than_the_rule_is_kept() -> None:
    product = make_product("cod", ("codeine", 30.0, "mg"), pregnancy="Contraindicated in pregnancy.")
    result = check_profile_items({"age_years": 30, "pregnant": True, "pregnancy_weeks": 10}, [product])
    assert [(f.code, f.severity) for f in result.findings] == [
        ("pregnancy_label", "block"),
        ("pregnancy", "warn"),
    ]


def test_older_adult_rules_need_a_known_age(ports: ProductListPorts) -> None:
    assert run(
        ports, {"patient": {"age_years": 66}, "items": [{"medicine_id": "t-doxylamine-25"}]}
    ).codes == ["older_adult_caution"]
    assert (
        run(ports, {"patient": {"age_years": 64}, "items": [{"medicine_id": "t-doxylamine-25"}]}).level
        == "allow"
    )


def test_allergy_to_a_catalog_brand_means_its_ingredients(ports: ProductListPorts) -> None:
    result = run(
        ports,
        {
            "patient": {"allergies": ["Co-codamol 8/500 tablets"]},
            "items": [{"medicine_id": "t-paracetamol-500"}],
        },
    )
    assert result.codes == ["allergy"]
    assert (
        result.findings[0].message
        == "Paracetamol 500 mg tablets contains paracetamol, which the patient is allergic to."
    )


def test_free_text_lists_and_phrases_are_recognised(ports: ProductListPorts) -> None:
    result = run(
        ports,
        {
            "patient": {
                "conditions": ["history of stomach ulcer, high BP"],
                "current_medications": ["我在吃华法林"],
            },
            "items": [{"medicine_id": "t-cold-flu"}, {"medicine_id": "t-naproxen-220"}],
        },
    )
    assert sorted({f.rule for f in result.findings if f.rule}) == [
        "condition.hypertension_decongestants",
        "condition.ulcer_nsaids",
        "interaction.warfarin_nsaids",
    ]


def test_mouth_ulcer_is_not_a_peptic_ulcer(ports: ProductListPorts) -> None:
    for term in ("mouth ulcer", "口腔溃疡", "구내염"):
        result = run(
            ports, {"patient": {"conditions": [term]}, "items": [{"medicine_id": "t-ibuprofen-200"}]}
        )
        assert result.level == "allow", term


@pytest.mark.parametrize(
    "meds", ["warfarin and lithium", "华法林和碳酸锂", "와파린과 리튬", "warfarin; lithium"]
)
def test_two_medicines_in_one_entry_are_both_checked(ports: ProductListPorts, meds: str) -> None:
    result = run(
        ports, {"patient": {"current_medications": [meds]}, "items": [{"medicine_id": "t-ibuprofen-200"}]}
    )
    assert sorted(f.rule for f in result.findings if f.rule) == [
        "interaction.lithium_nsaids",
        "interaction.warfarin_nsaids",
    ]


def test_vitamin_duplicates_warn_only_above_the_upper_intake() -> None:
    caltrate = make_product("cal", ("calcium carbonate", 600.0, "mg"), ("colecalciferol", 400.0, "IU"))
    d3 = make_product("d3", ("colecalciferol", 1000.0, "IU"))
    big = make_product("d3-big", ("colecalciferol", 100.0, "mcg"))  # 4,000 IU
    assert check_profile_items({"age_years": 50}, [caltrate, d3]).level == "allow"
    assert "duplicate_ingredient" in check_profile_items({"age_years": 50}, [caltrate, big]).codes


def test_folic_acid_and_prenatal_vitamins_are_not_warned_in_pregnancy() -> None:
    label = "Usual supplement doses are acceptable; avoid high-dose vitamin A."
    folic = make_product("folic", ("folic acid", 0.4, "mg"), pregnancy=label)
    prenatal = make_product(
        "pre",
        ("multivitamins", None, None),
        name_en="Elevit pronatal",
        category="vitamins_minerals",
        pregnancy=label,
    )
    plain = make_product(
        "multi", ("multivitamins", None, None), category="vitamins_minerals", pregnancy=label
    )
    pregnant = {"age_years": 30, "sex": "female", "pregnant": True, "pregnancy_weeks": 8}
    assert check_profile_items(pregnant, [folic]).level == "allow"
    assert check_profile_items(pregnant, [prenatal]).level == "allow"
    assert check_profile_items(pregnant, [plain]).codes == ["pregnancy_label"]


def test_adult_nsaid_age_rule_spares_a_product_labelled_for_the_age() -> None:
    syrup = make_product("dexi-syrup", ("dexibuprofen", None, None), min_age_years=0.5)
    tablet = make_product("dexi-tab", ("dexibuprofen", 300.0, "mg"))
    assert check_profile_items({"age_years": 2}, [syrup]).level == "allow"
    assert check_profile_items({"age_years": 2}, [tablet]).codes == ["age_contraindication"]


def test_lay_class_words_for_current_medicines(ports: ProductListPorts) -> None:
    for words in ("혈압약", "降压药", "blood pressure pills", "당뇨약", "降糖药", "혈액 희석제"):
        result = run(
            ports, {"patient": {"current_medications": [words]}, "items": [{"query": "paracetamol"}]}
        )
        assert "unknown_medication" not in result.codes, words


def test_berberine_is_blocked_in_g6pd_deficiency() -> None:
    berberine = make_product("berb", ("berberine", 100.0, "mg"))
    assert check_profile_items({"age_years": 27, "conditions": ["蚕豆病"]}, [berberine]).level == "block"

"""Each jurisdiction rule, one by one, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from medrush.accounts import SYSTEM, Actor, Role
from medrush.kernel.errors import InvalidInput, PermissionDenied
from medrush.prescriptions import profile_for

DOCTOR = Actor(user_id=uuid.uuid4(), roles=frozenset({str(Role.DOCTOR)}))
PHARMACIST = Actor(user_id=uuid.uuid4(), roles=frozenset({str(Role.PHARMACIST)}))
VERIFIED = datetime(2026, 1, 1, tzinfo=UTC)
TODAY = date(2026, 11, 23)
PRIOR = {"diagnosis": "allergic rhinitis", "diagnosed_on": "2026-03-02", "institution": "Ruijin Hospital"}


def test_profiles_as_data() -> None:
    cn, kr, generic = profile_for("cn"), profile_for("kr"), profile_for("generic")
    assert (cn.follow_up_only, cn.real_name_required, cn.prescription_before_medicine) == (True, True, True)
    assert (cn.retention_years, cn.max_validity_days) == (15, 3)
    assert (kr.pickup_only, kr.follow_up_only) == (True, False)
    assert (generic.real_name_required, generic.follow_up_only, generic.retention_years) == (False, False, 10)


def test_unknown_profile_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        profile_for("xx")
    assert err.value.code == "unknown_jurisdiction"


@pytest.mark.parametrize("code", ["cn", "kr", "generic"])
def test_nothing_prescribed_automatically(code: str) -> None:
    with pytest.raises(PermissionDenied) as err:
        profile_for(code).check_can_sign(SYSTEM)
    assert err.value.code == "automatic_prescribing"


def test_only_a_doctor_signs() -> None:
    cn = profile_for("cn")
    cn.check_can_sign(DOCTOR)
    with pytest.raises(PermissionDenied) as err:
        cn.check_can_sign(PHARMACIST)
    assert err.value.code == "not_a_doctor"


def test_cn_follow_up_needs_prior_diagnosis() -> None:
    cn = profile_for("cn")
    cn.check_prior_diagnosis(PRIOR, TODAY)
    for bad in (None, {}, {**PRIOR, "diagnosis": " "}, {**PRIOR, "institution": ""}):
        with pytest.raises(InvalidInput) as err:
            cn.check_prior_diagnosis(bad, TODAY)
        assert err.value.code == "follow_up_required"
    with pytest.raises(InvalidInput):
        cn.check_prior_diagnosis({**PRIOR, "diagnosed_on": "2026-12-01"}, TODAY)
    with pytest.raises(InvalidInput):
        cn.check_prior_diagnosis({**PRIOR, "diagnosed_on": "yesterday"}, TODAY)


def test_generic_allows_first_visit_prescriptions() -> None:
    profile_for("generic").check_prior_diagnosis(None, TODAY)  # raises nothing


def test_cn_real_name_of_both_sides() -> None:
    cn = profile_for("cn")
    cn.check_real_names(VERIFIED, VERIFIED)
    with pytest.raises(PermissionDenied) as err:
        cn.check_real_names(None, VERIFIED)
    assert err.value.code == "real_name_doctor"
    with pytest.raises(PermissionDenied) as err:
        cn.check_real_names(VERIFIED, None)
    assert err.value.code == "real_name_patient"
    profile_for("generic").check_real_names(None, None)  # raises nothing


def test_cn_prescription_before_medicine() -> None:
    cn, generic = profile_for("cn"), profile_for("generic")
    signed = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    earlier_order = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    later_order = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert cn.prescription_counts_for(signed, later_order) is True
    assert cn.prescription_counts_for(signed, earlier_order) is False
    assert cn.prescription_counts_for(None, later_order) is False
    assert generic.prescription_counts_for(signed, earlier_order) is True


def test_cn_records_kept_15_years() -> None:
    cn = profile_for("cn")
    created = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    assert cn.retain_until(created) == datetime(2041, 11, 23, 12, 0, tzinfo=UTC)
    assert cn.may_delete(created, datetime(2041, 11, 23, 11, 59, tzinfo=UTC)) is False
    assert cn.may_delete(created, datetime(2041, 11, 23, 12, 0, tzinfo=UTC)) is True
    leap = datetime(2028, 2, 29, tzinfo=UTC)
    assert cn.retain_until(leap) == datetime(2043, 3, 1, tzinfo=UTC)


def test_validity_limits() -> None:
    cn = profile_for("cn")
    cn.check_validity(3)
    for days in (0, 4):
        with pytest.raises(InvalidInput) as err:
            cn.check_validity(days)
        assert err.value.code == "bad_validity"
    profile_for("generic").check_validity(30)

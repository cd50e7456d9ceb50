"""Our MDRP evaluator on a hand-made feasible solution and on one broken copy per rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from medrush.dispatch.mdrp import InstanceError, evaluate_dir, load_instance

FIXTURE = Path(__file__).parent / "fixtures" / "tiny"

# c1 bundles o1+o2 at r1, later takes o4 (placed at 50); c2 takes o3 at r2.
ASSIGNMENTS = """assignment_time pickup_time courier orders
6 12 c1 o1 o2
24 30 c2 o3
50 62 c1 o4
"""
ORDERS = """order placement_time ready_time pickup_time dropoff_time courier
o1 0 10 12 21 c1
o2 2 12 12 30 c1
o3 20 30 30 39 c2
o4 50 55 62 69 c1
"""
COURIERS = """courier departure_time origin destination
c1 6 0 r1
c1 14 r1 o1
c1 23 o1 o2
c1 50 o2 r1
c1 64 r1 o4
c2 24 0 r2
c2 32 r2 o3
"""


def write(
    tmp_path: Path, assignments: str = ASSIGNMENTS, orders: str = ORDERS, couriers: str = COURIERS
) -> Path:
    """Write the three solution files into ``tmp_path``."""
    (tmp_path / "solution_info_assignments.txt").write_text(assignments)
    (tmp_path / "solution_info_orders.txt").write_text(orders)
    (tmp_path / "solution_info_couriers.txt").write_text(couriers)
    return tmp_path


def test_hand_made_solution_is_feasible_with_exact_metrics(tmp_path: Path) -> None:
    ev = evaluate_dir(load_instance(FIXTURE), write(tmp_path))
    assert ev.violations == []
    assert ev.feasible
    m = ev.metrics
    assert m["delivered"] == 4
    assert m["undelivered_pct"] == 0.0
    assert m["click_to_door_mean"] == 21.75  # 21, 28, 19, 19
    assert m["click_to_door_p90"] == pytest.approx(25.9)
    assert m["within_target_pct"] == 100.0
    assert m["ready_to_pickup_mean"] == 2.25  # 2, 0, 0, 7
    assert m["total_pay"] == 45.0  # c1: max(3 x 10, 2 h x 15); c2: max(1 x 10, 1 h x 15)
    assert m["cost_per_order"] == 11.25
    assert m["orders_per_courier_hour"] == pytest.approx(4 / 3)
    assert m["orders_per_bundle"] == pytest.approx(4 / 3)
    assert m["floor_mean"] == 18.5  # 19, 24, 19, 12
    assert m["floor_gap_mean"] == 3.25


def test_undelivered_order_counts(tmp_path: Path) -> None:
    assignments = ASSIGNMENTS.replace("50 62 c1 o4\n", "")
    orders = ORDERS.replace("o4 50 55 62 69 c1\n", "")
    couriers = COURIERS.replace("c1 50 o2 r1\nc1 64 r1 o4\n", "")
    ev = evaluate_dir(load_instance(FIXTURE), write(tmp_path, assignments, orders, couriers))
    assert ev.feasible
    assert ev.metrics["undelivered_pct"] == 25.0
    assert ev.metrics["click_to_door_mean"] == pytest.approx(68 / 3)


@pytest.mark.parametrize(
    ("files", "kind"),
    [
        ({"assignments": ASSIGNMENTS + "24 30 c2 o3\n"}, "order_in_several_assignments"),
        ({"assignments": ASSIGNMENTS.replace("50 62 c1 o4", "49 62 c1 o4")}, "assigned_before_placement"),
        (
            {
                "assignments": ASSIGNMENTS.replace("6 12 c1 o1 o2", "6 11 c1 o1 o2"),
                "orders": ORDERS.replace("o1 0 10 12 21", "o1 0 10 11 21").replace(
                    "o2 2 12 12 30", "o2 2 12 11 30"
                ),
            },
            "pickup_before_ready",
        ),
        ({"assignments": ASSIGNMENTS.replace("c1 o1 o2", "c1 o2 o1")}, "dropoff_sequence"),
        ({"couriers": COURIERS.replace("c1 50 o2 r1", "c1 50 o1 r1")}, "route_discontinuity"),
        ({"couriers": COURIERS.replace("c1 23 o1 o2", "c1 26 o1 o2")}, "dropoff_location"),
        ({"couriers": COURIERS.replace("c2 24 0 r2", "c2 28 0 r2")}, "pickup_location"),
        (
            # c2 (off at 60) takes o4: 21 minutes from o3 to r1, so it picks up at 73
            {
                "assignments": ASSIGNMENTS.replace("50 62 c1 o4", "50 73 c2 o4"),
                "orders": ORDERS.replace("o4 50 55 62 69 c1", "o4 50 55 73 80 c2"),
                "couriers": COURIERS.replace("c1 50 o2 r1\nc1 64 r1 o4\n", "") + "c2 50 o3 r1\nc2 75 r1 o4\n",
            },
            "pickup_after_off_time",
        ),
    ],
)
def test_each_broken_rule_is_reported_alone(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    ev = evaluate_dir(load_instance(FIXTURE), write(tmp_path, **files))
    assert not ev.feasible
    assert ev.kinds() == [kind]


def test_departure_before_arrival_is_reported(tmp_path: Path) -> None:
    ev = evaluate_dir(
        load_instance(FIXTURE), write(tmp_path, couriers=COURIERS.replace("c1 23 o1", "c1 18 o1"))
    )
    assert "departure_before_arrival" in ev.kinds()
    [v] = [x for x in ev.violations if x.kind == "departure_before_arrival"]
    assert v.detail == "courier c1 leaves o1 at 18, before 19"


def test_unknown_ids_are_reported(tmp_path: Path) -> None:
    ev = evaluate_dir(load_instance(FIXTURE), write(tmp_path, assignments=ASSIGNMENTS + "60 62 c9 o9\n"))
    assert ev.kinds() == ["unknown_courier"]


def test_orders_header_must_be_exact(tmp_path: Path) -> None:
    with pytest.raises(InstanceError, match="header must be exactly"):
        evaluate_dir(
            load_instance(FIXTURE), write(tmp_path, orders=ORDERS.replace("courier\n", "driver\n", 1))
        )


def test_malformed_solution_row_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(InstanceError, match=r"solution_info_couriers.txt:3: not a number: 'x'"):
        evaluate_dir(
            load_instance(FIXTURE), write(tmp_path, couriers=COURIERS.replace("c1 14 r1", "c1 x r1"))
        )

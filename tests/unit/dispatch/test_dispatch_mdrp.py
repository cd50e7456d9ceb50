"""The MDRP reader, simulator and CLI on the tiny fixture, plus a property test of feasibility."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from medrush.cli.dispatch import app
from medrush.dispatch.mdrp import (
    InstanceError,
    evaluate,
    evaluate_dir,
    load_instance,
    simulate,
    write_solution,
)

FIXTURE = Path(__file__).parent / "fixtures" / "tiny"
runner = CliRunner()


def copy_fixture(tmp_path: Path) -> Path:
    """A writable copy of the tiny instance."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "tiny"))


def test_loader_reads_the_tiny_instance() -> None:
    inst = load_instance(FIXTURE)
    assert inst.name == "tiny"
    assert [o.id for o in inst.orders] == ["o1", "o2", "o3", "o4"]
    assert inst.restaurants == {"r1": (0.0, 0.0), "r2": (6400.0, 0.0)}
    assert [(c.id, c.on_time, c.off_time) for c in inst.couriers] == [("c1", 0, 120), ("c2", 0, 60)]
    assert inst.params.metres_per_minute == 320
    assert (inst.params.pickup_service, inst.params.dropoff_service, inst.params.target) == (4, 4, 40)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "orders.txt",
            "o2\t3200\t0\t2\tr1\t12",
            "o2\t3200\t0\t2\tr1",
            "orders.txt:3: expected 6 fields, found 5",
        ),
        (
            "orders.txt",
            "o2\t3200\t0\t2\tr1\t12",
            "o2\t3200\t0\t2\tr7\t12",
            "orders.txt:3: unknown restaurant 'r7'",
        ),
        (
            "orders.txt",
            "o2\t3200\t0\t2\tr1\t12",
            "o2\t3200\t0\t-2\tr1\t12",
            "orders.txt:3: placement_time must be",
        ),
        (
            "orders.txt",
            "o2\t3200\t0\t2\tr1\t12",
            "o2\t3200\t0\t2\tr1\t1",
            "orders.txt:3: ready_time 1 is before",
        ),
        ("orders.txt", "ready_time", "ready", "orders.txt:1: missing column(s) ready_time"),
        ("couriers.txt", "c2\t6400\t640", "c2\tabc\t640", "couriers.txt:3: x is not a number: 'abc'"),
        ("couriers.txt", "0\t60", "70\t60", "couriers.txt:3: off_time 60 is before on_time 70"),
        ("restaurants.txt", "r2\t6400", "r1\t6400", "restaurants.txt:3: duplicate id 'r1'"),
        ("restaurants.txt", "r2\t6400", "r2\t1e308", "restaurants.txt:3: x 1e308 is out of range"),
        ("couriers.txt", "0\t60", "0\t99999999", "couriers.txt:3: off_time 99999999 is beyond one week"),
        ("instance_parameters.txt", "\n320\t", "\n0.5\t", "parameters.txt:2: meters_per_minute must be"),
        ("instance_parameters.txt", "\t10\t15", "\t-10\t15", "parameters.txt:2: pay_per_order must be 0 to"),
        (
            "instance_parameters.txt",
            "\t10\t15",
            "\t1e308\t15",
            "parameters.txt:2: pay_per_order must be 0 to",
        ),
        (
            "instance_parameters.txt",
            "\n320\t4\t",
            "\n320\t1e300\t",
            "parameters.txt:2: pickup_service must be",
        ),
    ],
)
def test_bad_instance_rows_name_file_and_line(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    root = copy_fixture(tmp_path)
    path = root / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(InstanceError) as err:
        load_instance(root)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_byte_order_marks_and_space_separated_files_read_the_same(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    for name in ("orders.txt", "couriers.txt"):
        path = root / name
        path.write_text("\ufeff" + path.read_text().replace("\t", "  "), encoding="utf-8")
    path = root / "instance_parameters.txt"
    path.write_text("\ufeff" + path.read_text(), encoding="utf-8")
    loaded = load_instance(root)
    assert loaded.orders == load_instance(FIXTURE).orders
    assert loaded.couriers == load_instance(FIXTURE).couriers


def test_missing_file_is_named(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    (root / "couriers.txt").unlink()
    with pytest.raises(InstanceError, match=r"couriers.txt: file not found"):
        load_instance(root)


@pytest.mark.parametrize("policy", ["greedy", "rolling"])
def test_order_placed_later_is_not_seen_before_its_placement(policy: str) -> None:
    sol = simulate(load_instance(FIXTURE), policy)  # type: ignore[arg-type]
    [late] = [a for a in sol.assignments if "o4" in a.orders]
    # o4 is placed at 50 while c1 is already idle and must leave at once: assigned at exactly 50
    assert late.assignment_time == 50
    assert all(a.assignment_time < 50 for a in sol.assignments if "o4" not in a.orders)


def test_rolling_simulation_of_the_tiny_instance_is_exact_and_feasible(tmp_path: Path) -> None:
    inst = load_instance(FIXTURE)
    sol = simulate(inst, "rolling")
    # o1 and o2 (same restaurant, two orders for two couriers: target size 2) go together; each
    # commitment waits until the courier must leave: ready - 2 minutes of service - travel
    assert [(a.assignment_time, a.pickup_time, a.courier, a.orders) for a in sol.assignments] == [
        (8, 12, "c1", ("o1", "o2")),
        (26, 30, "c2", ("o3",)),
        (50, 62, "c1", ("o4",)),
    ]
    assert {o.order: o.dropoff_time for o in sol.orders} == {"o1": 21, "o2": 30, "o3": 39, "o4": 69}
    write_solution(sol, tmp_path, [c.id for c in inst.couriers])
    assert evaluate_dir(inst, tmp_path).feasible


def test_each_order_is_priced_against_the_promise_of_its_placement_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medrush.dispatch.mdrp import simulator

    seen: dict[str, tuple[float, float]] = {}
    plan = simulator.plan_round

    def spy(snapshot, *args, **kwargs):
        seen.update({o.id: (o.placed_at, o.deadline) for o in snapshot.orders})
        return plan(snapshot, *args, **kwargs)

    monkeypatch.setattr(simulator, "plan_round", spy)
    inst = load_instance(FIXTURE)
    simulate(inst, "rolling")
    assert all(deadline == placed + inst.params.target for placed, deadline in seen.values())
    seen.clear()
    # a promise that depends on the time of day: 60 minutes for orders placed from minute 40 on
    sol = simulate(inst, "rolling", promise=lambda minute: 60 if minute >= 40 else 30)
    assert seen["o4"] == (50, 110) and seen["o1"][1] == seen["o1"][0] + 30
    assert {o.order for o in sol.orders} == {"o1", "o2", "o3", "o4"}


def test_simulation_is_deterministic() -> None:
    inst = load_instance(FIXTURE)
    assert simulate(inst, "rolling") == simulate(inst, "rolling")


def test_cli_solves_and_evaluates_the_tiny_instance(tmp_path: Path) -> None:
    out = tmp_path / "sol"
    result = runner.invoke(app, ["mdrp", str(FIXTURE), "--out", str(out), "--policy", "greedy", "-q"])
    assert result.exit_code == 0, result.output
    header = (out / "solution_info_orders.txt").read_text().splitlines()[0]
    assert header == "order placement_time ready_time pickup_time dropoff_time courier"
    assert sorted(p.name for p in out.iterdir()) == [
        "solution_info_assignments.txt",
        "solution_info_couriers.txt",
        "solution_info_orders.txt",
    ]
    result = runner.invoke(app, ["evaluate", str(FIXTURE), str(out), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["feasible"] is True
    assert payload["violations"] == []
    assert payload["metrics"]["delivered"] == 4
    assert payload["metrics"]["click_to_door_mean"] == 29.5  # 19, 42, 27, 30 for greedy


def test_cli_evaluate_exits_1_on_an_infeasible_solution(tmp_path: Path) -> None:
    out = tmp_path / "sol"
    assert runner.invoke(app, ["mdrp", str(FIXTURE), "--out", str(out), "-q"]).exit_code == 0
    path = out / "solution_info_assignments.txt"
    path.write_text(path.read_text().replace("50 62 c1 o4", "49 62 c1 o4"))
    result = runner.invoke(app, ["evaluate", str(FIXTURE), str(out)])
    assert result.exit_code == 1
    assert "INFEASIBLE" in result.stdout
    assert "assigned_before_placement: order o4 assigned at 49, placed at 50" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["mdrp", "/nonexistent/instance", "--out", "OUT"], "instance directory not found"),
        (["mdrp", str(FIXTURE), "--out", "OUT", "--policy", "best"], "unknown policy 'best'"),
        (["evaluate", str(FIXTURE), "/nonexistent/solution"], "solution directory not found"),
    ],
)
def test_cli_bad_input_exits_non_zero_with_one_message(tmp_path: Path, args: list[str], message: str) -> None:
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_malformed_instance_names_file_and_line(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    path = root / "orders.txt"
    path.write_text(path.read_text().replace("o3\t6400\t1600\t20", "o3\t6400\t1600\tsoon"))
    result = runner.invoke(app, ["mdrp", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {path}:4: placement_time is not a number: 'soon'"


_coord = st.integers(min_value=0, max_value=6000)


@st.composite
def instances(draw: st.DrawFn) -> dict[str, list[tuple[object, ...]]]:
    """Small random instances: 1-3 restaurants, 1-4 couriers, 1-10 orders."""
    n_r = draw(st.integers(1, 3))
    restaurants: list[tuple[object, ...]] = [(f"r{i}", draw(_coord), draw(_coord)) for i in range(n_r)]
    couriers: list[tuple[object, ...]] = []
    for i in range(draw(st.integers(1, 4))):
        on = draw(st.integers(0, 60))
        couriers.append((f"c{i}", draw(_coord), draw(_coord), on, on + draw(st.integers(0, 120))))
    orders: list[tuple[object, ...]] = []
    for i in range(draw(st.integers(1, 10))):
        placed = draw(st.integers(0, 120))
        ready = placed + draw(st.integers(0, 30))
        orders.append(
            (f"o{i}", draw(_coord), draw(_coord), placed, f"r{draw(st.integers(0, n_r - 1))}", ready)
        )
    return {"restaurants": restaurants, "couriers": couriers, "orders": orders}


def _write_instance(root: Path, spec: dict[str, list[tuple[object, ...]]], speed: int) -> None:
    headers = {
        "restaurants": "restaurant\tx\ty",
        "couriers": "courier\tx\ty\ton_time\toff_time",
        "orders": "order\tx\ty\tplacement_time\trestaurant\tready_time",
    }
    for name, header in headers.items():
        rows = ["\t".join(str(x) for x in row) for row in spec[name]]
        (root / f"{name}.txt").write_text("\n".join([header, *rows]) + "\n")
    (root / "instance_parameters.txt").write_text(
        (FIXTURE / "instance_parameters.txt").read_text().replace("320\t", f"{speed}\t", 1)
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    spec=instances(), speed=st.sampled_from([314, 320, 427]), policy=st.sampled_from(["greedy", "rolling"])
)
def test_every_simulated_solution_is_feasible(
    spec: dict[str, list[tuple[object, ...]]], speed: int, policy: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "inst"
        root.mkdir()
        _write_instance(root, spec, speed)
        inst = load_instance(root)
        sol = simulate(inst, policy)  # type: ignore[arg-type]
        write_solution(sol, Path(tmp) / "sol", [c.id for c in inst.couriers])
        ev = evaluate_dir(inst, Path(tmp) / "sol")
        assert ev.violations == []
        assert evaluate(inst, sol.assignments, sol.orders, sol.moves).feasible


def test_instance_without_couriers_delivers_nothing_and_reports_null_metrics(tmp_path: Path) -> None:
    root = copy_fixture(tmp_path)
    (root / "couriers.txt").write_text("courier\tx\ty\ton_time\toff_time\n")
    out = tmp_path / "sol"
    assert runner.invoke(app, ["mdrp", str(root), "--out", str(out), "-q"]).exit_code == 0
    assert (out / "solution_info_orders.txt").read_text().splitlines() == [
        "order placement_time ready_time pickup_time dropoff_time courier"
    ]
    result = runner.invoke(app, ["evaluate", str(root), str(out), "--json"])
    assert result.exit_code == 0
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["undelivered_pct"] == 100.0
    assert metrics["cost_per_order"] is None
    assert "click_to_door_mean" not in metrics


def test_order_placed_while_the_courier_heads_to_its_restaurant_joins_the_bundle(tmp_path: Path) -> None:
    root = tmp_path / "join"
    root.mkdir()
    spec: dict[str, list[tuple[object, ...]]] = {
        "restaurants": [("r1", 0, 0)],
        "couriers": [("c1", 6400, 0, 0, 200)],
        "orders": [("o1", 3200, 0, 0, "r1", 20), ("o2", 3200, 320, 5, "r1", 15)],
    }
    _write_instance(root, spec, 320)
    inst = load_instance(root)
    sol = simulate(inst, "rolling")
    assert [(a.assignment_time, a.pickup_time, a.courier, a.orders) for a in sol.assignments] == [
        (5, 22, "c1", ("o1", "o2"))
    ]
    assert [(o.order, o.pickup_time, o.dropoff_time) for o in sol.orders] == [("o1", 22, 36), ("o2", 22, 41)]
    assert [(m.departure, m.origin, m.destination) for m in sol.moves["c1"]] == [
        (0, "0", "r1"),
        (24, "r1", "o1"),
        (38, "o1", "o2"),
    ]
    assert evaluate(inst, sol.assignments, sol.orders, sol.moves).violations == []

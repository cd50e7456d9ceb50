"""``medrush simulate day``: a simulated day of a city's demand, the courier fleet and clinician roster."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from medrush.cli.bootstrap import fail, ready, run, say

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Simulate a day or a surge to size the fleet and the roster.")


def _roster(text: str | None) -> list[int] | None:
    if text is None:
        return None
    try:
        counts = [int(x) for x in text.replace(",", " ").split()]
    except ValueError:
        raise fail(f"--couriers: {text!r} is not 24 whole numbers") from None
    if len(counts) != 24:
        raise fail(f"--couriers needs 24 numbers (one per hour), got {len(counts)}")
    return counts


@app.command("day")
def day(
    city: Annotated[str, typer.Option("--city", help="the city whose approved pharmacies serve the day")],
    orders: Annotated[int, typer.Option("--orders", help="orders in the day (before any surge)")] = 2000,
    surge: Annotated[
        str | None, typer.Option("--surge", help="START-ENDxFACTOR, e.g. 18-21x2 doubles 18:00-21:00")
    ] = None,
    consults: Annotated[int, typer.Option("--consults", help="consultations in the day (0: no roster)")] = 0,
    couriers: Annotated[
        str | None,
        typer.Option("--couriers", help="24 courier counts to test as they are (default: size the fleet)"),
    ] = None,
    target: Annotated[float, typer.Option("--target", help="share of each hour's orders on time")] = 0.95,
    seed: Annotated[int, typer.Option("--seed", help="random seed of the demand")] = 1,
    max_days: Annotated[
        int, typer.Option("--max-days", min=1, max=100, help="at most this many simulated days when sizing")
    ] = 14,
    json_output: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Draw a day of orders over the city's pharmacies and serve it with the real dispatch engine.

    Without --couriers, finds per hour the couriers that keep the target share of promises (30
    minutes by day, 60 at night, as configured); with it, reports how that roster does.
    """
    from medrush.kernel import db
    from medrush.kernel.errors import DomainError
    from medrush.simulation import (
        DayReport,
        DayScenario,
        SimPharmacy,
        check_roster,
        city_pharmacies,
        plan_day,
        plan_summary,
        size_fleet,
    )

    roster = _roster(couriers)
    try:
        scenario = DayScenario.configured(orders, surge, consults, target, seed)
        if roster is not None:
            check_roster(roster)
    except DomainError as exc:
        raise fail(exc.message) from None

    async def _load() -> list[SimPharmacy]:
        await ready(quiet=json_output)
        async with db.session_scope() as session:
            return await city_pharmacies(session, city)

    shops = run(_load())
    if not shops:
        raise fail(f"no approved pharmacies in {city!r}: load the demo (medrush demo) or approve some")
    if roster is not None or json_output:
        report = plan_day(shops, scenario, roster, max_days)
    else:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task(f"sizing the fleet of {city}", total=None)

            def seen(n: int, day: DayReport) -> None:
                bar.update(
                    task,
                    description=f"day {n}: {day.courier_hours} courier-hours, {day.on_time_pct:.1f}% on time",
                )

            report = size_fleet(shops, scenario, max_iterations=max_days, progress=seen)
    if json_output:
        typer.echo(json.dumps(plan_summary(city, shops, report)))
        return
    measured = sum(s.measured for s in shops)
    say(
        f"{city}: {len(shops)} pharmacies ({measured} with preparation times measured from their orders), "
        f"{report.orders} orders, {report.iterations} simulated day(s)"
    )
    typer.echo("hour  orders  couriers  promise  on time  CtD mean  CtD p90  clinicians  wait s")
    for r in report.hours:
        mean = "-" if r.click_to_door_mean is None else f"{r.click_to_door_mean:.1f}"
        p90 = "-" if r.click_to_door_p90 is None else f"{r.click_to_door_p90:.0f}"
        staff = "-" if r.clinicians is None else str(r.clinicians)
        wait = "-" if r.consult_wait_seconds is None else f"{r.consult_wait_seconds:.0f}"
        typer.echo(
            f"{r.hour:02d}:00 {r.orders:7d} {r.couriers:9d} {r.promise:8d} {r.on_time_pct:7.1f}% "
            f"{mean:>9} {p90:>8} {staff:>11} {wait:>7}"
        )
    typer.echo(
        f"total: {report.orders} orders, {report.delivered} delivered, {report.on_time_pct:.1f}% on time, "
        f"{report.courier_hours} courier-hours; target {'met' if report.meets_target else 'NOT met'}"
    )
    for note in report.notes:
        typer.echo(f"note: {note}")

"""``medrush courier loop``: run the live dispatch loop (one leader per zone across processes)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import signal
from typing import Annotated

import typer

from medrush.cli.bootstrap import fail, ready, run, say

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Live courier dispatch.")


@app.command("loop")
def loop_command(
    zone: Annotated[
        list[str] | None, typer.Option("--zone", help="lead only this zone (h3 cell), repeatable")
    ] = None,
    interval: Annotated[float, typer.Option(help="seconds between rounds")] = 2.0,
    offer_seconds: Annotated[float, typer.Option(help="seconds a courier has to answer an offer")] = 45.0,
    once: Annotated[bool, typer.Option("--once", help="one round in every zone led, then exit")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print each round's report as a JSON line")] = False,
    demo_pings: Annotated[
        bool, typer.Option("--demo-pings", help="keep the phone-less demo couriers online")
    ] = False,
) -> None:
    """Lead every active zone no other loop leads and dispatch it every few seconds."""
    from medrush.dispatch import DispatchLoop, LiveParams
    from medrush.kernel.bus import Bus, set_bus
    from medrush.settings import get_settings

    if not 0.2 <= interval <= 60:
        raise fail("--interval must be between 0.2 and 60 seconds")
    if not 5 <= offer_seconds <= 600:
        raise fail("--offer-seconds must be between 5 and 600")

    async def _go() -> None:
        await ready(load_shipped_data=False, quiet=True)
        from medrush.kernel import db

        settings = get_settings()
        dsn = db.database_url().replace("postgresql+asyncpg://", "postgresql://", 1)
        bus = Bus("redis", redis_url=settings.redis_url) if settings.redis_url else Bus("postgres", dsn=dsn)
        await bus.start()
        set_bus(bus)
        loop = DispatchLoop(zone, LiveParams(interval_seconds=interval, offer_seconds=offer_seconds))
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        say(f"medrush: dispatch loop started ({'zones ' + ', '.join(zone) if zone else 'all active zones'})")
        try:
            while not stop.is_set():
                if demo_pings:
                    from medrush.dispatch.demo import keep_demo_couriers_online

                    async with db.session_scope() as session:
                        await keep_demo_couriers_online(session)
                reports = await loop.tick()
                for report in reports.values():
                    if as_json:
                        print(json.dumps(dataclasses.asdict(report)), flush=True)
                    elif report.offers or report.expired or report.released:
                        say(
                            f"zone {report.zone}: {report.offers} offers, {report.expired} expired, "
                            f"{report.released} released, {report.open_jobs} open jobs, "
                            f"{report.couriers} couriers, {report.millis} ms"
                        )
                if once:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=interval)
        finally:
            await loop.close()
            await bus.stop()
            await db.dispose()

    run(_go())


@app.command("zones")
def zones_command(
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Active dispatch zones: jobs waiting, jobs under way and couriers online in each."""
    from sqlalchemy import func, select

    from medrush.dispatch import CourierStatus, JobStatus
    from medrush.dispatch.models import Courier, DeliveryJob

    async def _go() -> list[dict[str, object]]:
        await ready(load_shipped_data=False, quiet=True)
        from medrush.kernel import db

        async with db.session_scope() as session:
            jobs = (
                await session.execute(
                    select(DeliveryJob.zone, DeliveryJob.status, func.count())
                    .where(DeliveryJob.status.in_(("open", "offered", "assigned", "picked_up")))
                    .group_by(DeliveryJob.zone, DeliveryJob.status)
                )
            ).all()
            couriers = (
                await session.execute(
                    select(Courier.zone, func.count())
                    .where(Courier.status == CourierStatus.ONLINE)
                    .group_by(Courier.zone)
                )
            ).all()
        table: dict[str, dict[str, object]] = {}
        for zone, status, count in jobs:
            row = table.setdefault(
                str(zone), {"zone": str(zone), "waiting": 0, "under_way": 0, "couriers": 0}
            )
            key = "waiting" if status in (JobStatus.OPEN, JobStatus.OFFERED) else "under_way"
            row[key] = int(row[key]) + int(count)  # type: ignore[call-overload]
        for courier_zone, count in couriers:
            row = table.setdefault(
                str(courier_zone), {"zone": str(courier_zone), "waiting": 0, "under_way": 0, "couriers": 0}
            )
            row["couriers"] = int(count)
        return [table[z] for z in sorted(table)]

    rows = run(_go())
    if as_json:
        print(json.dumps(rows))
        return
    if not rows:
        say("no active zone")
    for row in rows:
        say(
            f"{row['zone']}: {row['waiting']} waiting, {row['under_way']} under way, "
            f"{row['couriers']} couriers online"
        )


if __name__ == "__main__":
    app()

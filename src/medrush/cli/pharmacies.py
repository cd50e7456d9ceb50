"""``medrush pharmacies``: list pharmacies, import stock, load the demo shops, run the order timers."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer

from medrush.cli.bootstrap import fail, ready, run, say
from medrush.kernel import db

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Pharmacies, stock and the order timers.")


@app.command("list")
def list_command(
    city: Annotated[str | None, typer.Option("--city", help="only this city")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Approved pharmacies with whether they are open now."""
    from medrush import pharmacies

    async def _go() -> list[dict[str, Any]]:
        await ready(quiet=json_output)
        async with db.session_scope() as session:
            found = await pharmacies.list_pharmacies(session, city=city, status="approved")
            hours = await pharmacies.hours_of(session, found)
            from medrush.kernel import clock

            return [
                {
                    "id": str(p.id),
                    "name": p.name,
                    "city": p.city,
                    "open_now": hours[p.id].is_open_at(clock.now()),
                    "always_open": p.always_open,
                }
                for p in found
            ]

    rows = run(_go())
    if json_output:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(
            f"{row['id']}  {'open  ' if row['open_now'] else 'closed'}  {row['city']:<10} {row['name']}"
        )


@app.command("import-stock")
def import_stock(
    pharmacy_id: Annotated[str, typer.Argument(help="the pharmacy's id")],
    csv_file: Annotated[
        Path, typer.Argument(help="CSV with medicine_id,quantity,price", exists=True, dir_okay=False)
    ],
) -> None:
    """Import a stock CSV as the system; prints the row-by-row report as JSON."""
    from medrush import catalog, pharmacies
    from medrush.accounts import SYSTEM

    try:
        pid = uuid.UUID(pharmacy_id)
    except ValueError:
        raise fail("pharmacy_id must be a UUID") from None
    text = csv_file.read_text(encoding="utf-8")

    async def _go() -> dict[str, Any]:
        await ready(quiet=True)
        async with db.session_scope() as session:
            index = await catalog.ensure_index(session)

            class _Known:
                def __contains__(self, medicine_id: object) -> bool:
                    return isinstance(medicine_id, str) and index.get(medicine_id) is not None

            report = await pharmacies.import_stock_csv(session, SYSTEM, pid, text, known_ids=_Known())
            return report.to_dict()

    report = run(_go())
    typer.echo(json.dumps(report, ensure_ascii=False))
    if report["fatal"]:
        raise typer.Exit(2)


@app.command("demo")
def demo() -> None:
    """Load the demo pharmacies, stock and staff (no-op when they exist)."""
    from medrush.pharmacies.demo import load_demo

    async def _go() -> None:
        await ready()
        async with db.session_scope() as session:
            await load_demo(session)
        say("medrush: demo pharmacies ready")

    run(_go())


@app.command("timers")
def timers(
    loop: Annotated[bool, typer.Option("--loop", help="keep running every --every seconds")] = False,
    every: Annotated[float, typer.Option("--every", min=0.5, help="seconds between passes")] = 5.0,
) -> None:
    """Expire unpaid orders and stock holds, re-route orders not accepted in time."""
    from medrush import orders

    async def _go() -> None:
        await ready(quiet=True)
        while True:
            async with db.session_scope() as session:
                counts = await orders.run_order_timers(session)
            typer.echo(json.dumps(counts))
            if not loop:
                return
            await asyncio.sleep(every)

    run(_go())

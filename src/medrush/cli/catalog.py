"""``medrush catalog load`` and ``medrush search QUERY [--lat --lng] [--limit N] --json``."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

import typer

from medrush import catalog
from medrush.cli.bootstrap import fail, ready, run, say
from medrush.kernel import db

__all__ = ["app", "search_command", "search_results"]

app = typer.Typer(no_args_is_help=True, help="The medicine catalog.")


@app.command("load")
def load_command(
    force: Annotated[
        bool, typer.Option("--force", help="reload even if the data files did not change")
    ] = False,
) -> None:
    """Load the shipped catalog (data/catalog) into the database when missing or changed."""

    async def _go() -> None:
        await ready(load_shipped_data=False)
        say("medrush: loading the catalog from data/catalog ...")
        async with db.session_scope() as session:
            loaded = await catalog.load_shipped_catalog(session, force=force)
        say(f"medrush: loaded {loaded} catalog products" if loaded else "medrush: the catalog is up to date")

    run(_go())


def _check_location(lat: float | None, lng: float | None) -> None:
    if (lat is None) != (lng is None):
        raise fail("give both --lat and --lng, or neither")
    if lat is not None and not (math.isfinite(lat) and -90 <= lat <= 90):
        raise fail("--lat must be between -90 and 90")
    if lng is not None and not (math.isfinite(lng) and -180 <= lng <= 180):
        raise fail("--lng must be between -180 and 180")


async def search_results(
    query: str,
    *,
    lat: float | None = None,
    lng: float | None = None,
    limit: int = 10,
    lang: str | None = None,
) -> list[dict[str, Any]]:
    """The contract results of a search, with ``offers`` when a location is given (database ready)."""
    async with db.session_scope() as session:
        index = await catalog.ensure_index(session)
        hits = index.search(query, limit=limit, lang=lang)
        if lat is None or lng is None:
            return [catalog.search_result_dict(hit, lang) for hit in hits]
        offers: dict[str, list[dict[str, Any]]] = {}
        from medrush import orders

        find_offers = getattr(orders, "search_offers", None)
        if find_offers is not None and hits:
            offers = await find_offers(session, [hit.product.id for hit in hits], lat, lng)
        return catalog.results_with_offers(hits, offers, lang)


def search_command(
    query: Annotated[str, typer.Argument(help="what you need: a name, brand, ingredient or symptom")],
    lat: Annotated[float | None, typer.Option("--lat", help="latitude of the delivery address")] = None,
    lng: Annotated[float | None, typer.Option("--lng", help="longitude of the delivery address")] = None,
    limit: Annotated[int, typer.Option("--limit", help="at most this many products (1-100)")] = 10,
    json_output: Annotated[bool, typer.Option("--json", help="print the results as JSON")] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="names in en, zh or ko (default: the query's language)")
    ] = None,
) -> None:
    """Search medicines in Chinese, Korean or English; with a location, offers from pharmacies nearby."""
    _check_location(lat, lng)
    if not catalog.normalize_query(query):
        raise fail("the query is empty: give a name, brand, ingredient or symptom")
    if not 1 <= limit <= catalog.MAX_SEARCH_LIMIT:
        raise fail(f"--limit must be between 1 and {catalog.MAX_SEARCH_LIMIT}")
    if lang is not None and lang not in ("en", "zh", "ko"):
        raise fail("--lang must be en, zh or ko")

    names_in = lang or catalog.query_language(query) or "en"

    async def _go() -> list[dict[str, Any]]:
        await ready()
        return await search_results(query, lat=lat, lng=lng, limit=limit, lang=names_in)

    results = run(_go())
    if json_output:
        typer.echo(json.dumps(results, ensure_ascii=False, default=str))
        return
    if not results:
        index = catalog.current_index()
        not_sold = index.not_sold_terms(query) if index is not None else []
        suggestion = index.did_you_mean(query) if index is not None else None
        if not_sold:
            typer.echo(f"no matching products: the pharmacies do not sell {', '.join(not_sold)}")
        elif suggestion:
            typer.echo(f"no matching products; did you mean: {suggestion}?")
        else:
            typer.echo("no matching products")
        return
    for result in results:
        line = f"{result['medicine_id']:<32} {result['rx_class']:<6} {result['name']}"
        if "offers" in result:
            best = result["offers"][0] if result["offers"] else None
            line += (
                f"  [{len(result['offers'])} offers, from {best['price']} in {best['eta_minutes']} min]"
                if best
                else "  [no pharmacy nearby can deliver it now]"
            )
        typer.echo(line)


app.command("search")(search_command)

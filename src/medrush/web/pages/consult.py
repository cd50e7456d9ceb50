"""The patient's pages: ask a doctor or a pharmacist, and the chat (mobile-first)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medrush import accounts, consult, orders, prescriptions
from medrush.accounts import Actor
from medrush.kernel import db
from medrush.kernel.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from medrush.web.deps import current_actor
from medrush.web.rendering import page_lang, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _signin(path: str) -> Response:
    return RedirectResponse(f"/signin?next={path}", status_code=303)


async def _home_context(actor: Actor) -> dict[str, Any]:
    async with db.session_scope() as session:
        profiles = await accounts.list_profiles(session, actor)
        mine = await consult.my_consultations(session, actor)
    return {"profiles": profiles, "consultations": [consult.consultation_view(c) for c in mine]}


@router.get("/consult", response_class=HTMLResponse)
async def consult_home(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Ask a question: pick who it is for, doctor or pharmacist, and describe the symptoms."""
    if actor.user_id is None:
        return _signin("/consult")
    return render(request, "consult/home.html", await _home_context(actor))


@router.post("/consult")
async def consult_open(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Open a consultation from the form and go to its chat."""
    if actor.user_id is None:
        return _signin("/consult")
    form = await request.form()
    try:
        profile_id = uuid.UUID(str(form.get("profile_id") or ""))
    except ValueError:
        ctx = await _home_context(actor)
        return render(request, "consult/home.html", {**ctx, "error": "choose who the question is for"}, 422)
    try:
        async with db.session_scope() as session:
            c = await consult.open_consultation(
                session,
                actor,
                profile_id=profile_id,
                mode=str(form.get("mode") or "doctor"),
                symptoms=str(form.get("symptoms") or ""),
                language=page_lang(request),
            )
            consultation_id = c.id
        async with db.session_scope() as session:
            pairs = await consult.route_waiting(session)
        await consult.announce_routing(pairs)
    except DomainError as exc:
        ctx = await _home_context(actor)
        return render(
            request, "consult/home.html", {**ctx, "error": exc.translated(page_lang(request))}, exc.status
        )
    return RedirectResponse(f"/consult/{consultation_id}", status_code=303)


@router.get("/consult/{consultation_id}", response_class=HTMLResponse)
async def chat_page(
    request: Request, consultation_id: uuid.UUID, actor: Actor = Depends(current_actor)
) -> Response:
    """The chat of one consultation: messages, outcomes, prescriptions, closing and rating."""
    if actor.user_id is None:
        return _signin(f"/consult/{consultation_id}")
    async with db.session_scope() as session:
        c = await consult.access_consultation_by_id(session, actor, consultation_id)
        rows = await consult.messages_since(session, c.id, 0)
        outcomes = await consult.outcomes_of(session, c.id)
        rxs = await prescriptions.prescriptions_of_consultation(session, c.id)
        ctx = {
            "c": consult.consultation_view(c),
            "role": consult.role_in(actor, c),
            "messages": [consult.message_view(m) for m in rows],
            "outcomes": outcomes,
            "prescriptions": [prescriptions.prescription_view(rx) for rx in rxs if rx.status != "draft"],
            "me": str(actor.user_id),
            "added": request.query_params.get("added"),
        }
        if ctx["role"] == "patient":
            ctx["cart_offers"] = await _cart_offers(session, actor, outcomes)
            ctx["rx_offers"] = await _rx_offers(session, actor, rxs)
    return render(request, "consult/chat.html", ctx)


def _complete_offers(offers: dict[str, list[dict[str, Any]]], wanted: dict[str, int]) -> list[dict[str, Any]]:
    """Up to three pharmacies offering every wanted item, fastest then cheapest, with their totals."""
    by_pharmacy: dict[str, dict[str, Any]] = {}
    for medicine_id, rows in offers.items():
        for row in rows:
            entry = by_pharmacy.setdefault(
                row["pharmacy_id"],
                {
                    "pharmacy_id": row["pharmacy_id"],
                    "name": row["pharmacy_name"],
                    "total": 0.0,
                    "eta": 0,
                    "n": 0,
                },
            )
            entry["total"] += row["price"] * wanted[medicine_id]
            entry["eta"] = max(entry["eta"], row["eta_minutes"])
            entry["n"] += 1
    complete = [e for e in by_pharmacy.values() if e["n"] == len(wanted)]
    return sorted(complete, key=lambda e: (e["eta"], e["total"]))[:3]


async def _rx_offers(session: Any, actor: Actor, rxs: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """For each approved prescription: pharmacies that can deliver (or, in ``kr``, hand over) every item."""
    approved = [rx for rx in rxs if prescriptions.effective_status(rx) == "approved"]
    if not approved:
        return {}
    addresses = await accounts.list_addresses(session, actor)
    if not addresses:
        return {}
    home = addresses[0]
    found: dict[str, list[dict[str, Any]]] = {}
    for rx in approved:
        wanted = _prescribed_units(rx)
        offers = await orders.search_offers(session, list(wanted), home.lat, home.lng)
        found[str(rx.id)] = _complete_offers(offers, wanted)
    return found


def _prescribed_units(rx: Any) -> dict[str, int]:
    """Units per medicine of a prescription (at most what one cart line holds)."""
    wanted: dict[str, int] = {}
    for item in rx.items:
        wanted[item["medicine_id"]] = min(20, wanted.get(item["medicine_id"], 0) + int(item["quantity"]))
    return wanted


async def _cart_offers(session: Any, actor: Actor, outcomes: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """For each OTC suggestion: up to three pharmacies delivering every item to the default address."""
    suggestions = [o for o in outcomes if o.kind == "otc"]
    if not suggestions:
        return {}
    addresses = await accounts.list_addresses(session, actor)
    if not addresses:
        return {}
    home = addresses[0]
    found: dict[str, list[dict[str, Any]]] = {}
    for outcome in suggestions:
        wanted = {i["medicine_id"]: i["quantity"] for i in outcome.data["items"]}
        offers = await orders.ranked_offers(session, list(wanted), home.lat, home.lng)
        found[str(outcome.id)] = _complete_offers(offers, wanted)
    return found


@router.post("/consult/{consultation_id}/cart")
async def add_suggestion_to_cart(
    request: Request, consultation_id: uuid.UUID, actor: Actor = Depends(current_actor)
) -> Response:
    """One tap: put every item of a clinician's OTC suggestion in the cart, from the chosen pharmacy."""
    if actor.user_id is None:
        return _signin(f"/consult/{consultation_id}")
    form = await request.form()
    try:
        outcome_id = uuid.UUID(str(form.get("outcome_id") or ""))
        pharmacy_id = uuid.UUID(str(form.get("pharmacy_id") or ""))
    except ValueError:
        raise InvalidInput("choose a suggestion and a pharmacy", code="bad_cart_request") from None
    async with db.session_scope() as session:
        c = await consult.access_consultation_by_id(session, actor, consultation_id)
        if consult.role_in(actor, c) != "patient":
            raise PermissionDenied("only the patient adds suggestions to their cart")
        outcome = next((o for o in await consult.outcomes_of(session, c.id) if o.id == outcome_id), None)
        if outcome is None or outcome.kind != "otc":
            raise NotFound("no such suggestion")
        for item in outcome.data["items"]:
            await orders.add_to_cart(
                session, actor, pharmacy_id, item["medicine_id"], item["quantity"], replace_pharmacy=True
            )
    return RedirectResponse(f"/consult/{consultation_id}?added=1", status_code=303)


@router.post("/consult/{consultation_id}/prescriptions/{prescription_id}/buy")
async def buy_prescribed(
    request: Request,
    consultation_id: uuid.UUID,
    prescription_id: uuid.UUID,
    actor: Actor = Depends(current_actor),
) -> Response:
    """One tap: an approved prescription's items into the cart from the chosen pharmacy, then checkout."""
    if actor.user_id is None:
        return _signin(f"/consult/{consultation_id}")
    form = await request.form()
    try:
        pharmacy_id = uuid.UUID(str(form.get("pharmacy_id") or ""))
    except ValueError:
        raise InvalidInput("choose a pharmacy", code="bad_cart_request") from None
    async with db.session_scope() as session:
        c = await consult.access_consultation_by_id(session, actor, consultation_id)
        if consult.role_in(actor, c) != "patient":
            raise PermissionDenied("only the patient buys the prescribed medicine")
        rx = next(
            (
                r
                for r in await prescriptions.prescriptions_of_consultation(session, c.id)
                if r.id == prescription_id
            ),
            None,
        )
        if rx is None:
            raise NotFound("no such prescription")
        if prescriptions.effective_status(rx) != "approved":
            raise PermissionDenied(
                "this prescription is not approved, has expired or was already used",
                code="prescription_required",
            )
        addresses = await accounts.list_addresses(session, actor)
        for medicine_id, quantity in _prescribed_units(rx).items():
            await orders.remove_from_cart(session, actor, medicine_id)  # a second tap never doubles it
            await orders.add_to_cart(
                session, actor, pharmacy_id, medicine_id, quantity, replace_pharmacy=True
            )
    query: dict[str, str] = {"profile_id": str(rx.profile_id)}
    if addresses:
        home = addresses[0]
        query.update(lat=str(home.lat), lng=str(home.lng), address=f"{home.line}, {home.city}"[:300])
    return RedirectResponse(f"/shop/cart?{urlencode(query)}", status_code=303)


@router.post("/consult/{consultation_id}/close")
async def close(consultation_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> Response:
    """End the consultation from the chat page."""
    if actor.user_id is None:
        return _signin(f"/consult/{consultation_id}")
    async with db.session_scope() as session:
        await consult.close_consultation(session, actor, consultation_id)
    await consult.announce_sync(consultation_id)
    return RedirectResponse(f"/consult/{consultation_id}", status_code=303)


@router.post("/consult/{consultation_id}/rating")
async def rate(
    request: Request, consultation_id: uuid.UUID, actor: Actor = Depends(current_actor)
) -> Response:
    """Rate a closed consultation from the chat page."""
    if actor.user_id is None:
        return _signin(f"/consult/{consultation_id}")
    form = await request.form()
    try:
        stars = int(str(form.get("stars") or "0"))
    except ValueError:
        stars = 0
    async with db.session_scope() as session:
        await consult.rate_consultation(
            session, actor, consultation_id, stars, str(form.get("comment") or "")
        )
    return RedirectResponse(f"/consult/{consultation_id}", status_code=303)

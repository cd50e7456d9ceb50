"""Customer shop pages (mobile-first): search with offers, storefront, cart, checkout, sandbox pay
page, and the order tracking page with live updates and the handover code."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from medrush import orders, pharmacies
from medrush.accounts import Actor
from medrush.kernel import db
from medrush.kernel.errors import DomainError, InvalidInput, NotFound
from medrush.kernel.i18n import gettext
from medrush.kernel.money import format_minor
from medrush.web.deps import current_actor
from medrush.web.rendering import page_lang, render
from medrush.web.safety_marks import mark_results

__all__ = ["router"]

router = APIRouter(prefix="/shop", include_in_schema=False)
DEFAULT_POINT = (31.2304, 121.4737)  # People's Square, Shanghai


def _point(request: Request) -> tuple[float, float]:
    try:
        lat = float(request.query_params.get("lat") or request.cookies.get("lat") or DEFAULT_POINT[0])
        lng = float(request.query_params.get("lng") or request.cookies.get("lng") or DEFAULT_POINT[1])
    except ValueError:
        return DEFAULT_POINT
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return DEFAULT_POINT
    return lat, lng


def _profile_id(raw: object) -> uuid.UUID | None:
    """The patient profile a cart is for (prescription-only items need it), from a query or form."""
    try:
        return uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None


def _signin(next_path: str) -> Response:
    return RedirectResponse(f"/signin?next={next_path}", status_code=303)


def _money(minor: int, currency: str = "CNY") -> str:
    return format_minor(minor, currency)


def _red_flags(text: str, lang: str) -> list[str]:
    """The emergency findings of the safety engine's red-flag triage on a search text ("chest pain
    and sweating", 胸口剧痛): someone typing symptoms into search is told to call for help at once."""
    from medrush import safety

    resolve, get = safety.catalog_ports()
    result = safety.check({"patient": {}, "symptoms": text, "lang": lang}, resolve=resolve, get=get)
    return [f.message for f in result.findings if f.severity == "emergency"]


@router.get("", response_class=HTMLResponse)
async def shop(request: Request, q: str = "", actor: Actor = Depends(current_actor)) -> Response:
    """Search medicines and see which open pharmacies can deliver them here within the promise;
    signed in, the results are checked for the chosen family member (``for``)."""
    from medrush import accounts, catalog

    lat, lng = _point(request)
    results: list[dict[str, Any]] = []
    not_sold: list[str] = []  # words of the query naming kinds of product the pharmacies do not sell
    emergency: list[str] = []  # red flags in the query: told to call emergency services first
    family: list[Any] = []
    chosen = _profile_id(request.query_params.get("for"))
    lang = page_lang(request)
    async with db.session_scope() as session:
        if actor.user_id is not None:
            family = await accounts.list_profiles(session, actor)
            if chosen is None and family:
                chosen = family[0].id
        if q.strip():
            emergency = _red_flags(q.strip()[:200], lang)
            index = await catalog.ensure_index(session)
            hits = index.search(q.strip()[:200], limit=30)
            offers = await orders.search_offers(session, [h.product.id for h in hits], lat, lng)
            results = catalog.results_with_offers(hits, offers, lang)[:12]
            not_sold = [] if hits else index.not_sold_terms(q.strip()[:200])
            if chosen is not None and results:
                await mark_results(session, actor, chosen, results, lang)
    response = render(
        request,
        "shop/search.html",
        {
            "q": q,
            "lat": lat,
            "lng": lng,
            "results": results,
            "not_sold": not_sold,
            "emergency": emergency,
            "family": family,
            "chosen": chosen,
            "promise": orders.current_promise(),
            "money": _money,
        },
    )
    if request.query_params.get("lat") and request.query_params.get("lng"):
        response.set_cookie("lat", str(lat), max_age=30 * 86400, samesite="lax")
        response.set_cookie("lng", str(lng), max_age=30 * 86400, samesite="lax")
    return response


@router.get("/pharmacies/{pharmacy_id}", response_class=HTMLResponse)
async def storefront_page(request: Request, pharmacy_id: uuid.UUID) -> Response:
    """A pharmacy's storefront: banner, categories, promotions, hours, pharmacist on duty."""
    from medrush.web.api.v1.pharmacies import storefront

    async with db.session_scope() as session:
        front = await storefront(session, await pharmacies.get_pharmacy(session, pharmacy_id))
    return render(request, "shop/storefront.html", {"p": front})


@router.post("/cart")
async def add_to_cart(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Add an offer to the cart (replacing another pharmacy's cart when asked)."""
    if actor.user_id is None:
        return _signin("/shop")
    form = await request.form()
    try:
        pharmacy_id = uuid.UUID(str(form.get("pharmacy_id")))
        quantity = int(str(form.get("quantity") or "1"))
    except ValueError as exc:
        raise InvalidInput("bad cart form", code="bad_form") from exc
    async with db.session_scope() as session:
        await orders.add_to_cart(
            session,
            actor,
            pharmacy_id,
            str(form.get("medicine_id") or ""),
            quantity,
            replace_pharmacy=form.get("replace") == "1",
        )
    return RedirectResponse("/shop/cart", status_code=303)


@router.get("/cart", response_class=HTMLResponse)
async def cart_page(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The cart with an honest quote: total and the realistic delivery time before paying."""
    if actor.user_id is None:
        return _signin("/shop/cart")
    lat, lng = _point(request)
    profile_id = _profile_id(request.query_params.get("profile_id"))
    quote: dict[str, Any] | None = None
    problem: str | None = None
    async with db.session_scope() as session:
        view = await orders.cart_view(session, actor)
        if view["lines"]:
            try:
                q = await orders.patient_quote(
                    session,
                    actor,
                    uuid.UUID(view["pharmacy_id"]),
                    [(line["medicine_id"], line["quantity"]) for line in view["lines"]],
                    lat,
                    lng,
                    profile_id=profile_id,
                )
                quote = q.to_dict()
            except DomainError as exc:
                problem = exc.translated(page_lang(request))
    return render(
        request,
        "shop/cart.html",
        {
            "cart": view,
            "quote": quote,
            "problem": problem,
            "lat": lat,
            "lng": lng,
            "money": _money,
            "checkout_key": uuid.uuid4().hex,
            "profile_id": profile_id,
            "address": request.query_params.get("address", "")[:300],
        },
    )


@router.post("/cart/remove")
async def remove(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Remove a line."""
    if actor.user_id is None:
        return _signin("/shop/cart")
    form = await request.form()
    async with db.session_scope() as session:
        await orders.remove_from_cart(session, actor, str(form.get("medicine_id") or ""))
    profile_id = _profile_id(form.get("profile_id"))
    return RedirectResponse(
        f"/shop/cart?profile_id={profile_id}" if profile_id else "/shop/cart", status_code=303
    )


@router.post("/checkout")
async def checkout(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """Place the cart as an order and go to the payment page (safety warnings need a tick)."""
    if actor.user_id is None:
        return _signin("/shop/cart")
    form = await request.form()
    lat, lng = _point(request)
    with contextlib.suppress(ValueError):
        lat, lng = float(str(form.get("lat"))), float(str(form.get("lng")))
    key = str(form.get("checkout_key") or "") or None
    profile_id = _profile_id(form.get("profile_id"))
    view: dict[str, Any] = {"lines": []}
    try:
        # the error is handled outside the transaction so that it rolls back: a refused checkout
        # leaves neither its idempotency key nor anything half-done behind
        async with db.session_scope() as session:
            view = await orders.cart_view(session, actor)
            if not view["lines"] and key is None:
                return RedirectResponse("/shop/cart", status_code=303)

            async def produce() -> tuple[int, dict[str, Any]]:
                if not view["lines"]:
                    raise InvalidInput("the cart is empty", code="empty_cart")
                result = await orders.checkout(
                    session,
                    actor,
                    pharmacy_id=uuid.UUID(view["pharmacy_id"]),
                    items=[(line["medicine_id"], line["quantity"]) for line in view["lines"]],
                    lat=lat,
                    lng=lng,
                    address=str(form.get("address") or "")[:300],
                    confirm_warnings=form.get("confirm_warnings") == "1",
                    symptoms=str(form.get("symptoms") or "")[:2000] or None,
                    profile_id=profile_id,
                )
                await orders.clear_cart(session, actor)
                return 303, {"location": f"/shop/pay/{result.payment.provider_ref}"}

            # a double click (or a retried post) with the same form key places one order
            done = await orders.run_idempotent(
                session, scope=f"shop-checkout:{actor.user_id}", key=key, body={"form": key}, produce=produce
            )
    except DomainError as exc:
        safety = exc.details if isinstance(exc.details, dict) and "findings" in exc.details else None
        ctx = {
            "cart": view,
            "quote": None,
            "problem": exc.translated(page_lang(request)),
            "safety": safety,
            "lat": lat,
            "lng": lng,
            "money": _money,
            "checkout_key": uuid.uuid4().hex,
            "profile_id": profile_id,
            "address": str(form.get("address") or "")[:300],
        }
        return render(request, "shop/cart.html", ctx, status_code=exc.status)
    return RedirectResponse(done.body["location"], status_code=303)


async def _payment_and_order(actor: Actor, ref: str) -> tuple[Any, Any]:
    async with db.session_scope() as session:
        payment = await orders.payment_by_ref(session, "sandbox", ref)
        order = await orders.access_order_by_id(session, actor, payment.order_id)
        if order.customer_id != actor.user_id:  # only the customer pays, not staff who can see it
            raise NotFound("no such payment", code="payment_not_found")
        return payment, order


@router.get("/pay/{ref}", response_class=HTMLResponse)
async def pay_page(request: Request, ref: str, actor: Actor = Depends(current_actor)) -> Response:
    """The sandbox provider's own pay page (no real money)."""
    if actor.user_id is None:
        return _signin(f"/shop/pay/{ref}")
    payment, order = await _payment_and_order(actor, ref)
    return render(request, "shop/pay.html", {"payment": payment, "order": order, "money": _money})


@router.post("/pay/{ref}")
async def pay(request: Request, ref: str, actor: Actor = Depends(current_actor)) -> Response:
    """Complete (or fail) the sandbox payment: a signed webhook through the same handler as a real one."""
    if actor.user_id is None:
        return _signin(f"/shop/pay/{ref}")
    payment, order = await _payment_and_order(actor, ref)
    outcome = "payment.failed" if (await request.form()).get("outcome") == "fail" else "payment.succeeded"
    provider = orders.get_provider("sandbox")
    assert isinstance(provider, orders.SandboxProvider)
    body, signature = provider.event(outcome, ref, payment.amount)
    async with db.session_scope() as session:
        await orders.handle_payment_webhook(session, "sandbox", body, signature)
    return RedirectResponse(f"/shop/orders/{order.id}", status_code=303)


def _cancel_reasons(request: Request) -> dict[str, str]:
    """The platform's cancellation reasons in the page language (a staff member's own words stay)."""
    lang = page_lang(request)
    return {reason: gettext(lang, reason) for reason in orders.CANCEL_REASONS}


@router.get("/orders", response_class=HTMLResponse)
async def my_orders(request: Request, actor: Actor = Depends(current_actor)) -> Response:
    """The customer's orders, newest first, each linking to its tracking page."""
    if actor.user_id is None:
        return _signin("/shop/orders")
    async with db.session_scope() as session:
        mine = await orders.customer_orders(session, actor, limit=50)
    reasons = _cancel_reasons(request)
    return render(request, "shop/orders.html", {"orders": mine, "money": _money, "cancel_reasons": reasons})


@router.get("/orders/{order_id}", response_class=HTMLResponse)
async def tracking(request: Request, order_id: uuid.UUID, actor: Actor = Depends(current_actor)) -> Response:
    """The order tracking page: status steps, ETA, handover code; updates live over SSE."""
    if actor.user_id is None:
        return _signin(f"/shop/orders/{order_id}")
    async with db.session_scope() as session:
        order = await orders.access_order_by_id(session, actor, order_id)
        view = await orders.order_view(session, actor, order)
    reasons = _cancel_reasons(request)
    return render(
        request, "shop/order.html", {"o": view, "money": _money, "steps": STEPS, "cancel_reasons": reasons}
    )


STEPS = ("placed", "paid", "accepted", "picking", "ready", "courier_assigned", "picked_up", "delivered")

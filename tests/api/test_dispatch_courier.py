"""The courier API over HTTP and WebSocket: shift, offers, pickup, drop-off, bad input."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from medrush import dispatch
from medrush.accounts import Role
from medrush.dispatch import CourierStatus, subscribers
from medrush.dispatch.live import zone_of
from medrush.dispatch.models import Courier, DeliveryJob
from medrush.kernel import clock, db
from medrush.kernel.bus import Bus
from medrush.kernel.events import Event
from tests.factories.accounts import make_user

PHARMACY = (31.2304, 121.4737)  # People's Square
CUSTOMER = (31.2394, 121.4737)  # 1 km north


async def ready_order(pharmacy: tuple[float, float], drop: tuple[float, float], code: str) -> uuid.UUID:
    """Feed dispatch the ``orders.ready`` event of a new delivery order."""
    order_id = uuid.uuid4()
    payload = {
        "order_id": str(order_id),
        "pharmacy_id": str(uuid.uuid4()),
        "fulfilment": "delivery",
        "lat": drop[0],
        "lng": drop[1],
        "promised_by": (clock.now() + timedelta(minutes=30)).isoformat(),
        "pharmacy_lat": pharmacy[0],
        "pharmacy_lng": pharmacy[1],
        "handover_code": code,
    }
    async with db.session_scope() as session:
        await subscribers.on_order_ready(
            session, Event(int(uuid.uuid4().int % 10**12), "orders.ready", payload, clock.now())
        )
    return order_id


async def round_here() -> dispatch.RoundReport:
    """One dispatch round in the zone of the test pharmacy."""
    async with db.session_scope() as session:
        return await dispatch.run_round(session, zone_of(*PHARMACY))


async def settle_zone() -> None:
    """Close every open job of the zone and take its couriers offline, as earlier tests (these or
    the integration tests of the same database) left them: each test starts from a clean zone."""
    async with db.session_scope() as session:
        rows = (
            await session.scalars(
                select(DeliveryJob).where(
                    DeliveryJob.zone == zone_of(*PHARMACY),
                    DeliveryJob.status.in_(("open", "offered", "assigned", "picked_up")),
                )
            )
        ).all()
        for row in rows:
            row.status = "cancelled"
        await session.execute(
            update(Courier)
            .where(Courier.zone == zone_of(*PHARMACY), Courier.status != CourierStatus.OFFLINE)
            .values(status=CourierStatus.OFFLINE)
        )


async def test_courier_day_over_http(client: httpx.AsyncClient) -> None:
    await settle_zone()
    courier = await make_user(Role.COURIER)
    h = courier.headers
    fresh = (await client.get("/api/v1/courier/me", headers=h)).json()
    nothing_yet = fresh.pop("delivered")
    assert (nothing_yet["count"], nothing_yet["on_time"], nothing_yet["jobs"]) == (0, 0, [])
    unpaid = fresh.pop("earnings")  # no shift, no delivery: nothing earned
    assert (unpaid["deliveries"], unpaid["shift_seconds"], unpaid["guarantee"], unpaid["due"]) == (0, 0, 0, 0)
    assert fresh == {
        "courier_id": str(courier.user.id),
        "status": "offline",
        "vehicle": "bicycle",
        "on_shift": False,
        "shift_ends_at": None,
        "position": None,
        "offline_reason": None,
        "offers": [],
        "jobs": [],
        "route": [],
    }
    started = await client.post(
        "/api/v1/courier/shift",
        json={"minutes": 120, "vehicle": "scooter", "lat": PHARMACY[0], "lng": PHARMACY[1]},
        headers=h,
    )
    assert started.status_code == 200, started.text
    board = started.json()
    assert (board["status"], board["vehicle"], board["on_shift"]) == ("online", "scooter", True)
    assert board["offers"] == [] and board["route"] == []

    order_id = await ready_order(PHARMACY, CUSTOMER, "7305")
    assert (await round_here()).offers == 1
    offers = (await client.get("/api/v1/courier/offers", headers=h)).json()
    assert len(offers) == 1
    # a 45-second offer, counting down (a loaded machine may take seconds)
    assert 30 <= offers[0]["seconds_left"] <= 45
    assert [j["order_id"] for j in offers[0]["jobs"]] == [str(order_id)]

    accepted = await client.post(f"/api/v1/courier/offers/{offers[0]['offer_id']}/accept", headers=h)
    assert accepted.status_code == 200, accepted.text
    route = accepted.json()["route"]
    assert [s["kind"] for s in route] == ["pickup", "dropoff"]
    job_id = accepted.json()["jobs"][0]["job_id"]
    again = await client.post(f"/api/v1/courier/offers/{offers[0]['offer_id']}/accept", headers=h)
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "this offer is already accepted"

    picked = await client.post(
        f"/api/v1/courier/jobs/{job_id}/pickup", json={"lat": PHARMACY[0], "lng": PHARMACY[1]}, headers=h
    )
    assert picked.status_code == 200
    assert picked.json()["jobs"][0]["status"] == "picked_up"
    wrong = await client.post(f"/api/v1/courier/jobs/{job_id}/dropoff", json={"code": "0000"}, headers=h)
    assert wrong.status_code == 422
    assert wrong.json()["error"]["message"] == "wrong handover code"
    done = await client.post(
        f"/api/v1/courier/jobs/{job_id}/dropoff",
        json={"code": "7305", "lat": CUSTOMER[0], "lng": CUSTOMER[1]},
        headers=h,
    )
    assert done.status_code == 200
    assert done.json()["jobs"] == []
    # the board keeps the day's deliveries: how many, how many by the promise, the latest first
    delivered = done.json()["delivered"]
    assert (delivered["count"], delivered["on_time"]) == (1, 1)
    assert [(j["order_id"], j["late_minutes"]) for j in delivered["jobs"]] == [(str(order_id), 0)]
    assert delivered["jobs"][0]["picked_up_at"] <= delivered["jobs"][0]["delivered_at"]
    # another courier's board does not list it
    other = await make_user(Role.COURIER)
    theirs = (await client.get("/api/v1/courier/me", headers=other.headers)).json()["delivered"]
    assert (theirs["count"], theirs["jobs"]) == (0, [])
    # it is paid to this courier (the shift of a few seconds guarantees less), not to the other one
    earned = done.json()["earnings"]
    assert (earned["deliveries"], earned["delivery_pay"], earned["due"]) == (1, 700, 700)
    assert 0 <= earned["shift_seconds"] < 600 and earned["guarantee"] < 700
    not_theirs = (await client.get("/api/v1/courier/me", headers=other.headers)).json()["earnings"]
    assert (not_theirs["deliveries"], not_theirs["delivery_pay"], not_theirs["due"]) == (0, 0, 0)

    ended = await client.delete("/api/v1/courier/shift", headers=h)
    assert (ended.json()["status"], ended.json()["on_shift"]) == ("offline", False)


async def test_decline_over_http_sends_the_job_elsewhere(client: httpx.AsyncClient) -> None:
    await settle_zone()
    first = await make_user(Role.COURIER)
    second = await make_user(Role.COURIER)
    for who, north in ((first, 0.0), (second, 0.01)):
        r = await client.post(
            "/api/v1/courier/shift",
            json={"minutes": 60, "lat": PHARMACY[0] + north, "lng": PHARMACY[1]},
            headers=who.headers,
        )
        assert r.status_code == 200
    await ready_order(PHARMACY, CUSTOMER, "1234")
    await round_here()
    [offer] = (await client.get("/api/v1/courier/offers", headers=first.headers)).json()
    declined = await client.post(
        f"/api/v1/courier/offers/{offer['offer_id']}/decline",
        json={"reason": "flat tyre"},
        headers=first.headers,
    )
    assert declined.status_code == 200
    assert declined.json()["offers"] == []
    await round_here()
    assert len((await client.get("/api/v1/courier/offers", headers=second.headers)).json()) == 1
    assert (await client.get("/api/v1/courier/offers", headers=first.headers)).json() == []
    for who in (first, second):
        await client.post("/api/v1/courier/offline", headers=who.headers)


# fixed ids that name no row: the parameters must be the same in every pytest-xdist worker
NO_SUCH = "00000000-0000-4000-8000-00000000dead"
BAD_REQUESTS: list[tuple[str, str, Any, int, str]] = [
    ("post", "/api/v1/courier/shift", {"minutes": 5}, 422, "minutes"),
    ("post", "/api/v1/courier/shift", {"minutes": 60, "vehicle": "rocket"}, 422, "vehicle"),
    ("post", "/api/v1/courier/shift", {"minutes": 60, "lat": 31.2}, 422, "give both lat and lng"),
    ("post", "/api/v1/courier/location", {"lat": 100, "lng": 0}, 422, "lat"),
    ("post", "/api/v1/courier/location", {"lat": "north"}, 422, "lat"),
    ("post", f"/api/v1/courier/offers/{NO_SUCH}/accept", None, 404, "no such offer"),
    ("post", f"/api/v1/courier/offers/{NO_SUCH}/decline", {"reason": "x" * 41}, 422, "reason"),
    ("post", "/api/v1/courier/offers/not-a-uuid/accept", None, 422, "offer_id"),
    ("post", f"/api/v1/courier/jobs/{NO_SUCH}/pickup", {}, 404, "no such job"),
    ("post", f"/api/v1/courier/jobs/{NO_SUCH}/dropoff", {}, 422, "code"),
    ("get", "/api/v1/dispatch/eta?pharmacy_lat=31&pharmacy_lng=121&lat=95&lng=121", None, 422, "lat"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "needle"), BAD_REQUESTS)
async def test_bad_input_gets_4xx_with_a_message(
    client: httpx.AsyncClient, method: str, path: str, body: Any, status: int, needle: str
) -> None:
    courier = await make_user(Role.COURIER)
    await client.post(
        "/api/v1/courier/shift",
        json={"minutes": 30, "lat": PHARMACY[0], "lng": PHARMACY[1]},
        headers=courier.headers,
    )
    kwargs: dict[str, Any] = {"headers": courier.headers}
    if body is not None:
        kwargs["json"] = body
    response = await client.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    assert needle in response.json()["error"]["message"]
    await client.post("/api/v1/courier/offline", headers=courier.headers)


async def test_only_couriers_use_the_courier_api(client: httpx.AsyncClient) -> None:
    customer = await make_user(Role.CUSTOMER)
    assert (await client.get("/api/v1/courier/me")).status_code == 401
    refused = await client.post("/api/v1/courier/shift", json={"minutes": 60}, headers=customer.headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "needs role courier"


async def test_websocket_pushes_offers_and_takes_pings(live_server: str, database: str) -> None:
    import websockets
    from websockets.exceptions import InvalidStatus

    courier = await make_user(Role.COURIER)
    async with httpx.AsyncClient(base_url=live_server) as http:
        r = await http.post(
            "/api/v1/courier/shift",
            json={"minutes": 60, "lat": 35.0, "lng": 135.0},
            headers=courier.headers,
        )
        assert r.status_code == 200
    url = live_server.replace("http://", "ws://") + "/api/v1/courier/ws"
    with pytest.raises(InvalidStatus) as refused:  # closed before accepting: the handshake gets 403
        async with websockets.connect(url):
            pass
    assert refused.value.response.status_code == 403

    bus = Bus("postgres", dsn=database)
    await bus.start()
    try:
        async with websockets.connect(f"{url}?token={courier.token}") as ws:
            hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert (hello["type"], hello["board"]["status"]) == ("board", "online")
            await ws.send("not json")
            assert json.loads(await ws.recv())["type"] == "error"
            await ws.send(json.dumps({"type": "location", "lat": 135.0, "lng": 35.0}))
            bad = json.loads(await ws.recv())
            assert bad["type"] == "error" and "lat" in bad["message"]
            await ws.send(json.dumps({"type": "location", "lat": 35.001, "lng": 135.0}))
            assert json.loads(await ws.recv()) == {"type": "ack"}
            await bus.publish(f"courier:{courier.user.id}", {"type": "offer", "offer_id": "x"})
            pushed = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert pushed == {"type": "offer", "offer_id": "x"}
    finally:
        await bus.stop()
    async with db.session_scope() as session:
        board = await dispatch.courier_board(session, courier.actor)
    assert board["position"]["lat"] == 35.001


async def test_operator_tracks_an_order_and_asks_the_eta(client: httpx.AsyncClient) -> None:
    await settle_zone()
    operator = await make_user(Role.OPERATOR)
    courier = await make_user(Role.COURIER)
    north = (PHARMACY[0] + 0.0045, PHARMACY[1])  # about 500 m north of the pharmacy
    await client.post(
        "/api/v1/courier/shift",
        json={"minutes": 60, "lat": north[0], "lng": north[1]},
        headers=courier.headers,
    )
    unknown = await client.get(f"/api/v1/dispatch/orders/{uuid.uuid4()}/tracking", headers=operator.headers)
    assert (unknown.status_code, unknown.json()["error"]["message"]) == (
        404,
        "no delivery for this order yet",
    )
    order_id = await ready_order(PHARMACY, CUSTOMER, "2468")
    await round_here()
    [offer] = (await client.get("/api/v1/courier/offers", headers=courier.headers)).json()
    await client.post(f"/api/v1/courier/offers/{offer['offer_id']}/accept", headers=courier.headers)
    seen = await client.get(f"/api/v1/dispatch/orders/{order_id}/tracking", headers=operator.headers)
    assert seen.status_code == 200
    view = seen.json()
    assert (view["status"], view["courier"]["lat"]) == ("assigned", north[0])
    assert view["eta_dropoff"] is not None
    eta = await client.get(
        "/api/v1/dispatch/eta",
        params={
            "pharmacy_lat": PHARMACY[0],
            "pharmacy_lng": PHARMACY[1],
            "lat": CUSTOMER[0],
            "lng": CUSTOMER[1],
        },
        headers=operator.headers,
    )
    assert eta.status_code == 200
    assert eta.json()["eta_minutes"] > 0
    await client.post("/api/v1/courier/offline", headers=courier.headers)


async def test_courier_endpoints_answer_garbage_with_4xx_and_a_message(client: httpx.AsyncClient) -> None:
    from tests.api.test_bad_input import BAD_BODIES, PARAM_VALUES
    from tests.integration.pharmacies.world import ensure_tables

    await ensure_tables()  # tracking asks orders (whose tables may not be migrated yet)
    courier = await make_user(Role.COURIER)
    await client.post(
        "/api/v1/courier/shift", json={"minutes": 30, "lat": 10.0, "lng": 10.0}, headers=courier.headers
    )
    spec = (await client.get("/openapi.json")).json()
    paths = [p for p in spec["paths"] if p.startswith(("/api/v1/courier", "/api/v1/dispatch"))]
    assert len(paths) >= 10
    failures: list[str] = []
    for path in paths:
        for method in spec["paths"][path]:
            for value in PARAM_VALUES:
                url = (
                    path.replace("{offer_id}", value).replace("{job_id}", value).replace("{order_id}", value)
                )
                bodies = BAD_BODIES if method in ("post", "put", "patch") else [("no body", b"")]
                for label, body in bodies:
                    response = await client.request(
                        method.upper(),
                        url,
                        content=body or None,
                        headers={"content-type": "application/json", **courier.headers},
                        params={"lat": "north"},
                    )
                    if response.status_code >= 500:
                        failures.append(f"{method.upper()} {url} [{label}] -> {response.status_code}")
                    elif response.status_code >= 400 and not response.json()["error"]["message"]:
                        failures.append(f"{method.upper()} {url} [{label}] -> no message")
    await client.post("/api/v1/courier/offline", headers=courier.headers)
    assert failures == []


async def test_tracking_websocket_relays_the_order_channel(live_server: str, database: str) -> None:
    import websockets
    from websockets.exceptions import InvalidStatus

    from tests.integration.pharmacies.world import ensure_tables

    await ensure_tables()
    operator = await make_user(Role.OPERATOR)
    stranger = await make_user(Role.CUSTOMER)
    order_id = uuid.uuid4()
    url = live_server.replace("http://", "ws://") + f"/api/v1/dispatch/orders/{order_id}/ws"
    for token in ("", f"?token={stranger.token}"):  # nobody, and a customer who does not own it
        with pytest.raises(InvalidStatus) as refused:
            async with websockets.connect(url + token):
                pass
        assert refused.value.response.status_code == 403
    bus = Bus("postgres", dsn=database)
    await bus.start()
    try:
        async with websockets.connect(f"{url}?token={operator.token}") as ws:
            hello = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert hello == {"type": "tracking", "tracking": None}
            message = {"type": "eta", "order_id": str(order_id), "eta_dropoff": "2026-11-23T10:00:00+00:00"}
            await bus.publish(f"order:{order_id}", message)
            assert json.loads(await asyncio.wait_for(ws.recv(), 10)) == message
    finally:
        await bus.stop()

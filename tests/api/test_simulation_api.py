"""Operators simulate a city's day over HTTP: the JSON endpoint and the "Plan a day" page."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from medrush.accounts import Role
from tests.factories.accounts import PASSWORD, make_user
from tests.integration.pharmacies.world import make_city

URL = "/api/v1/simulation/day"


async def test_an_operator_sizes_a_city_s_fleet_and_tests_a_roster(
    client: httpx.AsyncClient, tables: str
) -> None:
    city = await make_city()
    operator = await make_user(Role.OPERATOR)
    sized = await client.post(
        URL, json={"city": city, "orders_per_day": 100, "consults_per_day": 200}, headers=operator.headers
    )
    assert sized.status_code == 200, sized.text
    day = sized.json()
    assert (day["city"], day["pharmacies"], day["meets_target"]) == (city, 2, True)
    assert [h["hour"] for h in day["hours"]] == list(range(24))
    assert day["courier_hours"] == sum(day["couriers_by_hour"])
    assert all(h["on_time_pct"] >= 95 for h in day["hours"] if h["orders"])
    assert {h["promise_minutes"] for h in day["hours"]} == {30, 60}
    assert all(h["clinicians"] >= 1 for h in day["hours"])
    tested = await client.post(
        URL,
        json={"city": city, "orders_per_day": 100, "couriers_by_hour": [1] * 24},
        headers=operator.headers,
    )
    assert tested.status_code == 200
    assert tested.json()["couriers_by_hour"] == [1] * 24
    assert tested.json()["orders"] == day["orders"]  # the same seed draws the same day
    assert tested.json()["iterations"] == 1


async def test_simulation_refuses_customers_bad_input_and_a_second_run_at_once(
    client: httpx.AsyncClient, tables: str
) -> None:
    city = await make_city()
    operator = await make_user(Role.OPERATOR)
    customer = await make_user(Role.CUSTOMER)
    assert (await client.post(URL, json={"city": city}, headers=customer.headers)).status_code == 403
    cases = [
        ({"city": "Atlantis"}, 404, "no_pharmacies"),
        ({"city": city, "orders_per_day": 0}, 422, "invalid_input"),
        ({"city": city, "orders_per_day": 10**6}, 422, "invalid_input"),
        ({"city": city, "surge": "evening"}, 422, "bad_surge"),
        ({"city": city, "couriers_by_hour": [1] * 23}, 422, "invalid_input"),
        ({"city": city, "couriers_by_hour": [-1] * 24}, 422, "invalid_input"),
        ({"city": city, "couriers_by_hour": [10**12] * 24}, 422, "invalid_input"),
        ({"city": city, "orders_per_day": 6000, "surge": "0-24x20"}, 422, "bad_orders"),  # 120,000 expected
        ({"city": city, "consults_per_day": 10**8}, 422, "invalid_input"),
        ({"city": city, "seed": -1}, 422, "invalid_input"),
    ]
    for body, status, code in cases:
        refused = await client.post(URL, json=body, headers=operator.headers)
        assert (refused.status_code, refused.json()["error"]["code"]) == (status, code), body
    unknown = await client.post(
        URL, params={"lang": "zh"}, json={"city": "Atlantis"}, headers=operator.headers
    )
    assert unknown.json()["error"]["message"] == "Atlantis 没有已审核通过的药店"
    body = {"city": city, "orders_per_day": 120, "couriers_by_hour": [2] * 24}
    both = await asyncio.gather(*(client.post(URL, json=body, headers=operator.headers) for _ in range(2)))
    assert sorted(r.status_code for r in both) == [200, 409]
    busy = next(r for r in both if r.status_code == 409)
    assert busy.json()["error"]["code"] == "simulation_busy"


async def test_the_plan_a_day_page_shows_couriers_and_clinicians_per_hour(app: object, tables: str) -> None:
    city = await make_city()
    operator = await make_user(Role.OPERATOR)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as ops:
        signed = await ops.post(
            "/signin", data={"email": operator.user.email, "password": PASSWORD, "next": "/"}
        )
        assert signed.status_code == 303
        assert "/operator/simulate" in (await ops.get("/operator")).text
        form = await ops.get("/operator/simulate")
        assert form.status_code == 200 and f'<option value="{city}"' in form.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        fields = {
            "csrf_token": token.group(1),
            "city": city,
            "orders_per_day": "100",
            "consults_per_day": "100",
        }
        done = await ops.post("/operator/simulate", data=fields)
        assert done.status_code == 200, done.text
        table = done.text.split('data-test="simulate-hours"')[1].split("</table>")[0]
        assert table.count("<tr>") == 25  # the header and 24 hours
        assert "every hour meets the target" in done.text
        refused = await ops.post("/operator/simulate", data={**fields, "surge": "evening"})
        assert refused.status_code == 422 and 'data-test="simulate-error"' in refused.text
        assert 'value="evening"' in refused.text  # what was typed stays
        chinese = await ops.post("/operator/simulate?lang=zh", data={**fields, "orders_per_day": "lots"})
        assert chinese.status_code == 422 and "当天订单数 须为 1 到 6000 的整数" in chinese.text
        blank = await ops.post("/operator/simulate", data={**fields, "city": " "})
        assert blank.status_code == 422 and 'data-test="simulate-error"' in blank.text
        assert "city: " in blank.text.split('data-test="simulate-error">')[1].split("<")[0]
        korean = await ops.post("/operator/simulate?lang=ko", data={**fields, "city": "Atlantis"})
        assert korean.status_code == 404 and "Atlantis에 승인된 약국이 없습니다" in korean.text


async def test_a_day_past_the_time_limit_is_stopped_and_the_next_one_runs(
    client: httpx.AsyncClient, tables: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from medrush.web import simulation_runs

    city = await make_city()
    operator = await make_user(Role.OPERATOR)
    monkeypatch.setattr(simulation_runs, "WEB_TIME_LIMIT_SECONDS", 0.5)  # less than a child's start-up
    stopped = await client.post(URL, json={"city": city, "orders_per_day": 3000}, headers=operator.headers)
    assert (stopped.status_code, stopped.json()["error"]["code"]) == (503, "simulation_timeout")
    monkeypatch.setattr(simulation_runs, "WEB_TIME_LIMIT_SECONDS", 180.0)
    body = {"city": city, "orders_per_day": 100, "couriers_by_hour": [2] * 24}
    after = await client.post(URL, json=body, headers=operator.headers)
    assert after.status_code == 200, after.text

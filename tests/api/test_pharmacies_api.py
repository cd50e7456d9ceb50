"""Pharmacies over HTTP: storefront, stock CSV import report, permissions."""

from __future__ import annotations

import re
import uuid
from datetime import time

import httpx

from medrush import catalog, pharmacies
from medrush.accounts import Role
from medrush.kernel import db
from tests.factories.accounts import PASSWORD, make_user
from tests.integration.pharmacies.world import make_pharmacy, staff_of


async def test_storefront_is_public(client: httpx.AsyncClient, tables: str) -> None:
    pid = await make_pharmacy(name="Front Door Pharmacy")
    front = await client.get(f"/api/v1/pharmacies/{pid}")
    assert front.status_code == 200
    assert front.json()["name"] == "Front Door Pharmacy"
    assert front.json()["open_now"] is True
    assert front.json()["pharmacist_on_duty"] == "Li Wei"
    assert (await client.get("/api/v1/pharmacies/not-a-uuid")).status_code == 422


async def test_csv_import_reports_rows_and_checks_who_imports(client: httpx.AsyncClient, tables: str) -> None:
    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)
        await catalog.rebuild_index(session)
    pid = await make_pharmacy()
    staff = await make_user(Role.PHARMACY_STAFF, pharmacy_id=pid)
    other = await make_user(Role.PHARMACY_STAFF, pharmacy_id=await make_pharmacy())
    csv_text = "medicine_id,quantity,price\nparacetamol-500mg-tab-20,4,9.90\nnot-in-catalog,3,1\n"
    files = {"file": ("stock.csv", csv_text.encode(), "text/csv")}
    refused = await client.post(f"/api/v1/pharmacies/{pid}/stock/import", files=files, headers=other.headers)
    assert refused.status_code == 403
    report = await client.post(f"/api/v1/pharmacies/{pid}/stock/import", files=files, headers=staff.headers)
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["applied"], body["rejected"]) == (1, 1)
    assert body["errors"] == [
        {"line": 3, "medicine_id": "not-in-catalog", "message": "unknown product 'not-in-catalog'"}
    ]
    malformed = await client.post(
        f"/api/v1/pharmacies/{pid}/stock/import",
        content=b"just,some\nwords,here\n",
        headers={**staff.headers, "Content-Type": "text/csv"},
    )
    assert malformed.status_code == 422
    assert malformed.json()["fatal"] == "missing column(s): medicine_id, quantity, price"
    in_korean = await client.post(  # a signed-in caller names the language (else the account's)
        f"/api/v1/pharmacies/{pid}/stock/import",
        params={"lang": "ko"},
        content=b"medicine_id\nx\n",
        headers={**staff.headers, "Content-Type": "text/csv"},
    )
    assert (in_korean.status_code, in_korean.json()["fatal"]) == (422, "열이 없습니다: quantity, price")
    stock = await client.get(f"/api/v1/pharmacies/{pid}/stock", headers=staff.headers)
    assert [(s["medicine_id"], s["quantity"], s["price"]) for s in stock.json()] == [
        ("paracetamol-500mg-tab-20", 4, 990)
    ]


async def signed_in_form(http: httpx.AsyncClient, email: str, path: str) -> str:
    """Sign in through the page form and return the CSRF token of the page at ``path``."""
    signed = await http.post("/signin", data={"email": email, "password": PASSWORD, "next": "/"})
    assert signed.status_code == 303
    token = re.search(r'name="csrf_token" value="([^"]+)"', (await http.get(path)).text)
    assert token is not None
    return token.group(1)


async def test_the_console_shows_a_file_refusal_in_the_page_language(app: object, tables: str) -> None:
    pid = await make_pharmacy(name="Console CSV Pharmacy")
    staff = await make_user(Role.PHARMACY_STAFF, pharmacy_id=pid)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        token = await signed_in_form(http, staff.user.email, "/merchant/stock")
        report = await http.post(
            "/merchant/stock/import?lang=zh",
            data={"csrf_token": token},
            files={"file": ("s.csv", b"medicine_id,qty\nx,1\n", "text/csv")},
        )
    assert report.status_code == 422
    assert '<p class="error">缺少列：quantity, price</p>' in report.text
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        token = await signed_in_form(http, staff.user.email, "/merchant/stock")
        no_file = await http.post("/merchant/stock/import", data={"csrf_token": token, "file": "x,1,2"})
    assert no_file.status_code == 422  # a plain form carries no file: said so, not a crash
    assert "attach the CSV" in no_file.text


async def test_consultation_holds_are_for_clinicians_and_staff(
    client: httpx.AsyncClient, tables: str
) -> None:
    pid = await make_pharmacy(stock=[("held-thing", 3, 100)])
    doctor = await make_user(Role.DOCTOR)
    customer = await make_user(Role.CUSTOMER)
    body = {"medicine_id": "held-thing", "quantity": 2, "ref": "consult-7", "minutes": 30}
    refused = await client.post(f"/api/v1/pharmacies/{pid}/holds", json=body, headers=customer.headers)
    assert refused.status_code == 403
    held = await client.post(f"/api/v1/pharmacies/{pid}/holds", json=body, headers=doctor.headers)
    assert held.status_code == 201
    assert held.json()["ref"] == "consult:consult-7"
    too_many = await client.post(
        f"/api/v1/pharmacies/{pid}/holds", json={**body, "ref": "consult-8"}, headers=doctor.headers
    )
    assert too_many.status_code == 409
    assert (
        await client.delete(f"/api/v1/pharmacies/{pid}/holds/consult-7", headers=customer.headers)
    ).status_code == 403
    released = await client.delete(f"/api/v1/pharmacies/{pid}/holds/consult-7", headers=doctor.headers)
    assert released.json() == {"released": 2}


async def test_applying_twice_with_one_key_is_one_application(client: httpx.AsyncClient, tables: str) -> None:
    applicant = await make_user(Role.CUSTOMER)
    body = {
        "name": "New Corner Pharmacy",
        "licence_number": f"LIC-{uuid.uuid4().hex[:8]}",
        "lat": 31.2,
        "lng": 121.4,
        "address": "9 Corner Road",
        "city": "Shanghai",
    }
    headers = {**applicant.headers, "Idempotency-Key": "apply-1"}
    first = await client.post("/api/v1/pharmacies", json=body, headers=headers)
    again = await client.post("/api/v1/pharmacies", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "applied"
    me = (await client.get("/api/v1/me", headers=applicant.headers)).json()
    assert "pharmacy_staff" in me["roles"]  # the applicant now runs the pharmacy's console
    without_key = await client.post("/api/v1/pharmacies", json=body, headers=applicant.headers)
    assert without_key.json()["error"]["code"] == "other_pharmacy"  # one pharmacy per account
    someone_else = await make_user(Role.CUSTOMER)
    same_licence = await client.post("/api/v1/pharmacies", json=body, headers=someone_else.headers)
    assert same_licence.status_code == 409
    assert same_licence.json()["error"]["code"] == "licence_taken"
    assert (
        "pharmacy_staff" not in (await client.get("/api/v1/me", headers=someone_else.headers)).json()["roles"]
    )


async def test_storefront_page_names_weekdays_in_the_reader_s_language(
    client: httpx.AsyncClient, tables: str
) -> None:
    pid = await make_pharmacy(name="Weekday Pharmacy", always_open=False)
    async with db.session_scope() as session:
        await pharmacies.set_opening_hours(
            session, staff_of(pid), pid, [pharmacies.Interval(0, time(8), time(20))]
        )
    pages = {
        lang: (await client.get(f"/shop/pharmacies/{pid}?lang={lang}")).text for lang in ("en", "zh", "ko")
    }
    assert "<td>Mon</td>" in pages["en"]
    assert "<td>周一</td>" in pages["zh"]
    assert "<td>월</td>" in pages["ko"]


async def test_a_merchant_applies_through_the_pages_and_an_operator_approves(
    app: object, tables: str
) -> None:
    merchant = await make_user(Role.CUSTOMER)
    operator = await make_user(Role.OPERATOR)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as shop,
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as ops,
    ):
        for http, who in ((shop, merchant), (ops, operator)):
            signed = await http.post(
                "/signin", data={"email": who.user.email, "password": PASSWORD, "next": "/"}
            )
            assert signed.status_code == 303
        sent = await shop.get("/merchant")
        assert (sent.status_code, sent.headers["location"]) == (303, "/merchant/apply")
        form_page = await shop.get("/merchant/apply")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form_page.text)
        assert token is not None
        licence = f"LIC-{uuid.uuid4().hex[:8]}"
        form = {
            "csrf_token": token.group(1),
            "name": "Page Applied Pharmacy",
            "licence_number": licence,
            "address": "1 Page Road",
            "city": "Shanghai",
            "lat": "31.21",
            "lng": "121.45",
        }
        refused = await shop.post("/merchant/apply", data={**form, "lat": "north"})
        assert refused.status_code == 422 and 'data-test="apply-error"' in refused.text
        assert 'value="Page Applied Pharmacy"' in refused.text  # what was typed stays
        applied = await shop.post("/merchant/apply", data=form)
        assert (applied.status_code, applied.headers["location"]) == (303, "/merchant")
        assert 'data-test="awaiting-approval"' in (await shop.get("/merchant")).text

        review = await ops.get("/operator/pharmacies")
        found = re.search(
            r'data-test="pharmacy-([0-9a-f-]+)"><td><a [^>]+>Page Applied Pharmacy<', review.text
        )
        assert found is not None
        applied_section = review.text.split('data-test="pharmacies-applied"')[1].split("</section>")[0]
        assert "Page Applied Pharmacy" in applied_section
        pid = found.group(1)
        ops_token = re.search(r'name="csrf_token" value="([^"]+)"', review.text)
        assert ops_token is not None
        assert (
            await shop.post(f"/operator/pharmacies/{pid}/approve", data={"csrf_token": token.group(1)})
        ).status_code == 403
        approved = await ops.post(
            f"/operator/pharmacies/{pid}/approve", data={"csrf_token": ops_token.group(1)}
        )
        assert approved.status_code == 303
        assert 'data-test="awaiting-approval"' not in (await shop.get("/merchant")).text
        listed = await ops.get("/api/v1/pharmacies", params={"city": "Shanghai"})
        assert pid in [p["id"] for p in listed.json()]
        no_reason = await ops.post(
            f"/operator/pharmacies/{pid}/suspend", data={"csrf_token": ops_token.group(1)}
        )
        assert no_reason.status_code == 422
        assert "a reason is required" in no_reason.text


async def test_staff_edit_the_storefront_hours_and_radius_in_one_form(app: object, tables: str) -> None:
    pid = await make_pharmacy(name="Storefront Form Pharmacy", always_open=False)
    staff = await make_user(Role.PHARMACY_STAFF, pharmacy_id=pid)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        token = await signed_in_form(http, staff.user.email, "/merchant/storefront")
        form = {
            "csrf_token": token,
            "banner": "Night pharmacist on call",
            "phone": "+86 21 5555 0101",
            "picking_minutes": "4",
            "categories": "Cold & flu, Baby, Cold & flu",
            "promotions": "Free delivery over 50 | FD50\nVitamins 10% off",
            "day0": "08:00-12:00, 13:00-22:00",
            "day5": "10:00-02:00",
            "radius_m": "2500",
        }
        bad = await http.post("/merchant/storefront", data={**form, "day6": "9 to 5"})
        assert (
            bad.status_code == 422 and "9 to 5" in bad.text and 'value="Night pharmacist on call"' in bad.text
        )
        saved = await http.post("/merchant/storefront", data=form)
        assert (saved.status_code, saved.headers["location"]) == (303, "/merchant/storefront?saved=1")
        front = (await http.get(f"/api/v1/pharmacies/{pid}")).json()
        assert front["banner"] == "Night pharmacist on call"
        assert front["categories"] == ["Cold & flu", "Baby"]
        assert front["promotions"] == [
            {"title": "Free delivery over 50", "code": "FD50"},
            {"title": "Vitamins 10% off"},
        ]
        assert [(h["weekday"], h["opens"], h["closes"]) for h in front["hours"]] == [
            (0, "08:00", "12:00"),
            (0, "13:00", "22:00"),
            (5, "10:00", "02:00"),
        ]
        assert front["service_radius_m"] == 2500
        again = await http.get("/merchant/storefront")
        assert 'value="08:00-12:00, 13:00-22:00"' in again.text  # the form shows what was saved

    other_staff = await make_user(Role.PHARMACY_STAFF, pharmacy_id=await make_pharmacy(name="Other Shop"))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as api:
        denied = await api.patch(
            f"/api/v1/pharmacies/{pid}", json={"banner": "x"}, headers=other_staff.headers
        )
        assert denied.status_code == 403
        too_many = await api.patch(
            f"/api/v1/pharmacies/{pid}",
            json={"categories": [f"c{i}" for i in range(21)]},
            headers=staff.headers,
        )
        assert too_many.status_code == 422
        for path, body in (
            (f"/api/v1/pharmacies/{pid}/hours", {"week": {"1": ["9 to 5"]}}),
            (f"/api/v1/pharmacies/{pid}/holidays", {"day": "2026-12-25", "hours": "9 to 5"}),
        ):
            refused = await api.put(path, params={"lang": "ko"}, json=body, headers=staff.headers)
            error = refused.json()["error"]
            assert (refused.status_code, error["code"]) == (422, "bad_hours")
            assert error["message"] == "영업시간 '9 to 5'이(가) 잘못되었습니다: HH:MM-HH:MM 형식이어야 합니다"
        patched = await api.patch(f"/api/v1/pharmacies/{pid}", json={"banner": ""}, headers=staff.headers)
        assert (patched.json()["banner"], patched.json()["categories"]) == (None, ["Cold & flu", "Baby"])

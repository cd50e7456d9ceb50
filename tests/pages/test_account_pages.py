"""Browser-session pages over HTTP: sign-up, CSRF on forms, family profiles, sign-out, languages."""

from __future__ import annotations

import re
import uuid

import httpx

from medrush.accounts import Role
from tests.factories.accounts import make_user


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


async def _signed_up(client: httpx.AsyncClient) -> str:
    email = f"{uuid.uuid4().hex[:10]}@example.org"
    response = await client.post(
        "/signup", data={"email": email, "password": "good-password", "display_name": "Zhang San"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    assert "medrush_session" in response.cookies
    return email


async def test_sign_up_add_family_member_and_sign_out(client: httpx.AsyncClient) -> None:
    await _signed_up(client)
    page = await client.get("/account")
    assert page.status_code == 200
    token = _csrf(page.text)

    form = {
        "csrf_token": token,
        "name": "Xiaoming",
        "relationship": "child",
        "birth_date": "2019-03-04",
        "sex": "male",
        "allergies": "penicillin， aspirin",
    }
    added = await client.post("/account/profiles", data=form, headers={"HX-Request": "true"})
    assert added.status_code == 200
    assert "Xiaoming" in added.text
    assert "penicillin, aspirin" in added.text

    # Without the CSRF token the same form is refused and nothing is stored.
    forged = await client.post("/account/profiles", data={**form, "csrf_token": "0" * 64, "name": "Forged"})
    assert forged.status_code == 403
    assert "Forged" not in (await client.get("/account")).text

    out = await client.post("/signout", data={"csrf_token": token})
    assert out.status_code == 303
    assert (await client.get("/account")).status_code == 303  # back to sign-in


async def test_invalid_profile_form_shows_the_reason(client: httpx.AsyncClient) -> None:
    await _signed_up(client)
    token = _csrf((await client.get("/account")).text)
    bad = {"csrf_token": token, "name": "X", "birth_date": "2999-01-01", "sex": "female"}
    response = await client.post("/account/profiles", data=bad)
    assert response.status_code == 422
    assert "birth date is in the future" in response.text


async def test_wrong_password_page_and_languages(client: httpx.AsyncClient) -> None:
    someone = await make_user()
    refused = await client.post("/signin", data={"email": someone.user.email, "password": "nope-nope"})
    assert refused.status_code == 401
    assert "wrong e-mail or password" in refused.text
    zh = await client.get("/?lang=zh")
    assert "您需要什么药" in zh.text
    assert zh.cookies.get("lang") == "zh"
    client.cookies.clear()
    ko = await client.get("/", headers={"accept-language": "ko-KR,ko;q=0.9"})
    assert "무엇이 필요하세요" in ko.text


async def test_sign_in_redirect_is_same_site_only(client: httpx.AsyncClient) -> None:
    someone = await make_user()
    from tests.factories.accounts import PASSWORD

    response = await client.post(
        "/signin", data={"email": someone.user.email, "password": PASSWORD, "next": "//evil.example/x"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"


async def test_audit_page_is_for_operators_only(client: httpx.AsyncClient) -> None:
    customer, operator = await make_user(), await make_user(Role.OPERATOR)
    assert (await client.get("/console/audit", headers=customer.headers)).status_code == 403
    body = {"name": "Audited", "birth_date": "1990-01-01", "sex": "female"}
    made = (await client.post("/api/v1/profiles", json=body, headers=customer.headers)).json()
    assert (await client.get(f"/api/v1/profiles/{made['id']}", headers=customer.headers)).status_code == 200
    page = await client.get("/console/audit", headers=operator.headers)
    assert page.status_code == 200
    assert "Audit log" in page.text
    korean = await client.get("/console/audit", params={"lang": "ko"}, headers=operator.headers)
    assert "<td>열람</td>" in korean.text and "<td>생성</td>" in korean.text
    assert "<td>read</td>" not in korean.text


async def test_unknown_page_is_a_friendly_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "Back to the start page" in response.text
    api = await client.get("/api/v1/nothing")
    assert api.json()["error"]["code"] == "not_found"


async def test_safety_rules_page_lists_rules_with_sources(client: httpx.AsyncClient) -> None:
    pharmacist, customer = await make_user(Role.PHARMACIST), await make_user()
    assert (await client.get("/safety/rules", headers=customer.headers)).status_code == 403
    page = await client.get("/safety/rules", params={"q": "aspirin"}, headers=pharmacist.headers)
    assert page.status_code == 200
    assert "age.aspirin_under_16" in page.text
    assert "Reye" in page.text
    red = await client.get("/safety/rules", params={"kind": "red_flag"}, headers=pharmacist.headers)
    assert "red_flag.heart_attack" in red.text
    assert "age.aspirin_under_16" not in red.text
    chinese = await client.get(
        "/safety/rules", params={"kind": "red_flag", "lang": "zh"}, headers=pharmacist.headers
    )
    assert '<option value="red_flag" selected>危险信号（急症）</option>' in chinese.text
    assert '<option value="older_adults">老年人</option>' in chinese.text
    statins = await client.get(
        "/safety/rules", params={"kind": "pregnancy", "q": "statin", "lang": "en"}, headers=pharmacist.headers
    )
    korea = statins.text.split('data-test="rule-jurisdiction">')[1:]
    assert len(korea) == 1 and korea[0].startswith("In Korea: ") and ">block<" in korea[0]
    assert "MFDS DUR" in statins.text and "Statins are contraindicated in pregnancy in Korea" in statins.text
    statins_zh = await client.get(
        "/safety/rules", params={"kind": "pregnancy", "q": "statin", "lang": "zh"}, headers=pharmacist.headers
    )
    assert "在韩国: " in statins_zh.text
    korean_only = await client.get(
        "/safety/rules", params={"q": "domperidone", "lang": "en"}, headers=pharmacist.headers
    )
    assert '<small data-test="rule-only-in">Only in Korea</small>' in korean_only.text
    codeine = await client.get("/safety/rules", params={"q": "codeine_under"}, headers=pharmacist.headers)
    assert re.search(r'In Korea: <span class="badge rx">block</span> under 13', codeine.text)


async def shipped_catalog() -> None:
    """The shop pages search the shipped catalog (its products and vocabularies)."""
    from medrush import catalog
    from medrush.kernel import db

    async with db.session_scope() as session:
        await catalog.load_shipped_catalog(session)
        await catalog.rebuild_index(session)


async def test_shop_results_are_checked_for_the_chosen_family_member(client: httpx.AsyncClient) -> None:
    await shipped_catalog()
    parent = await make_user()
    child = {"name": "Doudou", "relationship": "child", "birth_date": "2021-03-01", "sex": "male"}
    created = (await client.post("/api/v1/profiles", json=child, headers=parent.headers)).json()
    page = await client.get("/shop", params={"q": "aspirin", "for": created["id"]}, headers=parent.headers)
    assert page.status_code == 200
    assert 'data-test="unsafe"' in page.text
    assert "Doudou" in page.text
    anonymous = await client.get("/shop", params={"q": "aspirin"})
    assert 'data-test="unsafe"' not in anonymous.text


async def test_a_search_naming_an_emergency_says_to_call_for_help_first(client: httpx.AsyncClient) -> None:
    await shipped_catalog()
    crushing = await client.get(
        "/shop", params={"q": "crushing chest pain spreading to my left arm", "lang": "en"}
    )
    assert crushing.status_code == 200
    banner = crushing.text.split('data-test="search-emergency"')[1].split("</section>")[0]
    assert "Call your local emergency number now." in banner and "chest" in banner.lower()
    chinese = await client.get("/shop", params={"q": "胸口剧痛 出冷汗", "lang": "zh"})
    assert 'data-test="search-emergency"' in chinese.text
    for ordinary in ("headache", "no chest pain, just a cough", "布洛芬"):
        page = await client.get("/shop", params={"q": ordinary, "lang": "en"})
        assert 'data-test="search-emergency"' not in page.text, ordinary


async def test_a_search_for_something_pharmacies_do_not_sell_says_so(client: httpx.AsyncClient) -> None:
    await shipped_catalog()
    english = await client.get("/shop", params={"q": "sunscreen", "lang": "en"})
    assert 'data-test="not-sold"' in english.text and "do not sell sunscreen" in english.text
    assert 'data-test="result"' not in english.text
    korean = await client.get("/shop", params={"q": "선크림", "lang": "ko"})
    assert 'data-test="not-sold"' in korean.text and "선크림" in korean.text
    assert "do not sell" not in korean.text
    nothing = await client.get("/shop", params={"q": "qqqzzzxxx", "lang": "en"})
    assert 'data-test="not-sold"' not in nothing.text and "No matching products." in nothing.text


async def test_operations_page_shows_waits_and_staffing(client: httpx.AsyncClient) -> None:
    operator, customer = await make_user(Role.OPERATOR), await make_user()
    assert (await client.get("/operator", headers=customer.headers)).status_code == 403
    page = await client.get("/operator", headers=operator.headers)
    assert page.status_code == 200
    assert 'data-test="clinicians-needed"' in page.text
    assert "Erlang C" in page.text


async def test_a_refused_sign_up_form_says_why_in_the_page_language(client: httpx.AsyncClient) -> None:
    form = {"email": f"{uuid.uuid4().hex[:10]}@example.org", "password": "short", "display_name": "Li"}
    english = await client.post("/signup", data=form)
    assert english.status_code == 422
    assert "password: String should have at least 8 characters" in english.text
    chinese = await client.post("/signup?lang=zh", data=form)
    assert chinese.status_code == 422
    assert "password: 至少应有 8 个字符" in chinese.text


async def test_a_family_member_with_a_consultation_on_record_stays_and_the_page_says_why(
    client: httpx.AsyncClient,
) -> None:
    from medrush import accounts, consult
    from medrush.kernel import db

    email = await _signed_up(client)
    token = _csrf((await client.get("/account")).text)
    form = {"csrf_token": token, "name": "Granny", "birth_date": "1950-01-01", "sex": "female"}
    added = await client.post("/account/profiles", data=form, headers={"HX-Request": "true"})
    assert added.status_code == 200
    async with db.session_scope() as session:
        user = await accounts.user_by_email(session, email)
        assert user is not None
        actor = accounts.actor_for_user(user)
        (profile,) = await accounts.list_profiles(session, actor)
        await consult.open_consultation(
            session, actor, profile_id=profile.id, mode="pharmacist", symptoms="sore throat for two days"
        )
    refused = await client.post(
        f"/account/profiles/{profile.id}/delete", data={"csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 200
    assert "cannot be deleted" in refused.text
    assert "Granny" in refused.text

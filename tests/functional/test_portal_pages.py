"""The portal over HTTP, without a browser: what a customer's browser receives and sends.

CSRF, post-redirect-get, the case link and its cookie, escaping, languages, errors as
friendly pages, uploads, the rate limit and the security headers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from complaintdesk.config import Settings
from complaintdesk.web.app import create_app

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FORM = {
    "category": "bet_settlement",
    "subject": "Winning bet settled as lost",
    "description": "Arsenal won 2-1 but coupon 778812 shows lost.",
    "name": "Ivan Petrov",
    "email": "ivan@example.com",
    "bet_ids": "778812",
    "consent": "yes",
}
EMBED_SECRET = "embedding-secret-for-the-tests-0123456789"


def token(client: TestClient, path: str = "/complaint") -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = TOKEN.search(page.text)
    assert found, "the page has no CSRF field"
    return found.group(1)


def file(client: TestClient, **changes: Any) -> httpx.Response:
    data = {**FORM, "csrf_token": token(client), **changes}
    return client.post("/complaint", data=data, follow_redirects=False)


def filed_case(client: TestClient, **changes: Any) -> tuple[str, str]:
    """File through the form; the reference and the key the confirmation page shows."""
    answer = file(client, **changes)
    assert answer.status_code == 303, answer.text
    confirmation = client.get(answer.headers["location"])
    reference = re.search(r'id="reference">([^<]+)<', confirmation.text)
    key = re.search(r'id="access-key">([^<]+)<', confirmation.text)
    assert reference
    assert key
    return reference.group(1), key.group(1)


@pytest.fixture
def app_with(settings: Settings) -> Iterator[Callable[..., TestClient]]:
    """A client of an app with some settings changed."""
    clients: list[TestClient] = []

    def make(**changes: Any) -> TestClient:
        client = TestClient(
            create_app(settings.model_copy(update=changes)), raise_server_exceptions=False
        )
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def test_every_page_answers_with_strict_security_headers(client: TestClient) -> None:
    for path in ("/", "/complaint", "/question", "/track"):
        page = client.get(path)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["referrer-policy"] == "same-origin"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["cache-control"] == "no-store"
        # No inline script or style for the policy to have to allow.
        assert "<script>" not in page.text
        assert " style=" not in page.text
        assert "<style" not in page.text
    api = client.get("/api/v1/track/CMP-2222-2222")
    assert api.headers["content-security-policy"].startswith("default-src 'none'")


def test_static_assets_are_served_by_the_desk(client: TestClient) -> None:
    page = client.get("/").text
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert {a.split("?")[0] for a in assets} == {
        "/static/site.css",
        "/static/site.js",
        "/static/favicon.svg",
    }
    for asset in assets:
        assert client.get(asset).status_code == 200
    assert "http" not in " ".join(re.findall(r'(?:href|src)="([^"]+)"', page))


def test_operators_listed_may_frame_the_portal(app_with: Callable[..., TestClient]) -> None:
    client = app_with(
        frame_ancestors="https://www.bookmaker.example https://m.bookmaker.example",
        public_base_url="https://complaints.bookmaker.example",
    )
    page = client.get("/complaint")
    assert (
        "frame-ancestors https://www.bookmaker.example https://m.bookmaker.example"
        in page.headers["content-security-policy"]
    )
    assert "x-frame-options" not in page.headers
    assert page.headers["strict-transport-security"].startswith("max-age=")
    cookie = page.headers["set-cookie"].lower()
    assert "secure" in cookie
    assert "httponly" in cookie
    assert "samesite=none" in cookie
    assert "partitioned" in cookie


def test_a_form_without_its_token_is_refused_and_nothing_is_filed(
    client: TestClient, agent: dict[str, str]
) -> None:
    client.get("/complaint")
    missing = client.post("/complaint", data=FORM, follow_redirects=False)
    forged = client.post(
        "/complaint", data={**FORM, "csrf_token": "A" * 43}, follow_redirects=False
    )
    for answer in (missing, forged):
        assert answer.status_code == 403
        assert "This form has expired" in answer.text
        assert "Traceback" not in answer.text
    # A token from another visitor's cookie does not fit this visitor's.
    other = token(TestClient(client.app))
    assert client.post("/complaint", data={**FORM, "csrf_token": other}).status_code == 403
    assert client.get("/api/v1/complaints", headers=agent).json()["items"] == []


def test_filing_posts_then_redirects_and_the_key_never_reaches_a_url(
    client: TestClient, agent: dict[str, str]
) -> None:
    answer = file(client)
    assert answer.status_code == 303
    location = answer.headers["location"]
    reference = location.split("/")[2]
    assert location == f"/track/{reference}/confirmation"
    cookie = answer.headers.get_list("set-cookie")
    case_cookie = next(c for c in cookie if c.startswith("cd_case="))
    assert f"Path=/track/{reference};" in case_cookie
    assert "httponly" in case_cookie.lower()
    assert "samesite=lax" in case_cookie.lower()

    confirmation = client.get(location)
    key = re.search(r'id="access-key">([^<]+)<', confirmation.text)
    assert key
    assert key.group(1) not in case_cookie  # the cookie is signed, not the key in clear text
    assert f"/t/{reference}/{key.group(1)}" in confirmation.text

    case = client.get(f"/api/v1/complaints/{reference}", headers=agent).json()
    assert case["customer"]["email"] == "ivan@example.com"
    assert case["bet_ids"] == ["778812"]
    assert case["category"] == "bet_settlement"
    assert case["language"] == "en"

    # Once the moment has passed, the confirmation page no longer shows the key.
    client.cookies.delete("cd_filed", path=f"/track/{reference}")
    later = client.get(location, follow_redirects=False)
    assert later.status_code == 303
    assert later.headers["location"] == f"/track/{reference}"


def test_the_case_link_sets_a_cookie_and_drops_the_key_from_the_address(
    client: TestClient, settings: Settings
) -> None:
    filed = client.post(
        "/api/v1/consultations", json={"question": "Is cash-out offered on accumulators?"}
    ).json()
    reference, key = filed["reference"], filed["access_key"]
    fresh = TestClient(client.app)
    answer = fresh.get(f"/t/{reference}/{key}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/track/{reference}"
    assert answer.headers["referrer-policy"] == "no-referrer"
    page = fresh.get(answer.headers["location"])
    assert page.status_code == 200
    assert "Is cash-out offered on accumulators?" in page.text
    assert key not in page.text
    # A lower-case reference in the link still opens the case, at its canonical address.
    assert (
        fresh.get(f"/t/{reference.lower()}/{key}", follow_redirects=False).headers["location"]
        == f"/track/{reference}"
    )


def test_a_wrong_key_looks_exactly_like_an_unknown_reference(client: TestClient) -> None:
    filed = client.post("/api/v1/consultations", json={"question": "When is my bonus paid?"})
    reference, key = filed.json()["reference"], filed.json()["access_key"]
    wrong_key = client.get(f"/t/{reference}/{'x' * len(key)}")
    unknown = client.get(f"/t/CMP-2222-2222/{key}")
    garbage = client.get("/t/not-a-reference/whatever")
    no_cookie = client.get(f"/track/{reference}")
    for answer in (wrong_key, unknown, garbage, no_cookie):
        assert answer.status_code == 404
        assert "We could not find that case" in answer.text
        assert answer.headers["referrer-policy"] in ("no-referrer", "same-origin")
    assert wrong_key.headers["referrer-policy"] == "no-referrer"
    posted = client.post(
        "/track",
        data={"reference": reference, "key": "y" * 32, "csrf_token": token(client, "/track")},
    )
    assert posted.status_code == 404
    assert "We could not find that case" in posted.text
    assert f'value="{reference}"' in posted.text  # the reference typed is kept


def test_customer_text_is_escaped_everywhere(client: TestClient) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    reference, _ = filed_case(client, subject=f"S {attack}", description=f"D {attack}")
    page = client.get(f"/track/{reference}").text
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    invalid = file(client, email="", description=f"D {attack}")
    assert invalid.status_code == 422
    assert "<script>alert" not in invalid.text


def test_language_from_the_browser_or_the_switch(client: TestClient) -> None:
    russian = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert '<html lang="ru">' in russian.text
    assert "Что-то пошло не так? Расскажите нам." in russian.text
    assert "Первый ответ" in russian.text
    english = client.get("/", headers={"Accept-Language": "de-DE,en;q=0.5"})
    assert '<html lang="en">' in english.text

    switch = client.get("/language?to=ru&next=/complaint", follow_redirects=False)
    assert switch.status_code == 303
    assert switch.headers["location"] == "/complaint"
    assert "cd_lang=ru" in switch.headers["set-cookie"]
    page = client.get("/complaint", headers={"Accept-Language": "en"})
    assert "Подать жалобу" in page.text
    assert "Расчёт ставки" in page.text
    # Never a redirect to another site.
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        away = client.get(f"/language?to=en&next={target}", follow_redirects=False)
        assert away.headers["location"] == "/"


def test_a_complaint_filed_in_russian_is_a_russian_case(
    client: TestClient, agent: dict[str, str]
) -> None:
    client.cookies.set("cd_lang", "ru")
    reference, _ = filed_case(client, description="Ставка сыграла, но рассчитана как проигрыш.")
    case = client.get(f"/api/v1/complaints/{reference}", headers=agent).json()
    assert case["language"] == "ru"
    page = client.get(f"/track/{reference}")
    assert "Получено" in page.text
    assert "Ставка сыграла, но рассчитана как проигрыш." in page.text


def test_mistakes_are_shown_next_to_their_fields_and_nothing_typed_is_lost(
    client: TestClient,
) -> None:
    answer = file(client, category="", email="not-an-address", consent="", phone="call me")
    assert answer.status_code == 422
    html = answer.text
    assert 'role="alert"' in html
    assert "Please choose what your complaint is about." in html
    assert "This does not look like an e-mail address" in html
    assert "Please write the number with digits only" in html
    assert "We need your consent" in html
    assert re.search(r'id="email"[^>]*aria-describedby="email-hint email-error"', html)
    assert re.search(r'id="email"[^>]*aria-invalid="true"', html)
    assert 'value="not-an-address"' in html
    assert 'value="Winning bet settled as lost"' in html
    assert "Arsenal won 2-1 but coupon 778812 shows lost.</textarea>" in html
    assert 'value="call me"' in html
    assert 'value="778812"' in html


def test_documents_are_checked_by_content_and_size(
    app_with: Callable[..., TestClient], settings: Settings
) -> None:
    client = app_with(upload_max_bytes=100)
    base = {**FORM, "csrf_token": token(client)}
    exe = client.post("/complaint", data=base, files=[("files", ("x.png", b"MZ\x90\x00" * 10))])
    assert exe.status_code == 422
    assert "“x.png” is not a kind of file we accept" in exe.text
    big = client.post("/complaint", data=base, files=[("files", ("big.png", PNG * 3))])
    assert big.status_code == 422
    assert "“big.png” is larger than 100 bytes" in big.text
    assert 'value="Winning bet settled as lost"' in big.text
    ok = client.post(
        "/complaint",
        data=base,
        files=[("files", ("slip.png", PNG)), ("files", ("note.txt", b"coupon 778812"))],
        follow_redirects=False,
    )
    assert ok.status_code == 303
    reference = ok.headers["location"].split("/")[2]
    page = client.get(f"/track/{reference}").text
    assert "slip.png" in page
    assert "note.txt" in page
    link = re.search(rf'href="(/track/{reference}/documents/\d+)"[^>]*>slip.png', page)
    assert link
    download = client.get(link.group(1))
    assert download.content == PNG
    assert download.headers["content-disposition"].startswith("attachment;")
    stranger = TestClient(client.app)
    assert stranger.get(link.group(1)).status_code == 404


def test_writing_uploading_and_escalating_on_the_case_page(
    client: TestClient, agent: dict[str, str]
) -> None:
    reference, _ = filed_case(client)
    case_path = f"/track/{reference}"
    csrf = token(client, case_path)

    empty = client.post(f"{case_path}/messages", data={"body": " ", "csrf_token": csrf})
    assert empty.status_code == 422
    assert "Please fill this in." in empty.text
    sent = client.post(
        f"{case_path}/messages",
        data={"body": "Screenshot attached.", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{case_path}?done=message"
    assert "Your message has been sent." in client.get(sent.headers["location"]).text

    nothing = client.post(f"{case_path}/documents", data={"csrf_token": csrf})
    assert nothing.status_code == 422
    assert "Please choose a file to send." in nothing.text
    uploaded = client.post(
        f"{case_path}/documents",
        data={"csrf_token": csrf},
        files=[("files", ("statement.pdf", b"%PDF-1.4 statement"))],
        follow_redirects=False,
    )
    assert uploaded.headers["location"] == f"{case_path}?done=document"

    early = client.post(f"{case_path}/review", data={"reason": "Wrong", "csrf_token": csrf})
    assert early.status_code == 422
    assert "This cannot be done at this stage of your case." in early.text
    assert (
        client.post(
            f"/api/v1/complaints/{reference}/resolution",
            headers=agent,
            json={
                "outcome": "upheld",
                "summary": "Resettled as won.",
                "compensation": {"amount": "1234.5", "currency": "EUR"},
            },
        ).status_code
        == 200
    )
    resolved = client.get(case_path).text
    assert "Answered" in resolved
    assert "€1,234.50" in resolved
    assert "Still unhappy with our answer?" in resolved

    bad_score = client.post(f"{case_path}/feedback", data={"score": "9", "csrf_token": csrf})
    assert bad_score.status_code == 422
    assert "Please choose a rating from 1 to 5." in bad_score.text
    rated = client.post(
        f"{case_path}/feedback",
        data={"score": "5", "comment": "Fair", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert rated.headers["location"] == f"{case_path}?done=feedback"
    reviewed = client.post(
        f"{case_path}/review",
        data={"reason": "The stake was not refunded.", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert reviewed.headers["location"] == f"{case_path}?done=review"
    staff_view = client.get(f"/api/v1/complaints/{reference}", headers=agent).json()
    assert staff_view["status"] == "escalated"
    assert staff_view["feedback"] == {"score": 5, "comment": "Fair"}
    assert [m["body"] for m in staff_view["messages"]][-1] == "The stake was not refunded."


def test_an_anonymous_question_becomes_a_complaint(
    client: TestClient, agent: dict[str, str]
) -> None:
    asked = client.post(
        "/question",
        data={"question": "Why was my withdrawal held?", "csrf_token": token(client, "/question")},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    reference = asked.headers["location"].split("/")[2]
    assert reference.startswith("CNS-")
    case_path = f"/track/{reference}"
    page = client.get(case_path).text
    assert "Make this a formal complaint" in page
    csrf = token(client, case_path)
    incomplete = client.post(f"{case_path}/convert", data={"csrf_token": csrf, "email": ""})
    assert incomplete.status_code == 422
    assert "Please give an e-mail address" in incomplete.text
    converted = client.post(
        f"{case_path}/convert",
        data={
            "csrf_token": csrf,
            "category": "deposit_withdrawal",
            "email": "olga@example.com",
            "consent": "yes",
        },
        follow_redirects=False,
    )
    assert converted.headers["location"] == f"{case_path}?done=converted"
    case = client.get(f"/api/v1/complaints/{reference}", headers=agent).json()
    assert case["kind"] == "complaint"
    assert case["customer"]["email"] == "olga@example.com"
    assert case["category"] == "deposit_withdrawal"


def test_the_public_rate_limit_covers_the_portal(app_with: Callable[..., TestClient]) -> None:
    client = app_with(public_rate_limit="2/minute")
    csrf = token(client, "/question")
    answers = [
        client.post("/question", data={"question": "", "csrf_token": csrf}) for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [422, 422, 429]
    assert "Too many attempts" in answers[-1].text
    assert int(answers[-1].headers["retry-after"]) >= 1


def test_errors_are_friendly_pages_but_the_api_keeps_json(client: TestClient) -> None:
    missing = client.get("/no-such-page", headers={"Accept-Language": "ru"})
    assert missing.status_code == 404
    assert "Страница не найдена" in missing.text
    assert missing.headers["content-type"].startswith("text/html")
    wrong_method = client.put("/complaint")
    assert wrong_method.status_code == 405
    assert "<html" in wrong_method.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"
    bad_id = client.get("/track/CMP-2222-2222/documents/not-a-number")
    assert bad_id.status_code == 422
    assert "<html" in bad_id.text


def identity(secret: str = EMBED_SECRET, **claims: Any) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    mac = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()
    return payload + "." + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def test_an_embedded_form_binds_the_complaint_to_the_verified_account(
    app_with: Callable[..., TestClient], make_staff: Callable[..., dict[str, str]]
) -> None:
    client = app_with(embed_secret=EMBED_SECRET)
    staff = make_staff("boris")
    signed = identity(
        account_id="AC-1001", email="ivan@example.com", exp=int(time.time()) + 600, language="ru"
    )
    page = client.post("/embed", data={"identity": signed})
    assert page.status_code == 200
    assert "Вы вошли на сайте оператора: счёт AC-1001." in page.text
    assert 'value="ivan@example.com"' in page.text
    ticket = re.search(r'name="identity_ticket" value="([^"]+)"', page.text)
    assert ticket
    csrf = TOKEN.search(page.text)
    assert csrf
    data = {**FORM, "account_id": "AC-9999", "identity_ticket": ticket.group(1)}
    answer = client.post(
        "/complaint", data={**data, "csrf_token": csrf.group(1)}, follow_redirects=False
    )
    assert answer.status_code == 303
    reference = answer.headers["location"].split("/")[2]
    case = client.get(f"/api/v1/complaints/{reference}", headers=staff).json()
    assert case["customer"]["account_id"] == "AC-1001"  # the verified one, not the typed one
    assert case["timeline"][0]["data"]["verified_account"] == "AC-1001"

    tampered = client.post(
        "/complaint",
        data={**data, "identity_ticket": ticket.group(1)[:-2] + "xx", "csrf_token": csrf.group(1)},
    )
    assert tampered.status_code == 422
    assert "not linked to your account" in tampered.text


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (
            lambda: identity(account_id="A", email="a@example.com", exp=int(time.time()) - 120),
            "have expired",
        ),
        (
            lambda: identity(
                "another-secret-0123456789012345678901",
                account_id="A",
                email="a@example.com",
                exp=int(time.time()) + 60,
            ),
            "not validly signed",
        ),
        (
            lambda: identity(account_id="A", email="a@example.com", exp=int(time.time()) + 86400),
            "must expire within an hour",
        ),
        (lambda: "not a token", "could not be read"),
    ],
)
def test_a_bad_identity_is_refused_clearly(
    app_with: Callable[..., TestClient], make_token: Callable[[], str], message: str
) -> None:
    client = app_with(embed_secret=EMBED_SECRET)
    refused = client.get("/embed", params={"identity": make_token()})
    assert refused.status_code == 403
    assert "We could not confirm who you are" in refused.text
    assert message in refused.text


def test_embedding_is_off_without_a_secret(client: TestClient) -> None:
    refused = client.get("/embed", params={"identity": identity(account_id="A", email="a@b.c")})
    assert refused.status_code == 403
    assert "not set up to receive signed-in customers" in refused.text

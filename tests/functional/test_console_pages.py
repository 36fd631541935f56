"""The staff console over HTTP, without a browser, on SQLite and PostgreSQL: sign-in and its
cookie, lock-out, CSRF, what each role may reach, escaping, the queues, and the work done
on a case (templates, information requests, notes, triage, merging, four eyes)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from complaintdesk.complaints import services as complaints
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.complaints.models import Complaint, ComplaintEvent, Outcome, Status
from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.macros import services as macros
from complaintdesk.notifications.models import OutboxMessage
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role, User
from complaintdesk.staff.permissions import StaffActor
from complaintdesk.web.app import create_app
from tests.samples import COMPLAINT
from tests.statements import counted

PASSWORD = "console password 123"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _user(db: Database, username: str, role: Role, name: str = "") -> StaffActor:
    with db.transaction() as session:
        user = staff_services.create_user(
            session, username=username, password=PASSWORD, role=role, display_name=name
        )
        return StaffActor(user.id, user.username, user.role)


def _token(client: TestClient, path: str) -> str:
    page = client.get(path)
    found = TOKEN.search(page.text)
    assert found, f"{path} has no form with a CSRF token ({page.status_code})"
    return found.group(1)


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> httpx.Response:
    token = _token(client, "/console/sign-in")
    return client.post(
        "/console/sign-in",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def _post(client: TestClient, path: str, page: str, **data: str) -> httpx.Response:
    return client.post(
        path, data={**data, "csrf_token": _token(client, page)}, follow_redirects=False
    )


def _file(client: TestClient, **changes: Any) -> str:
    answer = client.post("/api/v1/complaints", json={**COMPLAINT, **changes})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["reference"])


@pytest.fixture
def app_client(settings: Settings) -> Iterator[Callable[..., TestClient]]:
    """Another browser: a client of its own (its own cookies), on the same database."""
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


# --- signing in ------------------------------------------------------------------------


def test_sign_in_sets_a_strict_session_cookie_and_sign_out_ends_it(
    client: TestClient, db: Database
) -> None:
    _user(db, "alice", Role.agent)
    assert client.get("/console/queue/mine", follow_redirects=False).headers["location"] == (
        "/console/sign-in?next=%2Fconsole%2Fqueue%2Fmine"
    )
    signed = _sign_in(client, "alice")
    assert signed.status_code == 303
    assert signed.headers["location"] == "/console/queue/mine"
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("cd_staff=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()
    assert "Path=/console" in cookie
    assert "Secure" not in cookie  # served over http in the tests
    stolen = client.cookies.get("cd_staff")
    page = client.get("/console/queue/mine")
    assert page.status_code == 200
    assert "alice" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text

    out = _post(client, "/console/sign-out", "/console/queue/mine")
    assert out.status_code == 303
    assert out.headers["location"] == "/console/sign-in?done=signed-out"
    # The session is gone from the database: replaying the old cookie signs nobody in.
    client.cookies.set("cd_staff", stolen or "", path="/console")
    assert client.get("/console/queue/mine", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_secure_over_https(
    app_client: Callable[..., TestClient], db: Database
) -> None:
    _user(db, "alice", Role.agent)
    client = app_client(public_base_url="https://desk.example.com")
    cookie = _sign_in(client, "alice").headers["set-cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie


def test_the_console_is_never_framed_even_where_the_portal_may_be(
    app_client: Callable[..., TestClient], db: Database
) -> None:
    _user(db, "alice", Role.agent)
    client = app_client(frame_ancestors="https://www.bookmaker.example")
    assert (
        "frame-ancestors https://www.bookmaker.example"
        in (client.get("/complaint").headers["content-security-policy"])
    )
    pages = [client.get("/console/sign-in")]
    assert _sign_in(client, "alice").status_code == 303
    pages += [client.get("/console/queue/mine"), client.get("/console/admin/users")]
    for page in pages:
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert "bookmaker" not in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"


def test_sign_in_goes_back_only_to_console_pages(client: TestClient, db: Database) -> None:
    _user(db, "alice", Role.agent)
    for target, expected in (
        ("/console/queue/all?q=payout", "/console/queue/all?q=payout"),
        ("https://evil.example/", "/console"),
        ("//evil.example/console", "/console"),
    ):
        answer = client.post(
            "/console/sign-in",
            data={
                "username": "alice",
                "password": PASSWORD,
                "next": target,
                "csrf_token": _token(client, "/console/sign-in"),
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == expected


def test_wrong_passwords_lock_the_name_out_and_say_so(client: TestClient, db: Database) -> None:
    _user(db, "alice", Role.agent)
    wrong = _sign_in(client, "alice", "not the password")
    unknown = _sign_in(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "The user name or password is wrong." in wrong.text
    assert "The user name or password is wrong." in unknown.text
    for _ in range(4):
        assert _sign_in(client, "alice", "still wrong").status_code == 401
    # Five failures in a row: even the right password waits now.
    locked = _sign_in(client, "alice")
    assert locked.status_code == 429
    # The first lock-out waits the base back-off: some seconds, never more than 30.
    wait = int(locked.headers["retry-after"])
    assert wait >= 1
    assert wait <= 30
    assert "Too many failed attempts" in locked.text
    assert "cd_staff" not in locked.headers.get("set-cookie", "")
    # Another name from the same address is not locked by alice's failures alone.
    _user(db, "bob", Role.agent)
    assert _sign_in(client, "bob").status_code == 303


def test_an_address_guessing_at_many_names_is_locked_out(client: TestClient, db: Database) -> None:
    _user(db, "alice", Role.agent)
    for n in range(20):
        assert _sign_in(client, f"guess{n}", "wrong").status_code == 401
    assert _sign_in(client, "alice").status_code == 429


def test_a_disabled_account_loses_its_session_at_once(client: TestClient, db: Database) -> None:
    _user(db, "alice", Role.agent)
    assert _sign_in(client, "alice").status_code == 303
    assert client.get("/console/queue/mine").status_code == 200
    with db.transaction() as session:
        staff_services.disable_user(session, "alice")
    answer = client.get("/console/queue/mine", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/console/sign-in")


# --- CSRF, roles, escaping ---------------------------------------------------------------


def test_forms_without_their_token_are_refused_and_change_nothing(
    client: TestClient, db: Database
) -> None:
    _user(db, "alice", Role.agent)
    reference = _file(client)
    assert _sign_in(client, "alice").status_code == 303
    for path, data in (
        (f"/console/cases/{reference}/reply", {"body": "Forged reply"}),
        (f"/console/cases/{reference}/note", {"body": "Forged note"}),
        ("/console/sign-out", {}),
    ):
        refused = client.post(path, data=data, follow_redirects=False)
        assert refused.status_code == 403, path
        forged = client.post(path, data={**data, "csrf_token": "forged"}, follow_redirects=False)
        assert forged.status_code == 403, path
    page = client.get(f"/console/cases/{reference}")
    assert page.status_code == 200
    assert "Forged" not in page.text


def test_an_agent_cannot_reach_administration_or_another_roles_actions(
    client: TestClient, db: Database
) -> None:
    _user(db, "alice", Role.agent)
    carl = _user(db, "carl", Role.compliance)
    reference = _file(client, category="payout_refusal")
    with db.transaction() as session:
        complaints.resolve(
            session, carl, reference, outcome=Outcome.not_upheld, summary="Terms 7.2."
        )
    assert _sign_in(client, "alice").status_code == 303
    queue = client.get("/console/queue/mine").text
    assert "/console/admin" not in queue
    assert "Awaiting approval" not in queue
    for path in (
        "/console/admin/users",
        "/console/admin/teams",
        "/console/admin/rules",
        "/console/admin/policies",
        "/console/admin/templates",
    ):
        page = client.get(path)
        assert page.status_code == 403, path
        assert "Your role does not allow this." in page.text
    assert client.get("/console/queue/approvals").status_code == 404

    created = _post(
        client,
        "/console/admin/users",
        "/console/queue/mine",
        username="mallory",
        password="a password of mine",
        role="admin",
    )
    assert created.status_code == 403
    approved = _post(
        client, f"/console/cases/{reference}/approve", "/console/queue/mine", note="fine"
    )
    assert approved.status_code == 403
    assigned = _post(
        client, f"/console/cases/{reference}/assign", "/console/queue/mine", assignee="carl"
    )
    assert assigned.status_code == 403
    with db.read() as session:
        assert session.scalar(select(User).where(User.username == "mallory")) is None
        case = session.scalar(select(Complaint).where(Complaint.reference == reference))
        assert case is not None
        assert case.status is not Status.resolved
        assert case.assignee_id is None
    case_page = client.get(f"/console/cases/{reference}").text
    assert "Approve and send to the customer" not in case_page
    assert "A compliance officer will approve or reject it." in case_page


def test_customer_text_is_shown_as_text(client: TestClient, db: Database) -> None:
    _user(db, "alice", Role.agent)
    script = "<script>document.title='owned'</script>"
    reference = _file(
        client,
        subject=f"Bet {script}",
        description=f"My bet <img src=x onerror=alert(1)> {script}",
        customer={"email": "x@example.com", "name": "<b>Eve</b>"},
    )
    assert _sign_in(client, "alice").status_code == 303
    for path in ("/console/queue/all", f"/console/cases/{reference}"):
        page = client.get(path).text
        assert "&lt;script&gt;document.title=" in page, path
        assert "<script>document" not in page, path
        assert "<img src=x" not in page, path
        assert "<b>Eve</b>" not in page, path


# --- the queues ------------------------------------------------------------------------


def _counts(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-count="(\w+)">([^<]+)<', page))


def test_queues_count_filter_search_and_show_the_time_left(
    client: TestClient, db: Database
) -> None:
    alice = _user(db, "alice", Role.agent)
    first = _file(client, subject="Deposit never arrived", category="deposit_withdrawal")
    second = _file(client, subject="Settled as lost", description="The coupon was a winner.")
    with db.transaction() as session:
        late = complaints.file_complaint(
            session,
            subject="Old withdrawal",
            description="A withdrawal from last week",
            customer=complaints.CustomerDetails(email="old@example.com"),
            policy=DeadlinePolicy(),
            now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=30),
        ).case.reference
        complaints.assign(session, alice, first, assignee="alice")
    assert _sign_in(client, "alice").status_code == 303

    page = client.get("/console/queue/all").text
    assert _counts(page) == {
        "mine": "1",
        "team": "0",
        "unassigned": "2",
        "at_risk": "0",
        "breached": "0",
        "awaiting": "0",
        "all": "3",
    }
    # Nearest deadline first: the late case leads, its time written plainly.
    order = list(re.findall(r'class="ref" href="/console/cases/([A-Z0-9-]+)"', page))
    assert order[0] == late
    assert set(order) == {first, second, late}
    assert re.search(r"\d+ h overdue", page)
    assert "in 23 h" in page

    mine = client.get("/console/queue/mine").text
    assert re.findall(r'class="ref" href="/console/cases/([A-Z0-9-]+)"', mine) == [first]
    filtered = client.get("/console/queue/all", params={"category": "bet_settlement"}).text
    assert re.findall(r'class="ref" href="/console/cases/([A-Z0-9-]+)"', filtered) == [second]
    found = client.get("/console/queue/all", params={"q": "winner"}).text
    assert re.findall(r'class="ref" href="/console/cases/([A-Z0-9-]+)"', found) == [second]
    by_reference = client.get("/console/queue/all", params={"q": late.lower()}).text
    assert re.findall(r'class="ref" href="/console/cases/([A-Z0-9-]+)"', by_reference) == [late]
    empty = client.get("/console/queue/all", params={"q": "!!!"})
    assert empty.status_code == 422
    assert "The search needs at least one word" in empty.text
    assert client.get("/console/queue/nonsense").status_code == 404


def test_queue_pages_follow_the_cursor(client: TestClient, db: Database) -> None:
    _user(db, "alice", Role.agent)
    references = {_file(client, subject=f"Case {n}") for n in range(27)}
    assert _sign_in(client, "alice").status_code == 303
    page = client.get("/console/queue/all").text
    seen = re.findall(r'class="ref" href="/console/cases/([A-Z0-9-]+)"', page)
    assert len(seen) == 25
    next_link = re.search(r'rel="next" href="([^"]+)"', page)
    assert next_link
    rest = client.get(next_link.group(1).replace("&amp;", "&")).text
    more = re.findall(r'class="ref" href="/console/cases/([A-Z0-9-]+)"', rest)
    assert len(more) == 2
    assert set(seen) | set(more) == references
    stale = client.get("/console/queue/all", params={"cursor": "not-a-cursor"})
    assert stale.status_code == 200
    assert "out of date" in stale.text


# --- working a case ----------------------------------------------------------------------


def test_reply_with_a_template_ask_for_information_note_and_triage(
    client: TestClient, db: Database
) -> None:
    lena = _user(db, "lena", Role.lead, "Lena Orlova")
    _user(db, "alice", Role.agent, "Alice Smith")
    filed = client.post(
        "/api/v1/complaints",
        json={
            **COMPLAINT,
            "language": "ru",
            "customer": {"email": "i@example.com", "name": "Иван"},
        },
    ).json()
    reference, key = filed["reference"], filed["access_key"]
    with db.transaction() as session:
        macro = macros.create(
            session,
            lena,
            name="Checking the bet",
            body_en="Dear {name}, we check {reference}.",
            body_ru="Здравствуйте, {name}! Проверяем {reference} до {deadline}. {agent}",
        )
        macro_id = macro.id
    assert _sign_in(client, "alice").status_code == 303
    page = client.get(f"/console/cases/{reference}", params={"macro": macro_id}).text
    filled = re.search(r'<textarea id="reply-body"[^>]*>([^<]*)</textarea>', page)
    assert filled
    text = filled.group(1)
    assert text.startswith(f"Здравствуйте, Иван! Проверяем {reference} до ")
    assert "UTC" in text
    assert text.endswith("Alice Smith")
    assert "The customer writes in Russian" in page

    sent = _post(
        client,
        f"/console/cases/{reference}/reply",
        f"/console/cases/{reference}",
        body=text,
        version="1",
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/console/cases/{reference}?done=reply#timeline"
    shown = client.get(sent.headers["location"]).text
    assert "Your reply was sent to the customer." in shown
    assert f"Проверяем {reference}" in shown

    asked = _post(
        client,
        f"/console/cases/{reference}/reply",
        f"/console/cases/{reference}",
        body="Please send a screenshot of the bet slip.",
        kind="information",
    )
    assert asked.status_code == 303
    waiting = client.get(f"/console/cases/{reference}").text
    assert "Awaiting customer" in waiting
    assert "The clocks are paused while the case waits for the customer." in waiting
    noted = _post(
        client,
        f"/console/cases/{reference}/note",
        f"/console/cases/{reference}",
        body="Trading desk says the result feed was late.",
    )
    assert noted.status_code == 303
    triaged = _post(
        client,
        f"/console/cases/{reference}/triage",
        f"/console/cases/{reference}",
        category="technical_fault",
        priority="high",
        reason="It is the result feed",
    )
    assert triaged.status_code == 303
    with db.read() as session:
        case = session.scalar(select(Complaint).where(Complaint.reference == reference))
        assert case is not None
        assert case.status is Status.awaiting_customer
        assert case.category.value == "technical_fault"
        events = session.scalars(
            select(ComplaintEvent).where(ComplaintEvent.complaint_id == case.id)
        ).all()
        public = {(e.type, e.public) for e in events}
        assert ("information_request", True) in public
        assert ("note", False) in public
        assert ("category_changed", True) in public
        assert any(e.type == "routed" and e.data.get("cause") == "category_changed" for e in events)
        # One mail for the question: the information request, not a reply as well.
        kinds = session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.complaint_id == case.id)
        ).all()
        assert kinds.count("information_request") == 1
        assert kinds.count("staff_reply") == 1
    # The customer sees the question, never the note.
    track = client.get(f"/api/v1/track/{reference}", headers={"X-Access-Key": key}).json()
    assert track["status"] == "awaiting_customer"
    assert [m["body"] for m in track["messages"]][-1] == "Please send a screenshot of the bet slip."
    assert "Trading desk" not in str(track)
    assert "information_request" in [e["type"] for e in track["timeline"]]


def test_a_form_the_services_refuse_comes_back_with_what_was_typed(
    client: TestClient, db: Database
) -> None:
    _user(db, "alice", Role.agent)
    reference = _file(client)
    assert _sign_in(client, "alice").status_code == 303
    empty = _post(
        client, f"/console/cases/{reference}/reply", f"/console/cases/{reference}", body="   "
    )
    assert empty.status_code == 422
    assert "Please fill this in." in empty.text
    stale = _post(
        client,
        f"/console/cases/{reference}/resolve",
        f"/console/cases/{reference}",
        outcome="upheld",
        summary="Resettled as a winner.",
        version="99",
    )
    assert stale.status_code == 409
    assert "Someone changed this case while you were working on it." in stale.text
    assert "Resettled as a winner." in stale.text
    bad_money = _post(
        client,
        f"/console/cases/{reference}/resolve",
        f"/console/cases/{reference}",
        outcome="upheld",
        summary="Resettled.",
        amount="12.345",
        currency="EUR",
    )
    assert bad_money.status_code == 422
    assert "Write an amount such as 25.50" in bad_money.text


def test_merge_a_duplicate_and_link_related_cases(client: TestClient, db: Database) -> None:
    _user(db, "alice", Role.agent)
    survivor = _file(client)
    answer = client.post("/api/v1/complaints", json={**COMPLAINT, "subject": "Same again"})
    duplicate, key = answer.json()["reference"], answer.json()["access_key"]
    other = _file(client, customer={"email": "someone@example.com"}, subject="Another one")
    assert _sign_in(client, "alice").status_code == 303
    page = client.get(f"/console/cases/{duplicate}").text
    assert "Same customer" in page
    assert survivor in page

    merged = _post(
        client, f"/console/cases/{duplicate}/merge", f"/console/cases/{duplicate}", into=survivor
    )
    assert merged.status_code == 303
    closed = client.get(f"/console/cases/{duplicate}").text
    assert "Merged into" in closed
    assert "Closed" in closed
    assert "Merged from this case" in client.get(f"/console/cases/{survivor}").text
    again = _post(
        client, f"/console/cases/{duplicate}/merge", f"/console/cases/{duplicate}", into=survivor
    )
    assert again.status_code == 409
    # The customer of the duplicate reads where their case went; messages stay readable.
    tracked = client.get(f"/api/v1/track/{duplicate}", headers={"X-Access-Key": key}).json()
    assert tracked["status"] == "closed"
    merged_event = next(e for e in tracked["timeline"] if e["type"] == "merged")
    assert merged_event["data"] == {"into": survivor}

    linked = _post(
        client, f"/console/cases/{survivor}/link", f"/console/cases/{survivor}", other=other
    )
    assert linked.status_code == 303
    assert other in client.get(f"/console/cases/{survivor}").text
    assert survivor in client.get(f"/console/cases/{other}").text
    unknown = _post(
        client,
        f"/console/cases/{survivor}/link",
        f"/console/cases/{survivor}",
        other="CMP-2222-2222",
    )
    assert unknown.status_code == 404
    assert "There is no case CMP-2222-2222." in unknown.text


# --- four eyes -------------------------------------------------------------------------


def _mail_kinds(db: Database, reference: str) -> list[str]:
    with db.read() as session:
        case_id = session.scalar(select(Complaint.id).where(Complaint.reference == reference))
        return list(
            session.scalars(
                select(OutboxMessage.kind).where(
                    OutboxMessage.complaint_id == case_id, OutboxMessage.channel == "email"
                )
            )
        )


def test_a_refused_payout_waits_for_a_second_compliance_officer(
    app_client: Callable[..., TestClient], db: Database
) -> None:
    _user(db, "alice", Role.agent)
    _user(db, "carl", Role.compliance, "Carl Jensen")
    _user(db, "dora", Role.compliance, "Dora Lind")
    agent, carl, dora = app_client(), app_client(), app_client()
    reference = _file(agent, category="payout_refusal")
    for client, name in ((agent, "alice"), (carl, "carl"), (dora, "dora")):
        assert _sign_in(client, name).status_code == 303
    case_path = f"/console/cases/{reference}"

    warned = _post(
        agent,
        f"{case_path}/resolve",
        case_path,
        outcome="not_upheld",
        summary="Our fraud team found you broke term 7.2.",
    )
    assert warned.status_code == 422
    assert "I have checked: the reasons reveal nothing" in warned.text
    refused = _post(
        agent,
        f"{case_path}/resolve",
        case_path,
        outcome="not_upheld",
        summary="Your risk score was too high.",
    )
    assert refused.status_code == 422
    assert "name how fraud is detected" in refused.text

    proposed = _post(
        agent,
        f"{case_path}/resolve",
        case_path,
        outcome="not_upheld",
        summary="Winnings were voided under term 7.2 (bonus abuse).",
    )
    assert proposed.status_code == 303
    assert "done=proposed" in proposed.headers["location"]
    waiting = agent.get(case_path).text
    assert "Waiting for approval" in waiting
    assert "a refused payout" in waiting
    assert "resolution" not in _mail_kinds(db, reference)

    queue = carl.get("/console/queue/approvals").text
    assert reference in queue
    assert _counts(queue)["approvals"] == "1"
    approved = _post(carl, f"{case_path}/approve", case_path, note="Term 7.2 applies.")
    assert approved.status_code == 303
    with db.read() as session:
        case = session.scalar(select(Complaint).where(Complaint.reference == reference))
        assert case is not None
        assert case.status is Status.resolved
        types = [
            (e.type, e.public)
            for e in session.scalars(
                select(ComplaintEvent)
                .where(ComplaintEvent.complaint_id == case.id)
                .order_by(ComplaintEvent.id)
            )
        ]
    proposal_at = types.index(("resolution_proposed", False))
    approval_at = types.index(("resolution_approved", False))
    assert proposal_at < approval_at < types.index(("resolution", True))
    assert _mail_kinds(db, reference).count("resolution") == 1
    assert "Waiting for approval" not in dora.get(case_path).text


def test_the_proposer_cannot_approve_their_own_decision(client: TestClient, db: Database) -> None:
    _user(db, "carl", Role.compliance)
    reference = _file(client, category="payout_refusal")
    assert _sign_in(client, "carl").status_code == 303
    case_path = f"/console/cases/{reference}"
    assert (
        _post(
            client, f"{case_path}/resolve", case_path, outcome="not_upheld", summary="Term 7.2."
        ).status_code
        == 303
    )
    assert "another compliance officer approves it" in client.get(case_path).text
    own = _post(client, f"{case_path}/approve", case_path)
    assert own.status_code == 403
    with db.read() as session:
        status = session.scalar(select(Complaint.status).where(Complaint.reference == reference))
    assert status is not Status.resolved


# --- administration ------------------------------------------------------------------------


def test_leads_manage_templates_and_routing_admins_manage_users(
    app_client: Callable[..., TestClient], db: Database
) -> None:
    _user(db, "lena", Role.lead)
    _user(db, "root", Role.admin)
    _user(db, "alice", Role.agent)
    lead, admin = app_client(), app_client()
    assert _sign_in(lead, "lena").status_code == 303
    assert _sign_in(admin, "root").status_code == 303

    page = "/console/admin/templates"
    bad = _post(lead, page, page, name="Hello", body_en="Hi {nmae}", body_ru="Привет {name}")
    assert bad.status_code == 422
    assert "{nmae}" in bad.text
    made = _post(lead, page, page, name="Hello", body_en="Hi {name}", body_ru="Привет, {name}")
    assert made.status_code == 303
    assert "Hi {name}" in lead.get(page).text
    assert lead.get("/console/admin/users").status_code == 403

    teams = "/console/admin/teams"
    added = _post(lead, teams, teams, key="vip", name="VIP desk", strategy="round_robin")
    assert added.status_code == 303
    joined = _post(lead, f"{teams}/vip/members", teams, username="alice", capacity="5")
    assert joined.status_code == 303
    away = _post(lead, f"{teams}/vip/members", teams, username="alice", available="no")
    assert away.status_code == 303
    assert "Mark available" in lead.get(teams).text
    rules = "/console/admin/rules"
    ruled = lead.post(
        rules,
        data={
            "name": "Russian payouts",
            "team": "vip",
            "categories": ["payout_refusal"],
            "languages": ["ru"],
            "csrf_token": _token(lead, rules),
        },
        follow_redirects=False,
    )
    assert ruled.status_code == 303
    assert "Russian payouts" in lead.get(rules).text
    bad_key = _post(lead, teams, teams, key="Not A Key!", name="x")
    assert bad_key.status_code == 422

    users = "/console/admin/users"
    created = _post(
        admin,
        users,
        users,
        username="nina",
        password="a long password",
        role="compliance",
        display_name="Nina",
    )
    assert created.status_code == 303
    promoted = _post(admin, f"{users}/alice", users, do="role", role="lead")
    assert promoted.status_code == 303
    myself = _post(admin, f"{users}/root", users, do="disable")
    assert myself.status_code == 422
    with db.read() as session:
        roles = dict(session.execute(select(User.username, User.role)).all())
    assert roles["nina"] is Role.compliance
    assert roles["alice"] is Role.lead
    assert roles["root"] is Role.admin


# --- how many queries ----------------------------------------------------------------------


def test_queue_and_case_pages_use_a_fixed_number_of_queries(
    client: TestClient, db: Database
) -> None:
    alice = _user(db, "alice", Role.agent)
    desk_db: Database = client.app.state.desk.db  # type: ignore[attr-defined]

    def count(path: str) -> int:
        with counted(desk_db.engine) as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    def grow(n: int) -> str:
        reference = ""
        for _ in range(n):
            # Each its own account: the platform's answer is remembered per account.
            account = f"AC-{len(grown) + 1:04d}"
            grown.append(account)
            reference = _file(client, customer={"email": "c@example.com", "account_id": account})
            with db.transaction() as session:
                complaints.reply(session, alice, reference, "Checking")
                complaints.add_note(session, alice, reference, "A note")
                complaints.assign(session, alice, reference, assignee="alice")
        return reference

    grown: list[str] = []
    assert _sign_in(client, "alice").status_code == 303
    reference = grow(2)
    queue, case = count("/console/queue/all"), count(f"/console/cases/{reference}")
    reference = grow(6)
    assert count("/console/queue/all") == queue
    assert count(f"/console/cases/{reference}") == case
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Complaint)) == 8

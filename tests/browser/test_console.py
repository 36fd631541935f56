"""Staff work the console in a real browser: sign in, find a new case, answer it with a
template, ask for information, decide; a refused payout waits for a second compliance
officer; an agent cannot reach what is not theirs, by link or by POST; a customer's script
is shown as text. Screenshots of the main pages go to docs/screenshots on request."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from complaintdesk.db import Database
from complaintdesk.staff import services as staff_services
from complaintdesk.staff.models import Role
from tests.browser.conftest import STAFF_PASSWORD, Served

BET_SLIP = {
    "bet_id": "55667788",
    "currency": "GBP",
    "type": "single",
    "stake": "10.00",
    "legs": [
        {
            "odds": "2.50",
            "result": "won",
            "event": "Arsenal v Chelsea",
            "market_name": "Match result",
            "selection_name": "Arsenal",
        }
    ],
    "paid_return": "0.00",
}
STAFF = {
    "ana": (Role.agent, "Ana Silva"),
    "carl": (Role.compliance, "Carl Jensen"),
    "dora": (Role.compliance, "Dora Lind"),
}


@pytest.fixture(scope="module")
def staff(served: Served) -> None:
    db = Database(served.database_url)
    with db.transaction() as session:
        existing = {u.username for u in staff_services.list_users(session)}
        for username, (role, name) in STAFF.items():
            if username not in existing:
                staff_services.create_user(
                    session,
                    username=username,
                    password=STAFF_PASSWORD,
                    role=role,
                    display_name=name,
                )
    db.dispose()


def _file(served: Served, **changes: Any) -> str:
    body: dict[str, Any] = {
        "subject": "Winning bet settled as lost",
        "description": "Arsenal won 2-1 but my single on them shows lost.",
        "customer": {"email": "ivan@example.com", "name": "Ivan Petrov"},
        "category": "bet_settlement",
        "language": "en",
        **changes,
    }
    answer = httpx.post(f"{served.base_url}/api/v1/complaints", json=body, timeout=10)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["reference"])


def _sign_in(new_context: Callable[..., BrowserContext], username: str, **options: Any) -> Page:
    page = new_context(viewport={"width": 1440, "height": 900}, **options).new_page()
    page.goto("/console")
    expect(page).to_have_url(re.compile(r"/console/sign-in"))
    page.locator("#username").fill(username)
    page.locator("#password").fill(STAFF_PASSWORD)
    page.locator("#password").press("Enter")
    expect(page).to_have_url(re.compile(r"/console/queue/"))
    return page


def test_an_agent_finds_answers_and_decides_a_new_case(
    new_context: Callable[..., BrowserContext],
    served: Served,
    staff: None,
    screenshot: Callable[[Page, str], None],
) -> None:
    lead = _sign_in(new_context, "lena")
    lead.get_by_role("link", name="Administer").click()
    lead.get_by_role("link", name="Reply templates").click()
    lead.get_by_label("Name").fill("Bet being checked")
    lead.get_by_label("English text").fill(
        "Dear {name}, thank you for case {reference}. Our check finds the bet underpaid by "
        "{amount_owed}; we are correcting it and will answer by {deadline}."
    )
    lead.get_by_label("Russian text").fill(
        "Здравствуйте, {name}! Спасибо за обращение {reference}. Ставка недоплачена на "
        "{amount_owed}; мы исправляем это и ответим до {deadline}."
    )
    lead.get_by_role("button", name="Add template").click()
    expect(lead.get_by_role("status")).to_have_text("Saved.")
    screenshot(lead, "console-templates")

    # The customer attached the bet slip: the desk re-settles it in the background.
    reference = _file(served, evidence={"bets": [BET_SLIP]})
    agent = new_context(viewport={"width": 1440, "height": 900}).new_page()
    agent.goto("/console/queue/unassigned")
    expect(agent.get_by_role("heading", name="Sign in to the staff console")).to_be_visible()
    screenshot(agent, "console-sign-in")
    agent.get_by_label("User name").fill("ana")
    agent.get_by_label("Password").fill(STAFF_PASSWORD)
    agent.get_by_role("button", name="Sign in").click()
    expect(agent).to_have_url(re.compile(r"/console/queue/unassigned$"))
    expect(agent.get_by_role("link", name=reference)).to_be_visible()
    expect(agent.locator("tr", has_text=reference).locator(".left")).to_contain_text("in 23 h")
    screenshot(agent, "console-queue")

    # Keys: / to search, j to the first row, Enter to open it.
    agent.keyboard.press("/")
    expect(agent.locator("#q")).to_be_focused()
    agent.keyboard.type(reference)
    agent.keyboard.press("Enter")
    expect(agent.locator("[data-row]")).to_have_count(1)
    agent.locator("body").click(position={"x": 5, "y": 300})
    agent.keyboard.press("j")
    agent.keyboard.press("Enter")
    expect(agent).to_have_url(re.compile(rf"/console/cases/{reference}$"))
    expect(agent.get_by_role("heading", name=re.compile(reference))).to_be_visible()
    for _ in range(40):  # the worker inside the server runs the check within seconds
        if agent.locator("#evidence .verdict-underpaid").count():
            break
        agent.wait_for_timeout(250)
        agent.reload()
    expect(agent.locator("#evidence")).to_contain_text("Underpaid")
    expect(agent.locator("#evidence")).to_contain_text("owed to the customer: £25.00")

    agent.get_by_label("Template").select_option(label="Bet being checked")
    agent.get_by_role("button", name="Use template").click()
    reply = agent.get_by_label("Message to the customer")
    expect(reply).to_have_value(re.compile(rf"^Dear Ivan Petrov, thank you for case {reference}\."))
    expect(reply).to_have_value(re.compile(r"underpaid by £25\.00; we are correcting it"))
    expect(reply).to_have_value(re.compile(r"answer by \d+ \w+ 2\d{3}, \d\d:\d\d UTC\.$"))
    reply.press("Control+Enter")
    expect(agent.get_by_role("status")).to_have_text("Your reply was sent to the customer.")
    expect(agent.locator(".entry.is-public .body").last).to_contain_text("Dear Ivan Petrov")

    agent.get_by_label("Message to the customer").fill("Please send a screenshot of your bet slip.")
    agent.get_by_label(re.compile("Ask for information")).check()
    agent.get_by_role("button", name="Send to the customer").click()
    expect(agent.get_by_role("status")).to_contain_text("the case now waits for the customer")
    expect(agent.locator(".case-ref .badge").first).to_have_text("Awaiting customer")
    expect(agent.get_by_text("The clocks are paused while the case waits")).to_be_visible()

    agent.get_by_label("Internal note").fill("Trading confirms the result feed was late.")
    agent.get_by_role("button", name="Add note").click()
    expect(agent.locator(".entry.is-internal .body").last).to_have_text(
        "Trading confirms the result feed was late."
    )
    agent.locator("#resolve-outcome").select_option("upheld")
    agent.get_by_label("Reasons the customer will read").fill(
        "Arsenal won 2-1, so your single won. We have resettled it and paid the winnings."
    )
    agent.locator("#resolve-amount").fill("25.50")
    agent.locator("#resolve-currency").fill("EUR")
    screenshot(agent, "console-case")
    agent.get_by_role("button", name="Decide").click()
    expect(agent.get_by_role("status")).to_have_text("The final response was sent to the customer.")
    expect(agent.locator(".case-ref .badge").first).to_have_text("Resolved")
    expect(agent.get_by_text("€25.50")).to_be_visible()


def test_a_refused_payout_waits_for_a_second_compliance_officer(
    new_context: Callable[..., BrowserContext],
    served: Served,
    staff: None,
    screenshot: Callable[[Page, str], None],
) -> None:
    reference = _file(
        served,
        category="payout_refusal",
        subject="Big win not paid out",
        description="You refused to pay my winnings of 1,400 EUR and say I broke the terms.",
    )
    agent = _sign_in(new_context, "ana")
    agent.goto(f"/console/cases/{reference}")
    agent.locator("#resolve-outcome").select_option("not_upheld")
    agent.get_by_label("Reasons the customer will read").fill(
        "Our fraud team found a breach of term 7.2."
    )
    agent.get_by_role("button", name="Decide").click()
    # Words that may reveal anti-fraud work: the agent checks them before anything is kept.
    expect(agent.get_by_role("alert")).to_contain_text("mention “fraud”")
    agent.get_by_label("Reasons the customer will read").fill(
        "Term 7.2 allows one bonus per household; two accounts at your address took it, so "
        "the winnings from that bonus are void."
    )
    agent.get_by_role("button", name="Decide").click()
    expect(agent.get_by_role("status")).to_contain_text("waits for a compliance officer")
    expect(agent.get_by_text("A compliance officer will approve or reject it.")).to_be_visible()
    expect(agent.locator(".case-ref .badge").first).to_have_text("New")

    carl = _sign_in(new_context, "carl")
    expect(carl).to_have_url(re.compile(r"/console/queue/approvals$"))
    row = carl.locator("tr", has_text=reference)
    expect(row).to_contain_text("a refused payout")
    expect(row).to_contain_text("Ana Silva")
    screenshot(carl, "console-approvals")
    row.get_by_role("link", name=reference).click()
    expect(carl.get_by_text("The customer has not been told anything yet")).to_be_visible()
    carl.get_by_label(re.compile("Note for the record")).fill("Household check confirmed.")
    screenshot(carl, "console-approval")
    carl.get_by_role("button", name="Approve and send to the customer").click()
    expect(carl.get_by_role("status")).to_contain_text("The decision was approved")
    expect(carl.locator(".case-ref .badge").first).to_have_text("Resolved")
    timeline = carl.locator("#timeline")
    expect(timeline.locator(".entry.is-internal", has_text="Decision approved")).to_be_visible()
    expect(timeline.locator(".entry.is-public", has_text="Final response sent")).to_be_visible()


def test_an_agent_cannot_reach_what_is_not_theirs(
    new_context: Callable[..., BrowserContext], served: Served, staff: None
) -> None:
    reference = _file(served, category="payout_refusal", subject="Refused payout")
    carl = _sign_in(new_context, "carl")
    carl.goto(f"/console/cases/{reference}")
    carl.locator("#resolve-outcome").select_option("not_upheld")
    carl.get_by_label("Reasons the customer will read").fill("Term 7.2 applies.")
    carl.get_by_role("button", name="Decide").click()
    expect(carl.get_by_text("another compliance officer approves it")).to_be_visible()

    agent = _sign_in(new_context, "ana")
    expect(agent.get_by_role("link", name="Administer")).to_have_count(0)
    for path in ("/console/admin/users", "/console/admin/teams", "/console/admin/templates"):
        answer = agent.goto(path)
        assert answer is not None
        assert answer.status == 403
        expect(agent.get_by_role("heading", name="Not allowed")).to_be_visible()
    agent.goto(f"/console/cases/{reference}")
    expect(agent.get_by_role("button", name="Approve and send to the customer")).to_have_count(0)
    token = agent.locator("input[name=csrf_token]").first.get_attribute("value")
    assert token
    for path, form in (
        (f"/console/cases/{reference}/approve", {"note": "looks fine"}),
        (
            "/console/admin/users",
            {"username": "eve", "password": "a long password", "role": "admin"},
        ),
        (f"/console/cases/{reference}/assign", {"assignee": "carl"}),
    ):
        answer = agent.request.post(path, form={**form, "csrf_token": token}, max_redirects=0)
        assert answer.status == 403, path
    agent.reload()
    expect(agent.get_by_text("Waiting for approval").first).to_be_visible()


def test_a_customers_script_is_shown_as_text(
    new_context: Callable[..., BrowserContext], served: Served, staff: None
) -> None:
    reference = _file(
        served,
        subject="<script>window.__owned = 1</script> my bet",
        description='<img src=x onerror="window.__owned = 2"> I was paid nothing.',
        customer={"email": "eve@example.com", "name": "<b>Eve</b>"},
    )
    agent = _sign_in(new_context, "ana")
    agent.goto(f"/console/queue/all?q={reference}")
    expect(agent.get_by_text("<script>window.__owned = 1</script> my bet")).to_be_visible()
    agent.get_by_role("link", name=reference).click()
    expect(agent.locator(".case-subject")).to_have_text(
        "<script>window.__owned = 1</script> my bet"
    )
    expect(
        agent.get_by_text('<img src=x onerror="window.__owned = 2">', exact=False)
    ).to_be_visible()
    expect(agent.get_by_text("<b>Eve</b>")).to_be_visible()
    assert agent.evaluate("window.__owned") is None


def test_the_console_in_russian(
    new_context: Callable[..., BrowserContext],
    served: Served,
    staff: None,
    screenshot: Callable[[Page, str], None],
) -> None:
    _file(
        served,
        language="ru",
        subject="Ставка рассчитана как проигрыш",
        customer={"email": "olga@example.com", "name": "Ольга Смирнова"},
    )
    page = _sign_in(new_context, "lena", locale="ru-RU")
    page.goto("/console/queue/all")
    expect(page.get_by_role("heading", name="Все открытые")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Без исполнителя"))).to_be_visible()
    expect(page.locator(".left").first).to_contain_text(re.compile(r"через|просрочено|на паузе"))
    screenshot(page, "console-queue-ru")

"""The staff's view of what left the desk and what came in, over HTTP on both databases:
the outbox and its attempts, retrying by hand, webhook subscriptions, held mail."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from fastapi.testclient import TestClient

from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.mail import services as mail
from complaintdesk.notifications.errors import DeliveryFailed
from complaintdesk.staff.models import Role
from complaintdesk.web.deps import Desk
from complaintdesk.worker.runner import Worker

Headers = dict[str, str]


class RefusingMailer:
    """An SMTP server that says no mailbox to everyone."""

    delivers = True

    def send(self, message: EmailMessage) -> None:
        raise DeliveryFailed("550 5.1.1 no such mailbox", permanent=True, status_code=550)

    def close(self) -> None:
        return None


def desk_of(client: TestClient) -> Desk:
    return client.app.state.desk  # type: ignore[attr-defined,no-any-return]


def run_worker(client: TestClient, mailer: object) -> None:
    desk = desk_of(client)
    Worker(desk.settings, desk.db, mailer=mailer, jobs=[]).send_due()  # type: ignore[arg-type]


def test_staff_see_what_was_sent_to_the_customer_and_nothing_internal(
    client: TestClient, agent: Headers, filed: dict[str, Any]
) -> None:
    ref = filed["reference"]
    assert client.post(f"/api/v1/complaints/{ref}/notes", json={"body": "hush"}, headers=agent)
    page = client.get(
        "/api/v1/outbox", params={"reference": ref, "channel": "email"}, headers=agent
    )
    assert page.status_code == 200
    [item] = page.json()["items"]
    assert item["kind"] == "acknowledgement"
    assert item["status"] == "pending"
    assert item["recipient"] == "bettor@example.com"
    assert item["subject"] == f"[{ref}] We have received your complaint"
    detail = client.get(f"/api/v1/outbox/{item['id']}", headers=agent).json()
    assert f"/track/{ref}" in detail["content"]["text"]
    assert detail["attempt_log"] == []
    assert filed["access_key"] not in str(detail)
    assert client.get("/api/v1/outbox").status_code == 401


def test_a_message_given_up_is_listed_and_retried_by_hand(
    client: TestClient, agent: Headers, filed: dict[str, Any]
) -> None:
    run_worker(client, RefusingMailer())
    failed = client.get("/api/v1/outbox", params={"status": "failed"}, headers=agent).json()
    [item] = failed["items"]
    either = client.get("/api/v1/outbox?status=sent,failed", headers=agent).json()
    assert [i["id"] for i in either["items"]] == [item["id"]]
    assert client.get("/api/v1/outbox?status=pending,sending", headers=agent).json()["items"] == []
    assert client.get("/api/v1/outbox?status=failed,lost", headers=agent).status_code == 422
    assert item["last_error"] == "550 5.1.1 no such mailbox"
    detail = client.get(f"/api/v1/outbox/{item['id']}", headers=agent).json()
    [attempt] = detail["attempt_log"]
    assert (attempt["outcome"], attempt["status_code"]) == ("failed", 550)

    retried = client.post(f"/api/v1/outbox/{item['id']}/retry", headers=agent)
    assert retried.status_code == 200
    assert retried.json()["status"] == "pending"
    again = client.post(f"/api/v1/outbox/{item['id']}/retry", headers=agent)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "not_retryable"
    assert client.post("/api/v1/outbox/999999/retry", headers=agent).status_code == 404
    case = client.get(f"/api/v1/complaints/{filed['reference']}", headers=agent).json()
    types = [e["type"] for e in case["timeline"]]
    assert types.index("notification_failed") < types.index("notification_retried")


def test_webhook_subscriptions_are_managed_by_leads_and_the_secret_shown_once(
    client: TestClient, agent: Headers, make_staff: Callable[..., Headers]
) -> None:
    lead = make_staff("lena", Role.lead)
    body = {"url": "https://crm.operator.example/hooks", "events": ["complaint.created"]}
    refused = client.post("/api/v1/webhooks", json=body, headers=agent)
    assert refused.status_code == 403
    created = client.post("/api/v1/webhooks", json=body, headers=lead)
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    [listed] = client.get("/api/v1/webhooks", headers=lead).json()
    assert "secret" not in listed
    assert secret not in client.get(f"/api/v1/webhooks/{listed['id']}", headers=lead).text
    events = client.get("/api/v1/webhooks/events", headers=agent).json()["events"]
    assert {"complaint.created", "complaint.resolved", "complaint.status_changed"} <= set(events)
    disabled = client.post(f"/api/v1/webhooks/{listed['id']}/disable", headers=lead)
    assert disabled.json()["active"] is False
    assert client.post("/api/v1/webhooks/4242/disable", headers=lead).status_code == 404


def test_bad_subscriptions_are_refused_with_a_reason(
    client: TestClient, make_staff: Callable[..., Headers]
) -> None:
    admin = make_staff("root", Role.admin)
    url = "https://crm.example/x"
    cases = [
        ({"url": "ftp://crm.example/x", "events": ["*"]}, "invalid_subscription", "http"),
        ({"url": "https://u:p@crm.example/x", "events": ["*"]}, "invalid_subscription", "no cred"),
        ({"url": url, "events": ["complaint.exploded"]}, "invalid_subscription", "unknown event"),
        ({"url": url, "events": []}, "invalid_request", "events"),
        ({"url": url, "events": ["*"], "secret": "mine"}, "invalid_request", "secret"),
        ({"url": "https://crm.example:99999/x", "events": ["*"]}, "invalid_subscription", "valid"),
        # Inside the operator's network, unless the desk's setting allows it.
        ({"url": "http://127.0.0.1:8080/x", "events": ["*"]}, "invalid_subscription", "public"),
        ({"url": "http://localhost/x", "events": ["*"]}, "invalid_subscription", "public"),
        ({"url": "http://10.1.2.3/x", "events": ["*"]}, "invalid_subscription", "public"),
        ({"url": "http://[::1]/x", "events": ["*"]}, "invalid_subscription", "public"),
        (
            {"url": "http://169.254.169.254/latest", "events": ["*"]},
            "invalid_subscription",
            "public",
        ),
        (
            {"url": "http://[::ffff:192.168.0.1]/", "events": ["*"]},
            "invalid_subscription",
            "public",
        ),
    ]
    for body, code, words in cases:
        answer = client.post("/api/v1/webhooks", json=body, headers=admin)
        assert answer.status_code == 422, body
        assert answer.json()["error"]["code"] == code
        assert words in answer.json()["error"]["message"]
    assert client.get("/api/v1/webhooks", headers=admin).json() == []


def test_held_mail_is_listed_read_and_released_onto_its_case(
    client: TestClient, agent: Headers, filed: dict[str, Any]
) -> None:
    ref = filed["reference"]
    desk = desk_of(client)
    raw = (
        f"From: Friend <friend@example.org>\r\nSubject: Re: [{ref}]\r\n"
        "Message-ID: <f1@example.org>\r\n\r\nHe asked me to write: the stake was 50 EUR.\r\n"
    ).encode()
    with desk.db.transaction() as session:
        held = mail.ingest(session, desk.storage, desk.settings, raw, policy=DeadlinePolicy())
    listed = client.get("/api/v1/mail/inbound", params={"disposition": "held"}, headers=agent)
    [item] = listed.json()["items"]
    either = client.get("/api/v1/mail/inbound?disposition=held,bounce", headers=agent).json()
    assert [i["id"] for i in either["items"]] == [item["id"]]
    assert (
        client.get("/api/v1/mail/inbound?disposition=bulk,bounce", headers=agent).json()["items"]
        == []
    )
    assert (item["id"], item["reference"], item["from_address"]) == (
        held.inbound_id,
        ref,
        "friend@example.org",
    )
    detail = client.get(f"/api/v1/mail/inbound/{item['id']}", headers=agent).json()
    assert detail["text"] == "He asked me to write: the stake was 50 EUR."
    track = client.get(f"/api/v1/track/{ref}", headers={"X-Access-Key": filed["access_key"]})
    assert track.json()["messages"] == []

    released = client.post(f"/api/v1/mail/inbound/{item['id']}/release", headers=agent)
    assert released.json()["disposition"] == "released"
    track = client.get(f"/api/v1/track/{ref}", headers={"X-Access-Key": filed["access_key"]})
    [message] = track.json()["messages"]
    assert "friend@example.org" in message["body"]
    second = client.post(f"/api/v1/mail/inbound/{item['id']}/discard", headers=agent)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "not_held"
    assert client.get("/api/v1/mail/inbound/999", headers=agent).status_code == 404
    assert (
        client.get("/api/v1/mail/inbound", params={"cursor": "x"}, headers=agent).status_code == 422
    )

"""Four eyes over the API, on both databases: a decision that needs approval answers 202
and tells the customer nothing until a second compliance officer approves it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from complaintdesk.complaints.models import Complaint
from complaintdesk.db import Database
from complaintdesk.notifications.models import OutboxMessage
from complaintdesk.staff.models import Role
from tests.samples import COMPLAINT

Headers = dict[str, str]


def _file(client: TestClient, **changes: Any) -> tuple[str, str]:
    answer = client.post("/api/v1/complaints", json={**COMPLAINT, **changes})
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"], answer.json()["access_key"]


def _mails(db: Database, reference: str) -> list[str]:
    with db.read() as session:
        case_id = session.scalar(select(Complaint.id).where(Complaint.reference == reference))
        return list(
            session.scalars(
                select(OutboxMessage.kind).where(
                    OutboxMessage.complaint_id == case_id, OutboxMessage.channel == "email"
                )
            )
        )


def test_compensation_above_the_limit_waits_for_approval(
    client: TestClient, db: Database, make_staff: Callable[..., Headers]
) -> None:
    agent = make_staff("alice", Role.agent)
    carl = make_staff("carl", Role.compliance)
    lead = make_staff("lena", Role.lead)
    reference, key = _file(client)
    body = {
        "outcome": "upheld",
        "summary": "We resettle the bet as a winner and add a goodwill payment.",
        "compensation": {"amount": "2500.00", "currency": "EUR"},
    }
    proposed = client.post(f"/api/v1/complaints/{reference}/resolution", json=body, headers=agent)
    assert proposed.status_code == 202, proposed.text
    proposal = proposed.json()
    assert proposal["state"] == "pending"
    assert proposal["reasons"] == ["above_limit"]
    assert proposal["proposed_by"] == "alice"
    assert proposal["compensation"] == {"amount": "2500.00", "currency": "EUR"}

    tracked = client.get(f"/api/v1/track/{reference}", headers={"X-Access-Key": key}).json()
    assert tracked["status"] == "received"
    assert tracked["resolution"] is None
    assert all(e["type"] not in ("resolution", "resolution_proposed") for e in tracked["timeline"])
    assert "resolution" not in _mails(db, reference)
    again = client.post(f"/api/v1/complaints/{reference}/resolution", json=body, headers=agent)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "approval_pending"

    waiting = client.get("/api/v1/approvals", headers=carl).json()["items"]
    assert [w["reference"] for w in waiting] == [reference]
    assert client.get("/api/v1/approvals", headers=agent).status_code == 403
    for who in (agent, lead):
        refused = client.post(
            f"/api/v1/complaints/{reference}/resolution/approve", json={}, headers=who
        )
        assert refused.status_code == 403
    no_note = client.post(
        f"/api/v1/complaints/{reference}/resolution/reject", json={}, headers=carl
    )
    assert no_note.status_code == 422
    assert no_note.json()["error"]["code"] == "note_required"

    approved = client.post(
        f"/api/v1/complaints/{reference}/resolution/approve",
        json={"proposal": proposal["id"], "note": "Goodwill agreed with trading."},
        headers=carl,
    )
    assert approved.status_code == 200, approved.text
    case = approved.json()
    assert case["status"] == "resolved"
    assert case["resolution"]["compensation"] == {"amount": "2500.00", "currency": "EUR"}
    assert case["decisions"][0]["state"] == "approved"
    assert case["decisions"][0]["decided_by"] == "carl"
    internal = [(e["type"], e["public"]) for e in case["timeline"]]
    assert ("resolution_proposed", False) in internal
    assert ("resolution_approved", False) in internal
    assert ("resolution", True) in internal
    assert _mails(db, reference).count("resolution") == 1
    tracked = client.get(f"/api/v1/track/{reference}", headers={"X-Access-Key": key}).json()
    assert tracked["resolution"]["outcome"] == "upheld"
    assert "approved" not in str(tracked["timeline"])


def test_a_rejected_decision_goes_back_and_can_be_proposed_again(
    client: TestClient, make_staff: Callable[..., Headers]
) -> None:
    agent = make_staff("alice", Role.agent)
    carl = make_staff("carl", Role.compliance)
    reference, _ = _file(client, category="payout_refusal")
    body = {"outcome": "not_upheld", "summary": "Term 7.2 of our rules applies."}
    first = client.post(f"/api/v1/complaints/{reference}/resolution", json=body, headers=agent)
    assert first.status_code == 202
    assert first.json()["reasons"] == ["payout_refusal"]
    rejected = client.post(
        f"/api/v1/complaints/{reference}/resolution/reject",
        json={"note": "Quote the term in full."},
        headers=carl,
    )
    assert rejected.status_code == 200
    assert rejected.json()["status"] == "received"
    assert rejected.json()["decisions"][0]["note"] == "Quote the term in full."
    nothing = client.post(
        f"/api/v1/complaints/{reference}/resolution/approve", json={}, headers=carl
    )
    assert nothing.status_code == 404
    second = client.post(
        f"/api/v1/complaints/{reference}/resolution",
        json={**body, "summary": "Term 7.2: one bonus per household."},
        headers=agent,
    )
    assert second.status_code == 202
    assert second.json()["id"] != first.json()["id"]


def test_the_proposer_is_never_the_approver(
    client: TestClient, make_staff: Callable[..., Headers]
) -> None:
    carl = make_staff("carl", Role.compliance)
    admin = make_staff("root", Role.admin)
    reference, _ = _file(client, category="payout_refusal")
    proposed = client.post(
        f"/api/v1/complaints/{reference}/resolution",
        json={"outcome": "not_upheld", "summary": "Term 7.2 applies."},
        headers=carl,
    )
    assert proposed.status_code == 202
    own = client.post(f"/api/v1/complaints/{reference}/resolution/approve", json={}, headers=carl)
    assert own.status_code == 403
    assert own.json()["error"]["code"] == "second_person_required"
    by_admin = client.post(
        f"/api/v1/complaints/{reference}/resolution/approve", json={}, headers=admin
    )
    assert by_admin.status_code == 403


def test_small_decisions_are_recorded_at_once(
    client: TestClient, make_staff: Callable[..., Headers]
) -> None:
    agent = make_staff("alice", Role.agent)
    reference, _ = _file(client, category="payout_refusal")
    upheld = client.post(
        f"/api/v1/complaints/{reference}/resolution",
        json={
            "outcome": "upheld",
            "summary": "We pay the winnings.",
            "compensation": {"amount": "2000.00", "currency": "EUR"},
        },
        headers=agent,
    )
    assert upheld.status_code == 200
    assert upheld.json()["status"] == "resolved"
    other, _ = _file(client)
    unknown_currency = client.post(
        f"/api/v1/complaints/{other}/resolution",
        json={
            "outcome": "upheld",
            "summary": "Refund.",
            "compensation": {"amount": "5.00", "currency": "CHF"},
        },
        headers=agent,
    )
    assert unknown_currency.status_code == 202
    assert unknown_currency.json()["reasons"] == ["no_limit"]


def test_reasons_never_name_how_fraud_is_found(
    client: TestClient, make_staff: Callable[..., Headers]
) -> None:
    agent = make_staff("alice", Role.agent)
    reference, _ = _file(client)
    path = f"/api/v1/complaints/{reference}/resolution"
    refused = client.post(
        path,
        json={"outcome": "not_upheld", "summary": "Your device fingerprint matched another."},
        headers=agent,
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "wording_refused"
    to_check = client.post(
        path,
        json={"outcome": "not_upheld", "summary": "No fraud: the match was 1-1, the bet lost."},
        headers=agent,
    )
    assert to_check.status_code == 422
    assert to_check.json()["error"]["code"] == "wording_check"
    assert "“fraud”" in to_check.json()["error"]["message"]
    checked = client.post(
        path,
        json={
            "outcome": "not_upheld",
            "summary": "No fraud: the match was 1-1, the bet lost.",
            "wording_checked": True,
        },
        headers=agent,
    )
    assert checked.status_code == 200
    case = checked.json()
    resolution = next(e for e in case["timeline"] if e["type"] == "resolution")
    assert resolution["data"]["wording_checked"] == ["fraud"]
    assert case["resolution"]["summary"] == "No fraud: the match was 1-1, the bet lost."

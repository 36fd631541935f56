"""The case lifecycle as one explicit table.

Every status change goes through :func:`check_transition`; a move the table does not
list raises :class:`InvalidTransition` (HTTP 409). Services append the timeline event.
"""

from __future__ import annotations

from complaintdesk.complaints.errors import InvalidTransition
from complaintdesk.complaints.models import Status

S = Status

TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.received: frozenset({S.in_progress, S.awaiting_customer, S.escalated, S.resolved}),
    S.in_progress: frozenset({S.awaiting_customer, S.escalated, S.resolved}),
    # A customer's answer moves the case back to in_progress by itself.
    S.awaiting_customer: frozenset({S.in_progress, S.escalated, S.resolved, S.closed}),
    S.escalated: frozenset({S.in_progress, S.awaiting_customer, S.resolved, S.referred_to_adr}),
    # A review request reopens a resolved case as escalated; staff may also reopen it.
    S.resolved: frozenset({S.in_progress, S.escalated, S.closed, S.referred_to_adr}),
    S.closed: frozenset({S.referred_to_adr}),
    # The ADR body's decision is implemented and recorded, then the case is closed.
    S.referred_to_adr: frozenset({S.resolved, S.closed}),
}

OPEN_STATUSES = frozenset({S.received, S.in_progress, S.awaiting_customer, S.escalated})
FINISHED_STATUSES = frozenset({S.resolved, S.closed, S.referred_to_adr})

# Entering these statuses needs more than a move: a resolution (outcome and reasons).
NEEDS_RESOLUTION = frozenset({S.resolved})


def allowed(current: Status) -> frozenset[Status]:
    return TRANSITIONS[current]


def check_transition(current: Status, target: Status) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(
            f"a case that is {current.value} cannot move to {target.value}; "
            f"allowed: {', '.join(sorted(s.value for s in TRANSITIONS[current])) or 'none'}"
        )

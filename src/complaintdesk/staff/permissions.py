"""Who may do what: the role matrix, decided here once and enforced by the services.

| action            | agent | lead | compliance | admin |
|-------------------|:-----:|:----:|:----------:|:-----:|
| view, reply, note |   ✓   |  ✓   |     ✓      |   ✓   |
| re-run a check    |   ✓   |  ✓   |     ✓      |   ✓   |
| move a case       |   ✓   |  ✓   |     ✓      |   ✓   |
| resolve           |   ✓   |  ✓   |     ✓      |   ✓   |
| link, merge cases |   ✓   |  ✓   |     ✓      |   ✓   |
| assign to self    |   ✓   |  ✓   |     ✓      |   ✓   |
| assign anyone     |       |  ✓   |     ✓      |   ✓   |
| refer to ADR      |       |  ✓   |     ✓      |   ✓   |
| extend a deadline |       |  ✓   |     ✓      |   ✓   |
| approve (4 eyes)  |       |      |     ✓      |       |
| manage routing    |       |  ✓   |            |   ✓   |
| manage templates  |       |  ✓   |            |   ✓   |
| manage webhooks   |       |  ✓   |            |   ✓   |
| manage users      |       |      |            |   ✓   |

Approving a decision that needs a second pair of eyes is compliance's alone: an admin
runs the desk, but a refused payout is a compliance decision, and the person approving
is never the one who proposed it (``decisions.services.take_pending``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from complaintdesk.complaints.errors import Forbidden
from complaintdesk.staff.models import Role


class Action(StrEnum):
    view = "view"
    reply = "reply"
    note = "note"
    run_checks = "run_checks"
    transition = "transition"
    resolve = "resolve"
    link = "link"
    assign_self = "assign_self"
    assign_any = "assign_any"
    refer_to_adr = "refer_to_adr"
    extend_deadline = "extend_deadline"
    approve = "approve"
    manage_routing = "manage_routing"
    manage_webhooks = "manage_webhooks"
    manage_macros = "manage_macros"
    manage_users = "manage_users"


_EVERY_STAFF = {
    Action.view,
    Action.reply,
    Action.note,
    Action.run_checks,
    Action.transition,
    Action.resolve,
    Action.assign_self,
    Action.link,
}

MATRIX: dict[Role, frozenset[Action]] = {
    Role.agent: frozenset(_EVERY_STAFF),
    Role.lead: frozenset(
        _EVERY_STAFF
        | {
            Action.assign_any,
            Action.refer_to_adr,
            Action.extend_deadline,
            Action.manage_routing,
            Action.manage_webhooks,
            Action.manage_macros,
        }
    ),
    Role.compliance: frozenset(
        _EVERY_STAFF
        | {Action.assign_any, Action.refer_to_adr, Action.extend_deadline, Action.approve}
    ),
    Role.admin: frozenset(Action) - {Action.approve},
}


@dataclass(frozen=True, slots=True)
class StaffActor:
    """The signed-in staff member on whose behalf a service acts."""

    id: int
    username: str
    role: Role

    def can(self, action: Action) -> bool:
        return action in MATRIX[self.role]


def require(actor: StaffActor, action: Action) -> None:
    if not actor.can(action):
        raise Forbidden(f"the {actor.role.value} role may not {action.value.replace('_', ' ')}")

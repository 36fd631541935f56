"""What can go wrong with a decision that needs approval."""

from __future__ import annotations

from collections.abc import Sequence

from complaintdesk.complaints.errors import Forbidden, InvalidRequest, InvalidTransition, NotFound


class ApprovalPending(InvalidTransition):
    """The case already has a decision waiting for approval."""

    code = "approval_pending"


class NothingToApprove(NotFound):
    code = "no_pending_decision"


class SecondPersonRequired(Forbidden):
    """The proposer may not approve (or reject) their own proposal."""

    code = "second_person_required"


class WordingRefused(InvalidRequest):
    """The reasons for the customer name something that must stay internal."""

    code = "wording_refused"

    def __init__(self, message: str, words: Sequence[str]) -> None:
        super().__init__(message)
        self.words = list(words)


class WordingToCheck(InvalidRequest):
    """The reasons for the customer contain words that may reveal anti-fraud work; the
    proposer confirms they checked them (``wording_checked``) and sends them again."""

    code = "wording_check"

    def __init__(self, message: str, words: Sequence[str]) -> None:
        super().__init__(message)
        self.words = list(words)

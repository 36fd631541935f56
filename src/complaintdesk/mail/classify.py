"""Mail that must never be answered: auto-replies, bulk mail, bounces, our own mail.

Answering an out-of-office reply with an acknowledgement, which draws another
out-of-office reply, is how mail loops start. Such mail is recorded (and shown on its
case) but never becomes a complaint or a customer message. The signals are RFC 3834's
``Auto-Submitted``, the older ``Precedence`` and ``X-Autoreply`` family, list headers,
delivery reports (RFC 3464) and the null sender, and — as a last resort — the subjects
the common mail programs give their automatic replies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from complaintdesk.mail.models import Disposition
from complaintdesk.mail.parse import ParsedMail

_AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?reply|auto:|autoreply|out of (the )?office|abwesenheitsnotiz|"
    r"автоматический ответ|автоответ|вне офиса|нет на месте)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"^\s*(undeliver(ed|able)|delivery (status notification|has failed|failure)|"
    r"mail delivery (failed|failure|subsystem)|returned mail|failure notice|"
    r"delivery notification: delivery has failed|недоставленное сообщение|"
    r"не удалось доставить)",
    re.IGNORECASE,
)
_DAEMONS = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Automatic:
    disposition: Disposition
    reason: str


def classify(mail: ParsedMail, *, own_addresses: frozenset[str]) -> Automatic | None:
    """Why this message is not a person writing to us, or None if it is."""
    h = {k.lower(): v.strip() for k, v in mail.headers.items()}
    sender = (mail.from_address or "").lower()
    if "x-complaintdesk-notification" in h or (sender and sender in own_addresses):
        return Automatic(Disposition.loop, "our own mail came back to us")
    if mail.report_type == "delivery-status" or "x-failed-recipients" in h:
        return Automatic(Disposition.bounce, "a delivery status report (bounce)")
    if _DAEMONS.match(sender) or _BOUNCE_SUBJECT.match(mail.subject):
        return Automatic(Disposition.bounce, f"a bounce from {sender or 'a mail server'}")
    auto_submitted = h.get("auto-submitted", "").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return Automatic(Disposition.auto_reply, f"Auto-Submitted: {h['auto-submitted']}")
    precedence = h.get("precedence", "").lower()
    if precedence in ("auto_reply", "auto-reply"):
        return Automatic(Disposition.auto_reply, f"Precedence: {precedence}")
    if any(k in h for k in ("x-autoreply", "x-autorespond", "x-autoresponder")):
        return Automatic(Disposition.auto_reply, "an X-Autoreply header")
    if mail.report_type:
        return Automatic(Disposition.auto_reply, f"an automatic report ({mail.report_type})")
    if precedence in ("bulk", "junk", "list"):
        return Automatic(Disposition.bulk, f"Precedence: {precedence}")
    if "list-id" in h or "list-unsubscribe" in h:
        return Automatic(Disposition.bulk, "mailing-list mail (List-Id / List-Unsubscribe)")
    if h.get("return-path", "").replace(" ", "") == "<>":
        return Automatic(Disposition.auto_reply, "sent with a null sender (Return-Path: <>)")
    if _AUTO_SUBJECT.match(mail.subject):
        return Automatic(Disposition.auto_reply, f"an automatic reply ({mail.subject[:60]!r})")
    return None

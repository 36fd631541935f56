"""The JSON of the incoming-mail API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from complaintdesk.mail.models import Disposition, InboundMail


class InboundOut(BaseModel):
    id: int
    received_at: dt.datetime
    disposition: Disposition
    reference: str | None
    from_address: str | None
    from_name: str | None
    subject: str
    reason: str | None
    message_id: str | None
    size: int
    attachments: list[dict[str, Any]]
    decided_at: dt.datetime | None

    @classmethod
    def of(cls, m: InboundMail, reference: str | None) -> InboundOut:
        return cls(
            id=m.id,
            received_at=m.received_at,
            disposition=m.disposition,
            reference=reference,
            from_address=m.from_address,
            from_name=m.from_name,
            subject=m.subject,
            reason=m.reason,
            message_id=m.message_id,
            size=m.raw_size,
            attachments=list(m.attachments or []),
            decided_at=m.decided_at,
        )


class InboundDetail(InboundOut):
    text: str

    @classmethod
    def detail(cls, m: InboundMail, reference: str | None) -> InboundDetail:
        return cls(**InboundOut.of(m, reference).model_dump(), text=m.text)


class InboundPage(BaseModel):
    items: list[InboundOut]
    next_cursor: str | None

"""Links between cases, one row per direction."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from complaintdesk.db import Base, intpk, timestamp


class LinkKind(StrEnum):
    related = "related"  # both ways: related
    duplicate_of = "duplicate_of"  # this case was merged into the other
    merged_from = "merged_from"  # the other case was merged into this one


class CaseLink(Base):
    __tablename__ = "case_links"

    id: Mapped[intpk]
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    other_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    kind: Mapped[LinkKind] = mapped_column(
        Enum(
            LinkKind,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[timestamp]

    __table_args__ = (
        UniqueConstraint("complaint_id", "other_id", "kind"),
        Index("ix_case_links_complaint", "complaint_id", "id"),
    )

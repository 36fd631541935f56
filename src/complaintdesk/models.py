"""Imports every context's models so that the metadata is complete (for Alembic)."""

from __future__ import annotations


def load_all() -> None:
    import complaintdesk.complaints.models  # noqa: PLC0415
    import complaintdesk.routing.models  # noqa: PLC0415
    import complaintdesk.sla.models  # noqa: PLC0415
    import complaintdesk.staff.models  # noqa: F401, PLC0415

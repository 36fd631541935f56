"""Imports every context's models so that the metadata is complete (for Alembic)."""

from __future__ import annotations


def load_all() -> None:
    import complaintdesk.checks.models  # noqa: PLC0415
    import complaintdesk.complaints.models  # noqa: PLC0415
    import complaintdesk.console.models  # noqa: PLC0415
    import complaintdesk.decisions.models  # noqa: PLC0415
    import complaintdesk.links.models  # noqa: PLC0415
    import complaintdesk.macros.models  # noqa: PLC0415
    import complaintdesk.mail.models  # noqa: PLC0415
    import complaintdesk.notifications.models  # noqa: PLC0415
    import complaintdesk.platform.models  # noqa: PLC0415
    import complaintdesk.routing.models  # noqa: PLC0415
    import complaintdesk.sla.models  # noqa: PLC0415
    import complaintdesk.staff.models  # noqa: PLC0415
    import complaintdesk.worker.models  # noqa: F401, PLC0415

"""The customer portal's pages at ``/``: file, ask, confirm, follow, answer, escalate.

Every form posts and redirects (PRG) and works without JavaScript. A form with mistakes is
shown again with every value kept and each mistake next to its field. Routes read the
form, check its CSRF token, call one service and render; the services decide what a case
allows. Access keys never appear in a URL the browser keeps: see ``portal/access.py``.
"""

from __future__ import annotations

from fastapi import APIRouter

from complaintdesk.portal.views import case, intake

router = APIRouter(include_in_schema=False)
router.include_router(intake.router)
router.include_router(case.router)

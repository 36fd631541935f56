"""The app factory: one FastAPI app per Settings, with the desk's services on its state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

from complaintdesk import __version__
from complaintdesk.checks import api as checks_api
from complaintdesk.checks import services as checks
from complaintdesk.complaints import api as complaints_api
from complaintdesk.complaints.deadlines import DeadlinePolicy
from complaintdesk.config import Settings
from complaintdesk.console import views as console_views
from complaintdesk.db import Database
from complaintdesk.decisions import api as decisions_api
from complaintdesk.mail import api as mail_api
from complaintdesk.notifications import api as notifications_api
from complaintdesk.notifications import derive as notifications
from complaintdesk.portal import views as portal_views
from complaintdesk.routing import api as routing_api
from complaintdesk.sla import api as sla_api
from complaintdesk.sla import defaults as sla_defaults
from complaintdesk.staff import api as staff_api
from complaintdesk.storage.backends import LocalStorage
from complaintdesk.verification import api as verification_api
from complaintdesk.web import errors, pages, security
from complaintdesk.web.deps import Desk
from complaintdesk.web.templating import Pages


def build_desk(settings: Settings) -> Desk:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    from complaintdesk.web.ratelimit import RateLimiter  # noqa: PLC0415

    db = Database(settings.resolved_database_url, pool_size=settings.db_pool_size)
    # Every timeline event queues its mail and webhooks in the same transaction.
    notifications.install(db, settings)
    # Every new complaint gets its automatic checks planned in the same transaction.
    checks.install(db, settings)
    return Desk(
        settings=settings,
        db=db,
        storage=LocalStorage(settings.attachments_dir),
        limiter=RateLimiter(settings.public_rate_limit),
        policy=DeadlinePolicy.from_settings(settings),
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    desk = build_desk(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # A fresh desk starts with a team per category, its rules, policies, jurisdictions.
        sla_defaults.install_on_start(desk.db, desk.policy)
        yield
        desk.db.dispose()

    app = FastAPI(
        title="complaintdesk",
        version=__version__,
        description="Complaint handling for sports-betting operators. Errors are "
        '`{"error": {"code", "message"}}` with a 4xx status.',
        lifespan=lifespan,
    )
    app.state.desk = desk
    app.state.pages = Pages(settings)
    security.install_log_redaction()
    errors.install(app)

    # Routes are matched in the order they were added, one by one: the probe that load
    # balancers call every few seconds goes first.
    @app.get("/healthz", tags=["operations"], summary="Liveness and database reachability")
    def healthz() -> Response:
        try:
            with desk.db.read() as session:
                session.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "unhealthy", "database": "unreachable"}, 503)
        return JSONResponse({"status": "ok", "database": "ok", "version": __version__})

    app.include_router(complaints_api.public)
    app.include_router(complaints_api.router)
    app.include_router(decisions_api.router)
    app.include_router(checks_api.router)
    app.include_router(staff_api.router)
    app.include_router(verification_api.router)
    app.include_router(notifications_api.router)
    app.include_router(mail_api.router)
    app.include_router(routing_api.router)
    app.include_router(routing_api.cases)
    app.include_router(sla_api.router)
    app.include_router(sla_api.cases)
    app.include_router(sla_api.public)

    # The portal's pages (at "/") come last: the API and operations paths take precedence.
    pages.install(app)
    console_views.install(app)
    app.include_router(portal_views.router)

    app.add_middleware(security.SecurityHeaders, settings=settings)

    return app

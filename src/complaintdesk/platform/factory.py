"""Which adapter the settings choose: ``http`` with a URL, ``files`` with a folder, else
``demo`` (``platform.md``)."""

from __future__ import annotations

from complaintdesk.config import Settings
from complaintdesk.db import Database
from complaintdesk.platform.breaker import CircuitBreaker
from complaintdesk.platform.demo import DemoPlatform
from complaintdesk.platform.files import FilesPlatform
from complaintdesk.platform.http import HttpPlatform
from complaintdesk.platform.protocol import Platform


def platform_from_settings(settings: Settings, db: Database) -> Platform:
    if settings.platform_url:
        return HttpPlatform(
            settings.platform_url,
            token=settings.platform_token,
            connect_timeout=settings.platform_connect_timeout_seconds,
            read_timeout=settings.platform_read_timeout_seconds,
            retries=settings.platform_retries,
            backoff=settings.platform_backoff_seconds,
            breaker=CircuitBreaker(
                failures=settings.platform_breaker_failures,
                reset_after=settings.platform_breaker_reset_seconds,
            ),
        )
    if settings.platform_dir:
        return FilesPlatform(settings.platform_dir)
    return DemoPlatform(db)

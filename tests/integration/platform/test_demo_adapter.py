"""The demo adapter reads the demo operator's records from the desk's own database."""

from __future__ import annotations

import pytest

from complaintdesk.db import Database
from complaintdesk.platform.demo import DemoPlatform
from complaintdesk.platform.errors import PlatformUnavailable
from complaintdesk.platform.models import DemoBet
from tests.platform_fixtures import ACCOUNT, NOW, load_demo_tables


def test_reads_the_demo_records_like_any_platform(db: Database) -> None:
    load_demo_tables(db)
    platform = DemoPlatform(db)
    customer = platform.get_customer(ACCOUNT)
    assert customer is not None
    assert customer.jurisdiction == "GB"
    bet = platform.get_bet("77881234")
    assert bet is not None
    assert bet.record["each_way"] is True
    assert platform.get_bet("1") is None
    since = NOW.replace(day=18)
    assert [b.bet_id for b in platform.customer_bets(ACCOUNT, since=since) or []] == [
        "44556677",
        "44556678",
    ]
    assert [
        t.transaction_id for t in platform.customer_transactions(ACCOUNT, since=None) or []
    ] == [
        "TX-5512399",
        "TX-5512345",
        "TX-5500001",
    ]
    assert [b.bonus_id for b in platform.customer_bonuses(ACCOUNT) or []] == ["BN-100"]
    assert platform.customer_bonuses("AC-0") is None


def test_a_broken_demo_record_is_unavailable_too(db: Database) -> None:
    load_demo_tables(db)
    with db.transaction() as session:
        row = session.get(DemoBet, "77881234")
        assert row is not None
        row.record = {"bet_id": "77881234"}
    with pytest.raises(PlatformUnavailable, match="cannot read"):
        DemoPlatform(db).get_bet("77881234")

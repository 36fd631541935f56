"""An operator's records for the platform tests, and the three ways to serve them: a JSON
Lines folder, a real HTTP server on loopback (the contract's endpoints), and the demo
tables of a desk's database."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import insert

from complaintdesk.db import Database
from complaintdesk.platform.models import DemoBet, DemoBonus, DemoCustomer, DemoTransaction

ACCOUNT = "AC-1001"
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def at(days_ago: float) -> str:
    return (NOW - dt.timedelta(days=days_ago)).isoformat()


CUSTOMER: dict[str, Any] = {
    "account_id": ACCOUNT,
    "email": "ivan.petrov@example.com",
    "name": "Ivan Petrov",
    "country": "GB",
    "jurisdiction": "GB",
    "kyc_status": "verified",
    "self_excluded": False,
    "limits": {"deposit_daily": "100.00"},
}

# Third of four places at 8/1, each way at 1/5 the odds: the place part returns
# 10 × (1 + 8 × 1/5) = 26.00, but the bookmaker paid nothing.
UNDERPAID: dict[str, Any] = {
    "bet_id": "77881234",
    "account_id": ACCOUNT,
    "currency": "GBP",
    "type": "single",
    "stake": "10.00",
    "each_way": True,
    "legs": [
        {
            "market": "race",
            "odds": "8/1",
            "position": 3,
            "places": 4,
            "place_fraction": "1/5",
            "event": "14:30 Cheltenham",
            "market_name": "Each way",
            "selection_name": "Shishkin",
        }
    ],
    "paid_return": "0.00",
    "placed_at": at(3),
    "settled_at": at(2.9),
    "status": "settled",
}
CORRECT: dict[str, Any] = {
    "bet_id": "44556677",
    "account_id": ACCOUNT,
    "currency": "GBP",
    "type": "single",
    "stake": "10.00",
    "legs": [
        {
            "odds": "1.50",
            "result": "won",
            "event": "Arsenal v Chelsea",
            "market_name": "Match result",
            "selection_name": "Arsenal",
        }
    ],
    "paid_return": "15.00",
    "placed_at": at(2),
    "settled_at": at(1.9),
    "status": "settled",
}
LOW_ODDS: dict[str, Any] = {
    **CORRECT,
    "bet_id": "44556678",
    "legs": [{**CORRECT["legs"][0], "odds": "1.20"}],
    "paid_return": "12.00",
    "placed_at": at(1.5),
    "settled_at": at(1.4),
}
BETS = [UNDERPAID, CORRECT, LOW_ODDS]

DECLINED: dict[str, Any] = {
    "transaction_id": "TX-5512345",
    "account_id": ACCOUNT,
    "kind": "deposit",
    "amount": "100.00",
    "currency": "GBP",
    "method": "debit_card",
    "provider": "visa",
    "status": "declined",
    "decline_code": "51",
    "created_at": at(1),
    "updated_at": at(1),
}
HELD: dict[str, Any] = {
    "transaction_id": "TX-5512399",
    "account_id": ACCOUNT,
    "kind": "withdrawal",
    "amount": "900.00",
    "currency": "GBP",
    "method": "debit_card",
    "provider": "visa",
    "status": "pending",
    "reason_code": "aml_review",
    "created_at": at(0.5),
    "updated_at": at(0.5),
}
PAID: dict[str, Any] = {
    **DECLINED,
    "transaction_id": "TX-5500001",
    "status": "completed",
    "decline_code": None,
    "created_at": at(10),
    "updated_at": at(10),
}
TRANSACTIONS = [HELD, DECLINED, PAID]

BONUS: dict[str, Any] = {
    "bonus_id": "BN-100",
    "account_id": ACCOUNT,
    "status": "active",
    "name": "Welcome bonus",
    "amount": "20.00",
    "deposit": "20.00",
    "currency": "GBP",
    "wagering": {"multiplier": "5", "base": "bonus"},
    "activated_at": at(2.5),
    "expires_at": at(-20),
    "min_odds": "1.40",
}
BONUSES = [BONUS]


def write_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, records in (
        ("customers", [CUSTOMER]),
        ("bets", BETS),
        ("transactions", TRANSACTIONS),
        ("bonuses", BONUSES),
    ):
        lines = (json.dumps({k: v for k, v in r.items() if v is not None}) for r in records)
        (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def load_demo_tables(db: Database) -> None:
    with db.transaction() as session:
        session.execute(
            insert(DemoCustomer),
            [{"account_id": ACCOUNT, "jurisdiction": "GB", "language": "en", "record": CUSTOMER}],
        )
        session.execute(
            insert(DemoBet),
            [
                {
                    "bet_id": b["bet_id"],
                    "account_id": ACCOUNT,
                    "placed_at": dt.datetime.fromisoformat(b["placed_at"]),
                    "record": b,
                }
                for b in BETS
            ],
        )
        session.execute(
            insert(DemoTransaction),
            [
                {
                    "transaction_id": t["transaction_id"],
                    "account_id": ACCOUNT,
                    "created_at": dt.datetime.fromisoformat(t["created_at"]),
                    "record": {k: v for k, v in t.items() if v is not None},
                }
                for t in TRANSACTIONS
            ],
        )
        session.execute(
            insert(DemoBonus),
            [{"bonus_id": b["bonus_id"], "account_id": ACCOUNT, "record": b} for b in BONUSES],
        )


@dataclass
class PlatformServer:
    """The contract's endpoints over real HTTP, with a few bets that misbehave on purpose:
    ``slow`` answers after ``delay`` seconds, ``flaky`` fails with 500 ``fail_times`` times
    first, ``broken`` sends malformed JSON, ``down`` always answers 503."""

    url: str = ""
    delay: float = 1.0
    fail_times: int = 2
    refuse_with: int | None = None  # answer every request with this status (401, 403...)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)

    def items(self, path: str, query: dict[str, list[str]]) -> Any:
        since = query.get("since", [None])[0]
        parts = path.strip("/").split("/")
        if parts[0] == "customers" and len(parts) >= 2:
            if unquote(parts[1]) != ACCOUNT:
                return None
            if len(parts) == 2:
                return CUSTOMER
            records = {"bets": BETS, "transactions": TRANSACTIONS, "bonuses": BONUSES}.get(parts[2])
            if records is None:
                return None
            field_ = "placed_at" if parts[2] == "bets" else "created_at"
            return {
                "items": [
                    {k: v for k, v in r.items() if v is not None}
                    for r in records
                    if since is None or parts[2] == "bonuses" or r[field_] >= since
                ]
            }
        if parts[0] == "bets" and len(parts) == 2:
            return next((b for b in BETS if b["bet_id"] == unquote(parts[1])), None)
        return None


@contextmanager
def serve_platform(server: PlatformServer | None = None) -> Iterator[PlatformServer]:
    state = server or PlatformServer()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            state.requests.append((parts.path, parts.query, self.headers.get("Authorization")))
            if state.refuse_with is not None:
                self._send(state.refuse_with, b"{}")
                return
            name = parts.path.rsplit("/", 1)[-1]
            state.calls[name] = state.calls.get(name, 0) + 1
            if name == "slow":
                time.sleep(state.delay)
            if name == "down" or (name == "flaky" and state.calls[name] <= state.fail_times):
                self._send(503 if name == "down" else 500, b'{"error": "busy"}')
                return
            if name == "broken":
                self._send(200, b'{"bet_id": "broken", "legs": [')
                return
            if name == "flaky":
                self._send(200, json.dumps({**CORRECT, "bet_id": "flaky"}).encode())
                return
            answer = state.items(parts.path, parse_qs(parts.query))
            if answer is None:
                self._send(404, b'{"error": "not found"}')
            else:
                self._send(200, json.dumps(answer).encode())

        def _send(self, status: int, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (the timeout tests)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()

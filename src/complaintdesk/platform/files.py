"""The ``files`` adapter: the platform's records exported as JSON Lines into one folder.

``customers.jsonl``, ``bets.jsonl``, ``transactions.jsonl`` and ``bonuses.jsonl``, one JSON
object per line (blank lines are skipped). A file that is missing holds no records of its
kind; without ``customers.jsonl`` every account is taken to exist. Each file is read and
indexed once, and read again when it changes (size or modification time), so an
operator's nightly export is picked up without a restart. A line that is not JSON, or a
record that breaks the contract, makes the whole file unavailable until it is fixed:
answering from half a file could tell an agent a bet does not exist when it does.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from complaintdesk.platform.errors import PlatformUnavailable
from complaintdesk.platform.records import (
    Bet,
    Bonus,
    Customer,
    Transaction,
    parse_bet,
    parse_bonus,
    parse_customer,
    parse_transaction,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Loaded(Generic[T]):
    stamp: tuple[int, int] | None
    by_key: dict[str, T]
    by_account: dict[str, list[T]]


class _File(Generic[T]):
    """One JSON Lines file, parsed and indexed, reloaded when it changes on disk."""

    def __init__(
        self,
        path: Path,
        parse: Callable[[object], T],
        key: Callable[[T], str],
        account: Callable[[T], str | None],
    ) -> None:
        self.path = path
        self._parse = parse
        self._key = key
        self._account = account
        self._lock = threading.Lock()
        self._loaded: _Loaded[T] | None = None

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    def load(self) -> _Loaded[T]:
        stamp = self._stamp()
        with self._lock:
            if self._loaded is None or self._loaded.stamp != stamp:
                self._loaded = self._read(stamp)
            return self._loaded

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise PlatformUnavailable(f"cannot read {self.path.name}: {exc.strerror}") from None
        return (stat.st_mtime_ns, stat.st_size)

    def _read(self, stamp: tuple[int, int] | None) -> _Loaded[T]:
        by_key: dict[str, T] = {}
        by_account: dict[str, list[T]] = defaultdict(list)
        if stamp is None:
            return _Loaded(stamp, by_key, by_account)
        try:
            with self.path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    if not line.strip():
                        continue
                    record = self._record(line, number)
                    by_key[self._key(record)] = record
                    owner = self._account(record)
                    if owner is not None:
                        by_account[owner].append(record)
        except OSError as exc:
            raise PlatformUnavailable(f"cannot read {self.path.name}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise PlatformUnavailable(f"{self.path.name} is not UTF-8 text") from None
        return _Loaded(stamp, by_key, dict(by_account))

    def _record(self, line: str, number: int) -> T:
        try:
            raw: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            raise PlatformUnavailable(
                f"{self.path.name} line {number} is not JSON ({exc.msg})"
            ) from None
        try:
            return self._parse(raw)
        except PlatformUnavailable as exc:
            raise PlatformUnavailable(f"{self.path.name} line {number}: {exc.message}") from None


class FilesPlatform:
    """The platform's records from a folder of JSON Lines files."""

    name = "files"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._customers = _File(
            folder / "customers.jsonl", parse_customer, lambda c: c.account_id, lambda c: None
        )
        self._bets = _File(folder / "bets.jsonl", parse_bet, lambda b: b.bet_id, _bet_owner)
        self._transactions = _File(
            folder / "transactions.jsonl",
            parse_transaction,
            lambda t: t.transaction_id,
            lambda t: t.account_id,
        )
        self._bonuses = _File(
            folder / "bonuses.jsonl", parse_bonus, lambda b: b.bonus_id, _bonus_owner
        )

    def _check_folder(self) -> None:
        if not self.folder.is_dir():
            raise PlatformUnavailable(f"the platform's export folder {self.folder} is missing")

    def _known(self, account_id: str) -> bool:
        if not self._customers.exists:
            return True
        return account_id in self._customers.load().by_key

    def get_customer(self, account_id: str) -> Customer | None:
        self._check_folder()
        return self._customers.load().by_key.get(account_id)

    def get_bet(self, bet_id: str) -> Bet | None:
        self._check_folder()
        return self._bets.load().by_key.get(bet_id)

    def customer_bets(self, account_id: str, *, since: dt.datetime | None) -> list[Bet] | None:
        self._check_folder()
        if not self._known(account_id):
            return None
        bets = self._bets.load().by_account.get(account_id, [])
        return sorted(
            (b for b in bets if since is None or b.placed_at >= since), key=lambda b: b.placed_at
        )

    def customer_transactions(
        self, account_id: str, *, since: dt.datetime | None
    ) -> list[Transaction] | None:
        self._check_folder()
        if not self._known(account_id):
            return None
        items = self._transactions.load().by_account.get(account_id, [])
        return sorted(
            (t for t in items if since is None or t.created_at >= since),
            key=lambda t: t.created_at,
            reverse=True,
        )

    def customer_bonuses(self, account_id: str) -> list[Bonus] | None:
        self._check_folder()
        if not self._known(account_id):
            return None
        return list(self._bonuses.load().by_account.get(account_id, []))


def _bet_owner(bet: Bet) -> str:
    return bet.account_id


def _bonus_owner(bonus: Bonus) -> str | None:
    return bonus.account_id

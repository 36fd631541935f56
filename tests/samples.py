"""Sample requests a bettor or an operator would send."""

from __future__ import annotations

from typing import Any

COMPLAINT: dict[str, Any] = {
    "subject": "Bet settled as lost but my team won",
    "description": "Coupon 778812: Arsenal to win, they won 2-1 but the bet shows lost.",
    "customer": {"email": "bettor@example.com", "name": "Ivan Petrov", "account_id": "AC-1001"},
    "category": "bet_settlement",
    "language": "en",
    "jurisdiction": "GB",
    "bet_ids": ["778812"],
}

"""Bet and payment ids found in a complaint's own words, in English and Russian.

Customers write "coupon 778812", "bet ID 12345678", "купон №778812", "ставка 445566",
"номер ставки 12345678" or "withdrawal TX-884512". The built-in patterns find an id
right after such a word (and an optional "ID", "No.", "number", "№", "#" or colon); an
operator whose ids look different replaces them with its own (settings
``BET_ID_PATTERNS`` and ``TRANSACTION_ID_PATTERNS``, each with a group named ``id``).

An id must have at least five digits, and a number followed by a currency ("ставка 10000
рублей", "withdrawal 25000 EUR") is an amount, not an id. A wrong guess costs little: the
check says the platform has no such record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

# An operator's id: up to four letters and a dash, then digits (dashes allowed inside).
_ID = r"(?P<id>[A-Za-z]{0,4}-?\d(?:-?\d){4,24})"
_MARK = r"\s*(?:id|no\.?|nr\.?|number|ref(?:erence)?|номер|№|#|n)?\s*[:#№.-]?\s*"
_NOT_AMOUNT = (
    r"(?![\w-])(?!\s*(?:руб|р\.|₽|rub|usd|eur|gbp|cad|kzt|£|\$|€|pounds?|euros?|dollars?"
    r"|долл|евро|фунт|тенге|тыс|k\b))"
)

BET_PATTERNS: tuple[str, ...] = (
    # bet ID 12345678, coupon #778812, bet slip no. B-99812, ticket: 445566
    r"\b(?:bet\s*slip|betslip|bet|coupon|ticket|slip|wager)s?" + _MARK + _ID + _NOT_AMOUNT,
    # ID of my bet 12345678, number of the coupon: 778812
    r"\b(?:id|number|no\.?)\s+(?:of\s+)?(?:the\s+|my\s+)?(?:bet|coupon|ticket|slip)"
    + _MARK
    + _ID
    + _NOT_AMOUNT,
    # ставка 445566, купон №778812, по купону 778812, пари № 12345, билет 123456
    r"(?<![\w])(?:ставк\w*|купон\w*|пари|билет\w*|экспресс\w*|фрибет\w*)"
    + _MARK
    + _ID
    + _NOT_AMOUNT,
    # номер ставки 12345678, ID купона: 778812, № пари 12345
    r"(?<![\w])(?:номер|id|№)\s*(?:моей\s+|этой\s+)?(?:ставки|купона|пари|билета|экспресса)"
    + _MARK
    + _ID
    + _NOT_AMOUNT,
)

TRANSACTION_PATTERNS: tuple[str, ...] = (
    # transaction TX-884512, payment ID 5512345, withdrawal no. 9918273
    r"\b(?:transaction|payment|deposit|withdrawal|payout|txn|tx|transfer)s?"
    + _MARK
    + _ID
    + _NOT_AMOUNT,
    # платёж №5512345, транзакция TX-884512, вывод № 9918273, номер транзакции 5512345
    r"(?<![\w])(?:транзакци\w*|платеж\w*|платёж\w*|депозит\w*|вывод\w*|выплат\w*|перевод\w*)"
    + _MARK
    + _ID
    + _NOT_AMOUNT,
    r"(?<![\w])(?:номер|id|№)\s*(?:транзакции|платежа|платёжа|вывода|депозита|выплаты)"
    + _MARK
    + _ID
    + _NOT_AMOUNT,
)

# More than this many ids in one complaint is a pasted statement, not a complaint about
# particular bets; the customer's first ones are checked.
MAX_IDS = 20


# Every id has a run of five digits; text without one is skipped at once. Around each run the
# patterns look at a window this wide on either side (a keyword and its "No." are shorter).
_DIGITS = re.compile(r"\d(?:-?\d){4}")
_BEFORE, _AFTER = 60, 40


@dataclass(frozen=True, slots=True)
class Finder:
    """Finds ids with a set of patterns; built once, compiled once.

    Intake runs it on every complaint, so the patterns only read windows around runs of
    digits: most text has none, and none of it needs the keyword alternations tried at
    every position.
    """

    patterns: tuple[re.Pattern[str], ...]

    def find(self, *texts: str) -> list[str]:
        found: dict[str, None] = {}
        for text in texts:
            for window in _windows(text):
                for pattern in self.patterns:
                    for match in pattern.finditer(window):
                        found.setdefault(_clean(match.group("id")), None)
        # "TX-884512" can also be read as the word "tx" and the id "884512": keep the whole.
        whole = [i for i in found if not any(o != i and o.endswith(i) for o in found)]
        return whole[:MAX_IDS]


@cache
def _finder(patterns: tuple[str, ...]) -> Finder:
    return Finder(tuple(re.compile(p, re.IGNORECASE | re.UNICODE) for p in patterns))


def bet_finder(patterns: Sequence[str] | None = None) -> Finder:
    return _finder(tuple(patterns) if patterns else BET_PATTERNS)


def transaction_finder(patterns: Sequence[str] | None = None) -> Finder:
    return _finder(tuple(patterns) if patterns else TRANSACTION_PATTERNS)


def unique(ids: Iterable[str]) -> list[str]:
    """Ids in first-seen order, each once, blanks dropped."""
    return [i for i in dict.fromkeys(i.strip() for i in ids) if i][:MAX_IDS]


def _windows(text: str) -> list[str]:
    """The stretches of ``text`` around its runs of digits, overlapping ones merged, each
    widened to whole words."""
    spans: list[list[int]] = []
    for match in _DIGITS.finditer(text):
        start = max(0, match.start() - _BEFORE)
        end = min(len(text), match.end() + _AFTER)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    windows = []
    for first, last in spans:
        start, end = first, last
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        windows.append(text[start:end])
    return windows


def _clean(value: str) -> str:
    return value.strip("-").upper() if value[:1].isalpha() else value.strip("-")

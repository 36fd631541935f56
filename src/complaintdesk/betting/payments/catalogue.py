"""The catalogue of payment reasons: what a decline, hold or delay means and who owns it.

The built-in catalogue is ``reasons.json`` in this package. An operator extends it with
files of the same shape (every top-level key optional), passed to :func:`load_catalogue`;
later files win. Merging is key by key: an entry under ``reasons`` replaces the built-in
entry of the same key whole; ``providers``, ``methods`` and ``statuses`` are merged per
name; ``default_review_days`` and each of the two ``neutral_messages`` are replaced.

File format::

    {
      "default_review_days": 5,
      "providers": {"visa": ["iso8583", "3ds"], "acmepay": ["acmepay", "iso8583"]},
      "methods": {"card": ["iso8583", "3ds"]},
      "statuses": {"processing": "status:pending"},
      "neutral_messages": {"review": {...}, "unknown": {...}},
      "reasons": {
        "acmepay:R17": {
          "category": "issuer_decline", "team": "payments", "customer_visible": true,
          "customer_message": {"en": "...", "ru": "..."},
          "next_step": {"en": "...", "ru": "..."},
          "internal_note": {"en": "...", "ru": "..."}
        }
      }
    }

Keys are ``scope:code``. Invariants enforced when loading, so that no file can break them:

- every text exists in every language and is not empty;
- an internal reason (``customer_visible: false``) has no customer text at all: the
  customer only ever gets the neutral routine-review message, with a date;
- no customer-facing text contains a word that hints at a fraud, money-laundering,
  sanctions or similar check (tipping off a customer is an offence in most regimes);
- an operator file cannot make a built-in internal reason customer-visible.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.payments.transaction import Transaction
from complaintdesk.betting.wagering.terms import check_fields
from complaintdesk.betting.wagering.wording import LANGUAGES

TEAMS = frozenset(
    {
        "payments",
        "verification",
        "compliance",
        "risk",
        "responsible_gambling",
        "promotions",
    }
)
CATEGORIES = frozenset(
    {
        "issuer_decline",
        "scheme",
        "acquirer",
        "ewallet",
        "bank_transfer",
        "operator_hold",
        "compliance",
        "risk",
        "processing",
    }
)
KINDS = ("deposit", "withdrawal")

# Stems that must never reach a customer: each would tell them which check is running.
# Matched case-insensitively anywhere in a word ("fraudulent", "мошенничество").
TIPPING_OFF = re.compile(
    r"fraud|launder|suspic|suspect|sanction|terroris|politically exposed|stolen|\baml\b|\bpep\b"
    r"|мошен|отмыв|подозр|санкц|террор|фрод|украд|\bпод/фт\b|\bпдл\b",
    re.IGNORECASE,
)

_ENTRY_FIELDS = (
    {"category", "team", "customer_visible", "internal_note"},
    {"customer_message", "next_step", "review_days"},
)
_FILE_FIELDS = {
    "default_review_days",
    "providers",
    "methods",
    "statuses",
    "neutral_messages",
    "reasons",
}
_TEMPLATE_FIELDS = {"amount", "date"}

Texts = Mapping[str, str]


@dataclass(frozen=True)
class Reason:
    """One catalogue entry. ``customer_message`` and ``next_step`` are ``None`` exactly when
    the reason is internal (``customer_visible`` false)."""

    key: str
    category: str
    team: str
    customer_visible: bool
    internal_note: Texts
    customer_message: Texts | None = None
    next_step: Texts | None = None
    review_days: int | None = None


@dataclass(frozen=True)
class NeutralMessage:
    """A message that says nothing of the reason: one text per kind, with ``{amount}`` and
    ``{date}``, and the next step."""

    deposit: Texts
    withdrawal: Texts
    next_step: Texts

    def for_kind(self, kind: str) -> Texts:
        return self.deposit if kind == "deposit" else self.withdrawal


@dataclass(frozen=True)
class Catalogue:
    """The merged catalogue. Look-ups are case-insensitive; keys keep their spelling."""

    reasons: Mapping[str, Reason]
    providers: Mapping[str, tuple[str, ...]]
    methods: Mapping[str, tuple[str, ...]]
    statuses: Mapping[str, str]
    default_review_days: int
    review: NeutralMessage
    unknown: NeutralMessage

    @cached_property
    def _index(self) -> Mapping[str, Reason]:
        return {key.casefold(): reason for key, reason in self.reasons.items()}

    def __len__(self) -> int:
        return len(self.reasons)

    def get(self, key: str) -> Reason | None:
        """The entry for ``scope:code``, ignoring case (``sepa:ac04`` finds ``sepa:AC04``)."""
        return self._index.get(key.casefold())

    def lookup(self, transaction: Transaction) -> tuple[str, Reason | None]:
        """The key that explains ``transaction`` and its entry (``None`` when unknown).

        Lookup order:

        1. ``reason_code`` (the operator's own hold) decides alone when present: it is
           what actually stops the payment, and an internal hold must never be masked by
           a provider's customer-visible message. It is looked up as ``operator:CODE``
           (or as given, when it already has a scope).
        2. ``decline_code`` given with a scope (``3ds:failed``, ``sepa:AC04``): as given.
        3. ``decline_code`` alone: ``PROVIDER:CODE``, then each scope of the provider
           (``visa`` → ``iso8583``, ``3ds``), then each scope of the method (``card`` →
           ``iso8583``...), then ``operator:CODE``. One-digit card codes also try their
           two-digit form (5 → 05).
        4. No code: the status (``pending``, ``completed``...) through ``statuses``.

        An unknown code yields the most specific key it could be added under, so that an
        operator can copy it into their extension file.
        """
        if transaction.reason_code is not None:
            key = _scoped(transaction.reason_code, "operator")
            return key, self.get(key)
        code = transaction.decline_code
        if code is None:
            status = transaction.status.casefold()
            key = self.statuses.get(status, f"status:{status}")
            return key, self.get(key)
        if ":" in code:
            return code, self.get(code)
        scopes = (*self.scopes(transaction.provider, transaction.method), "operator")
        variants = (code, code.zfill(2)) if code.isdigit() else (code,)
        for scope in scopes:
            for variant in dict.fromkeys(variants):
                reason = self.get(f"{scope}:{variant}")
                if reason is not None:
                    return reason.key, reason
        return f"{scopes[0]}:{code}", None

    def scopes(self, provider: str, method: str) -> tuple[str, ...]:
        """Scopes to try for a provider's code: the provider's own name first (an operator
        may add codes peculiar to it), then its scopes, then the method's, without repeats."""
        ordered = [provider.casefold()]
        ordered += self.providers.get(provider.casefold(), ())
        ordered += self.methods.get(method.casefold(), ())
        return tuple(dict.fromkeys(ordered))


def load_catalogue(*extra_paths: str | Path) -> Catalogue:
    """The built-in catalogue with the operator's files merged over it, in order.

    Raises :class:`InvalidInput` naming the file and the key for a file that cannot be
    read, is not JSON, or breaks the format or the invariants above.
    """
    builtin = resources.files("complaintdesk.betting.payments").joinpath("reasons.json")
    merged = _parse(builtin.read_text(encoding="utf-8"), "reasons.json")
    _check(merged, "reasons.json", complete=True)
    _check_statuses(merged, "reasons.json")
    internal = {key for key, entry in merged["reasons"].items() if not entry["customer_visible"]}
    for path in extra_paths:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise InvalidInput("catalogue", f"{source} cannot be read: {error.strerror}") from None
        extra = _parse(text, source)
        _check(extra, source, complete=False)
        for key, entry in extra.get("reasons", {}).items():
            if key in internal and entry["customer_visible"]:
                raise InvalidInput(
                    f"reasons.{key}.customer_visible",
                    f"in {source}: {key} is internal in the built-in catalogue and an "
                    "override cannot show it to customers",
                )
        for name in ("reasons", "providers", "methods", "statuses"):
            merged[name] = {**merged[name], **extra.get(name, {})}
        merged["default_review_days"] = extra.get(
            "default_review_days", merged["default_review_days"]
        )
        merged["neutral_messages"] = {
            **merged["neutral_messages"],
            **extra.get("neutral_messages", {}),
        }
        _check_statuses(merged, source)
    return _build(merged)


def _check_statuses(merged: Mapping[str, Any], source: str) -> None:
    """Every status must lead to an entry, once the file's own entries are merged in."""
    known = {key.casefold() for key in merged["reasons"]}
    for name, key in merged["statuses"].items():
        if key.casefold() not in known:
            raise InvalidInput(
                f"statuses.{name}", f"in {source}: names {key}, which is not in the catalogue"
            )


def _scoped(code: str, scope: str) -> str:
    return code if ":" in code else f"{scope}:{code}"


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            "catalogue",
            f"{source} is not valid JSON (line {error.lineno}, column {error.colno})",
        ) from None
    if not isinstance(data, dict):
        raise InvalidInput("catalogue", f"{source} must hold a JSON object")
    return data


def _check(data: Mapping[str, Any], source: str, *, complete: bool) -> None:
    """Validate one file; ``complete`` requires every section (the built-in file)."""

    def fail(where: str, message: str) -> InvalidInput:
        return InvalidInput(where, f"in {source}: {message}")

    try:
        check_fields(
            data,
            "",
            _FILE_FIELDS if complete else set(),
            set() if complete else _FILE_FIELDS,
            root="catalogue",
        )
    except InvalidInput as error:
        raise fail(error.field, error.message) from None

    days = data.get("default_review_days", 1)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise fail("default_review_days", "must be a whole number of days, at least 1")
    for section in ("providers", "methods"):
        for name, scopes in _mapping(data.get(section, {}), section, fail).items():
            if (
                not isinstance(scopes, list)
                or not scopes
                or not all(isinstance(scope, str) and scope for scope in scopes)
            ):
                raise fail(f"{section}.{name}", "must be a non-empty list of scopes")
    for name, key in _mapping(data.get("statuses", {}), "statuses", fail).items():
        if not isinstance(key, str) or ":" not in key:
            raise fail(f"statuses.{name}", "must be a catalogue key such as status:pending")

    messages = _mapping(data.get("neutral_messages", {}), "neutral_messages", fail)
    for name in ("review", "unknown") if complete else tuple(messages):
        if name not in ("review", "unknown"):
            raise fail(f"neutral_messages.{name}", "is not a known message (review, unknown)")
        where = f"neutral_messages.{name}"
        message = messages.get(name)
        if not isinstance(message, Mapping) or set(message) != {*KINDS, "next_step"}:
            raise fail(where, "must have deposit, withdrawal and next_step texts")
        for kind in KINDS:
            for language, text in _texts(message[kind], f"{where}.{kind}", fail).items():
                _check_template(text, f"{where}.{kind}.{language}", fail)
        _customer_texts(message["next_step"], f"{where}.next_step", fail)

    for key, entry in _mapping(data.get("reasons", {}), "reasons", fail).items():
        _check_entry(key, entry, fail)


def _check_entry(key: str, entry: object, fail: Any) -> None:
    where = f"reasons.{key}"
    if key.count(":") != 1 or not all(key.split(":")):
        raise fail(where, "keys are scope:code, e.g. iso8583:05")
    try:
        fields = check_fields(entry, where, *_ENTRY_FIELDS, root=where)
    except InvalidInput as error:
        raise fail(error.field, error.message) from None
    if fields["team"] not in TEAMS:
        raise fail(f"{where}.team", f"must be one of {', '.join(sorted(TEAMS))}")
    if fields["category"] not in CATEGORIES:
        raise fail(f"{where}.category", f"must be one of {', '.join(sorted(CATEGORIES))}")
    visible = fields["customer_visible"]
    if not isinstance(visible, bool):
        raise fail(f"{where}.customer_visible", "must be true or false")
    _texts(fields["internal_note"], f"{where}.internal_note", fail)
    for name in ("customer_message", "next_step"):
        if visible:
            if fields.get(name) is None:
                raise fail(f"{where}.{name}", "is required for a reason shown to customers")
            _customer_texts(fields[name], f"{where}.{name}", fail)
        elif name in fields:
            raise fail(
                f"{where}.{name}",
                "an internal reason has no customer text: customers get the neutral "
                "routine-review message",
            )
    days = fields.get("review_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise fail(f"{where}.review_days", "must be a whole number of days, at least 1")


def _mapping(value: object, where: str, fail: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise fail(where, "must be an object")
    return value


def _texts(value: object, where: str, fail: Any) -> Texts:
    """One non-empty text per language, and no other key."""
    if not isinstance(value, Mapping) or set(value) != set(LANGUAGES):
        raise fail(where, f"must have exactly the languages {', '.join(LANGUAGES)}")
    for language in LANGUAGES:
        text = value[language]
        if not isinstance(text, str) or not text.strip():
            raise fail(f"{where}.{language}", "must be a non-empty text")
    return value


def _customer_texts(value: object, where: str, fail: Any) -> Texts:
    texts = _texts(value, where, fail)
    for language, text in texts.items():
        hint = TIPPING_OFF.search(text)
        if hint:
            raise fail(
                f"{where}.{language}",
                f"customer text must not hint at the checks behind it ({hint.group(0)!r})",
            )
    return texts


def _check_template(text: str, where: str, fail: Any) -> None:
    if TIPPING_OFF.search(text):
        raise fail(where, "customer text must not hint at the checks behind it")
    if where.endswith(".ru") and text.rstrip().endswith("{date}."):
        # A Russian date already ends with "г.": "до 5 декабря 2026 г.." would follow.
        raise fail(where, "must not end a sentence with the {date}; put the date earlier")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise fail(where, "has an unbalanced { or }") from None
    if not names <= _TEMPLATE_FIELDS or "date" not in names:
        raise fail(where, "may use only {amount} and {date}, and must give the {date}")


def _build(data: Mapping[str, Any]) -> Catalogue:
    def neutral(message: Mapping[str, Any]) -> NeutralMessage:
        return NeutralMessage(
            deposit=message["deposit"],
            withdrawal=message["withdrawal"],
            next_step=message["next_step"],
        )

    # Read-only views: the built-in catalogue is shared by every call of explain().
    return Catalogue(
        reasons=MappingProxyType(
            {
                key: Reason(
                    key=key,
                    category=entry["category"],
                    team=entry["team"],
                    customer_visible=entry["customer_visible"],
                    internal_note=entry["internal_note"],
                    customer_message=entry.get("customer_message"),
                    next_step=entry.get("next_step"),
                    review_days=entry.get("review_days"),
                )
                for key, entry in data["reasons"].items()
            }
        ),
        providers=MappingProxyType(
            {
                name.casefold(): tuple(scope.casefold() for scope in scopes)
                for name, scopes in data["providers"].items()
            }
        ),
        methods=MappingProxyType(
            {
                name.casefold(): tuple(scope.casefold() for scope in scopes)
                for name, scopes in data["methods"].items()
            }
        ),
        statuses=MappingProxyType({name.casefold(): key for name, key in data["statuses"].items()}),
        default_review_days=data["default_review_days"],
        review=neutral(data["neutral_messages"]["review"]),
        unknown=neutral(data["neutral_messages"]["unknown"]),
    )

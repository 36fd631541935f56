"""What a check's state says to the agent, in English and Russian.

The engines' explanations are written in the case's language already; these are the few
sentences about the check itself (waiting, not found, platform unavailable).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

Texts = dict[str, str]


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def pending() -> Texts:
    return {"en": "Waiting to be checked.", "ru": "Ожидает проверки."}


def unavailable(next_attempt: dt.datetime | None) -> Texts:
    if next_attempt is None:
        return {
            "en": "Platform unavailable; the desk has stopped retrying. Re-run the check "
            "once the platform is back.",
            "ru": "Платформа оператора недоступна; автоматические попытки прекращены. "
            "Запустите проверку снова, когда платформа заработает.",
        }
    return {
        "en": f"Platform unavailable, retrying at {_when(next_attempt)}.",
        "ru": f"Платформа оператора недоступна, повторная попытка в {_when(next_attempt)}.",
    }


def no_bet(bet_id: str) -> Texts:
    return {
        "en": f"The platform has no bet {bet_id}.",
        "ru": f"На платформе нет ставки {bet_id}.",
    }


def no_customer(account_id: str | None) -> Texts:
    return {
        "en": f"The platform has no customer with account {account_id}.",
        "ru": f"На платформе нет клиента со счётом {account_id}.",
    }


def no_bonus(account_id: str, bonus_id: str) -> Texts:
    return {
        "en": f"The platform has no bonus {bonus_id} for account {account_id}.",
        "ru": f"У счёта {account_id} нет бонуса {bonus_id}.",
    }


def no_recent_bonus(account_id: str, days: int) -> Texts:
    return {
        "en": f"Account {account_id} had no bonus in the {days} days before the complaint.",
        "ru": f"У счёта {account_id} не было бонусов за {days} дн. до жалобы.",
    }


def no_payment(account_id: str, transaction_id: str, since: dt.date) -> Texts:
    return {
        "en": f"Account {account_id} has no payment {transaction_id} since {since.isoformat()}.",
        "ru": f"У счёта {account_id} нет платежа {transaction_id} с {since.isoformat()}.",
    }


def no_recent_payment(account_id: str, days: int) -> Texts:
    return {
        "en": f"Account {account_id} made no deposit or withdrawal in the {days} days before "
        "the complaint.",
        "ru": f"По счёту {account_id} не было пополнений и выводов за {days} дн. до жалобы.",
    }


def open_bet(bet_id: str | None) -> Texts:
    return {
        "en": f"Bet {bet_id} is not settled yet: there is nothing to verify until it is.",
        "ru": f"Ставка {bet_id} ещё не рассчитана: проверять пока нечего.",
    }


def invalid(detail: str) -> Texts:
    return {
        "en": f"The record could not be checked: {detail}",
        "ru": f"Запись не удалось проверить: {detail}",
    }


def missing_evidence() -> Texts:
    return invalid("the attached record is missing")


def in_language(texts: Mapping[str, str], language: str) -> str:
    return texts.get(language) or texts["en"]

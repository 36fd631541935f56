"""Complaints about bonuses and payments, with the bonus terms, bets and transactions
behind them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from complaintdesk.complaints.models import Category
from complaintdesk.demo.bets import money, pay_correctly
from complaintdesk.demo.operator import Customer, Operator
from complaintdesk.demo.scripts.common import (
    D,
    H,
    Script,
    amount_in,
    say,
    slip_of,
)

# --- bonuses --------------------------------------------------------------------------


def _bonus_bets(
    op: Operator, c: Customer, start: dt.datetime, prices: list[tuple[str, str]]
) -> None:
    for number, (price, result) in enumerate(prices):
        leg = op.bets.football_leg("decimal")
        leg.update(odds=price, result=result)
        placed = start + dt.timedelta(hours=6 + 9 * number)
        slip_of(op, c, [leg], ago=op.now - placed, stake="20.00")
        op.book.bets[-1]["paid_return"] = money(
            Decimal("20") * Decimal(price) if result == "won" else 0
        )


def wagering_low_odds(op: Operator, c: Customer) -> Script:
    start = op.now - 12 * D
    _bonus_bets(
        op,
        c,
        start,
        [("1.90", "won"), ("1.30", "won"), ("1.25", "lost"), ("2.10", "lost"), ("1.40", "won")],
    )
    bonus = op.bonus(c, start, deposit=100, multiplier="5", min_odds="1.50")
    return Script(
        c,
        Category.bonus_terms,
        say(
            c,
            "Can't withdraw: wagering says not complete",
            "Не могу вывести: отыгрыш бонуса не завершён",
        ),
        say(
            c,
            f"I have bet far more than my {amount_in(c, bonus['amount'])} bonus but it still "
            "says the "
            "wagering is not complete.",
            f"Я поставил гораздо больше, чем бонус {amount_in(c, bonus['amount'])}, а отыгрыш "
            "всё ещё "
            "не завершён.",
        ),
        say(
            c,
            "bets at odds below 1.50 do not count towards the wagering",
            "ставки с коэффициентом ниже 1.50 в отыгрыш не засчитываются",
        ),
    )


def bonus_expired(op: Operator, c: Customer) -> Script:
    start = op.now - 40 * D
    _bonus_bets(op, c, start, [("2.00", "won"), ("1.80", "lost")])
    op.bonus(c, start, deposit=50, multiplier="8", days=14)
    return Script(
        c,
        Category.bonus_terms,
        say(c, "My bonus disappeared", "Бонус пропал со счёта"),
        say(
            c,
            "My welcome bonus vanished from the account without warning.",
            "Приветственный бонус исчез со счёта без предупреждения.",
        ),
        say(
            c,
            "the bonus expired after 14 days with the wagering unfinished",
            "срок бонуса (14 дней) истёк, отыгрыш не был завершён",
        ),
    )


def excluded_market(op: Operator, c: Customer) -> Script:
    start = op.now - 8 * D
    for number in range(4):
        leg = op.bets.asian_leg()
        placed = start + dt.timedelta(hours=5 + 12 * number)
        pay_correctly(slip_of(op, c, [leg], ago=op.now - placed, stake="25.00"))
    op.bonus(
        c, start, deposit=100, multiplier="3", excluded_markets=["Asian handicap", "Asian total"]
    )
    return Script(
        c,
        Category.bonus_terms,
        say(c, "Bets not counted towards my bonus", "Ставки не засчитаны в отыгрыш бонуса"),
        say(
            c,
            "None of my last bets counted towards the bonus wagering. They were normal bets.",
            "Ни одна из последних ставок не засчиталась в отыгрыш бонуса, хотя это обычные ставки.",
        ),
        say(
            c,
            "Asian handicap and Asian total markets are excluded by the bonus terms",
            "рынки азиатских фор и тоталов исключены условиями бонуса",
        ),
    )


def conversion_capped(op: Operator, c: Customer) -> Script:
    start = op.now - 10 * D
    _bonus_bets(op, c, start, [("2.00", "won")] * 6)
    op.bonus(c, start, deposit=50, multiplier="3", max_conversion="100.00")
    return Script(
        c,
        Category.bonus_terms,
        say(c, "Bonus winnings cut after wagering", "После отыгрыша урезали бонусный выигрыш"),
        say(
            c,
            "I completed the wagering but only part of my bonus balance became cash.",
            "Я отыграл бонус, но в реальные деньги перевели только часть бонусного баланса.",
        ),
        say(
            c,
            "the terms convert at most 100.00 of bonus winnings",
            "по условиям в реальные деньги переводится не более 100.00",
        ),
    )


# --- payments -------------------------------------------------------------------------


def _card(c: Customer) -> tuple[str, str]:
    return ("debit_card" if c.jurisdiction == "GB" else "card", "visa")


def deposit_declined(op: Operator, c: Customer) -> Script:
    tx = op.payment(
        c,
        "deposit",
        op.now - 5 * H,
        status="declined",
        decline_code="51",
        method=_card(c),
        amount="100.00",
    )
    return Script(
        c,
        Category.deposit_withdrawal,
        say(c, "Deposit keeps failing", "Не проходит пополнение"),
        say(
            c,
            f"My card deposit of {amount_in(c, tx['amount'])} was declined twice. The card "
            "works everywhere else.",
            f"Пополнение картой на {amount_in(c, tx['amount'])} дважды отклонили. "
            "Карта везде работает.",
        ),
        say(
            c,
            "the card issuer declined the payment for insufficient funds",
            "банк-эмитент отклонил платёж из-за недостатка средств",
        ),
    )


def withdrawal_kyc(op: Operator, c: Customer) -> Script:
    tx = op.payment(
        c,
        "withdrawal",
        op.now - 3 * D,
        status="pending",
        reason_code="kyc_documents_missing",
        amount="350.00",
    )
    return Script(
        c,
        Category.deposit_withdrawal,
        say(c, "Withdrawal pending for three days", "Вывод средств висит три дня"),
        say(
            c,
            f"Withdrawal {tx['transaction_id']} has been pending since Monday.",
            f"Вывод {tx['transaction_id']} в статусе «в обработке» с понедельника.",
        ),
        say(
            c,
            "the withdrawal waits for proof of identity and address",
            "вывод ожидает документов, подтверждающих личность и адрес",
        ),
    )


def withdrawal_returned(op: Operator, c: Customer) -> Script:
    method = ("sepa", "sepa") if c.currency == "EUR" else ("bank_transfer", "swift")
    code = "AC04" if method[1] == "sepa" else "account_closed"
    tx = op.payment(
        c,
        "withdrawal",
        op.now - 6 * D,
        status="failed",
        decline_code=code,
        method=method,
        amount="820.00",
    )
    return Script(
        c,
        Category.deposit_withdrawal,
        say(c, "Withdrawal never arrived", "Деньги не пришли на счёт"),
        say(
            c,
            f"I withdrew {amount_in(c, tx['amount'])} to my bank a week ago (transaction "
            f"{tx['transaction_id']}) and it has not arrived.",
            f"Неделю назад вывел {amount_in(c, tx['amount'])} на банковский счёт (платёж "
            f"№{tx['transaction_id']}), деньги так и не пришли.",
        ),
        say(
            c,
            "the bank returned the transfer: the receiving account is closed",
            "банк вернул перевод: счёт получателя закрыт",
        ),
        compensation=None,
    )


def ewallet_unverified(op: Operator, c: Customer) -> Script:
    op.payment(
        c,
        "withdrawal",
        op.now - 20 * H,
        status="declined",
        decline_code="account_not_verified",
        method=("ewallet", "skrill"),
    )
    return Script(
        c,
        Category.deposit_withdrawal,
        say(c, "Withdrawal to Skrill rejected", "Вывод на Skrill отклонён"),
        say(
            c,
            "My withdrawal to Skrill was rejected and I don't know why.",
            "Вывод на Skrill отклонили, причину не объяснили.",
        ),
        say(
            c,
            "the Skrill account needs to be verified with Skrill first",
            "кошелёк Skrill нужно сначала верифицировать в самом Skrill",
        ),
    )


def unknown_provider_code(op: Operator, c: Customer) -> Script:
    op.payment(
        c,
        "deposit",
        op.now - 9 * H,
        status="declined",
        decline_code="E102",
        method=("bank_transfer", "interac"),
    )
    return Script(
        c,
        Category.deposit_withdrawal,
        say(c, "Bank deposit declined with an error", "Банковский перевод отклонён с ошибкой"),
        say(
            c,
            "My bank deposit was declined with error E102.",
            "Пополнение банковским переводом отклонено с ошибкой E102.",
        ),
        say(
            c,
            "the payments team confirmed the provider's error and the deposit can be retried",
            "платёжный отдел выяснил ошибку провайдера, пополнение можно повторить",
        ),
    )


def withdrawal_review(op: Operator, c: Customer) -> Script:
    tx = op.payment(
        c,
        "withdrawal",
        op.now - 4 * D,
        status="pending",
        reason_code="aml_review",
        amount="2400.00",
    )
    return Script(
        c,
        Category.payout_refusal,
        say(c, "Big win not paid out", "Крупный выигрыш не выплачивают"),
        say(
            c,
            f"I won and asked to withdraw {amount_in(c, tx['amount'])}; it has been on hold "
            "for days.",
            f"Я выиграл и заказал вывод {amount_in(c, tx['amount'])}; заявка удерживается "
            "уже несколько дней.",
        ),
        say(
            c,
            "the withdrawal is in a routine review, completed within the stated time",
            "вывод проходит плановую проверку, она завершится в указанный срок",
        ),
    )


def withdrawal_wagering(op: Operator, c: Customer) -> Script:
    op.payment(
        c,
        "withdrawal",
        op.now - 30 * H,
        status="declined",
        reason_code="bonus_wagering_incomplete",
        amount="150.00",
    )
    return Script(
        c,
        Category.payout_refusal,
        say(c, "Payout refused because of a bonus", "Отказ в выплате из-за бонуса"),
        say(
            c,
            "You refused my withdrawal saying a bonus is not wagered. I never asked for a bonus.",
            "Мне отказали в выводе, сославшись на неотыгранный бонус. Я бонус не запрашивал.",
        ),
        say(
            c,
            "the bonus was taken with the first deposit, and its terms hold withdrawals "
            "until it is wagered",
            "бонус был получен с первым депозитом, и по его условиям вывод недоступен до отыгрыша",
        ),
    )


def source_of_funds(op: Operator, c: Customer) -> Script:
    op.payment(
        c,
        "withdrawal",
        op.now - 2 * D,
        status="pending",
        reason_code="source_of_funds",
        amount="5000.00",
    )
    return Script(
        c,
        Category.payout_refusal,
        say(
            c,
            "Asked for bank statements to get my winnings",
            "Требуют выписки, чтобы выплатить выигрыш",
        ),
        say(
            c,
            "To pay my winnings you want three months of bank statements. Why?",
            "Для выплаты выигрыша требуют выписки из банка за три месяца. Зачем?",
        ),
        say(
            c,
            "the licence requires the check for withdrawals of this size",
            "лицензия требует такой проверки для выводов такого размера",
        ),
    )

"""Complaints about accounts, safer gambling and everything else."""

from __future__ import annotations

from complaintdesk.complaints.models import Category
from complaintdesk.demo.operator import Customer, Operator
from complaintdesk.demo.scripts.common import (
    H,
    Script,
    say,
)

# --- accounts, safer gambling, other ---------------------------------------------------


def documents_rejected(op: Operator, c: Customer) -> Script:
    c.kyc_status = "rejected"
    return Script(
        c,
        Category.account_verification,
        say(c, "My ID was rejected again", "Документы снова отклонили"),
        say(
            c,
            "I uploaded my passport three times and it is rejected every time.",
            "Загрузил паспорт три раза, и каждый раз его отклоняют.",
        ),
        say(
            c,
            "the photo cut off the document's edges; a full, uncropped scan is needed",
            "на фото обрезаны края документа; нужен полный скан без обрезки",
        ),
    )


def account_blocked(op: Operator, c: Customer) -> Script:
    return Script(
        c,
        Category.account_verification,
        say(c, "Account blocked after travelling", "Аккаунт заблокирован после поездки"),
        say(
            c,
            "I logged in from abroad on holiday and now my account is blocked.",
            "Зашёл в аккаунт из-за границы во время отпуска, теперь он заблокирован.",
        ),
        say(
            c,
            "the login from a new country triggered a security lock, now lifted",
            "вход из новой страны включил защитную блокировку, она снята",
        ),
    )


def self_exclusion_breached(op: Operator, c: Customer) -> Script:
    c.self_excluded = True
    op.payment(c, "deposit", op.now - 15 * H, status="completed", amount="200.00")
    return Script(
        c,
        Category.responsible_gambling,
        say(c, "I am self-excluded but could deposit", "У меня самоисключение, но депозит прошёл"),
        say(
            c,
            "I self-excluded for six months, but yesterday I could log in and deposit.",
            "Я оформил самоисключение на полгода, но вчера смог войти и пополнить счёт.",
        ),
        say(
            c,
            "the self-exclusion was not applied to the mobile app; the deposit is refunded",
            "самоисключение не применилось в мобильном приложении; депозит возвращён",
        ),
    )


def limit_not_applied(op: Operator, c: Customer) -> Script:
    c.limits = {"deposit_daily": "50.00"}
    return Script(
        c,
        Category.responsible_gambling,
        say(c, "Deposit limit not working", "Лимит на депозиты не работает"),
        say(
            c,
            "I set a daily deposit limit of 50 but deposited more than that yesterday.",
            "Я установил дневной лимит депозитов 50, но вчера смог внести больше.",
        ),
        say(
            c,
            "the lower limit took effect at once but a pending deposit had already been authorised",
            "новый лимит вступил в силу сразу, но один депозит уже был авторизован",
        ),
    )


def marketing_emails(op: Operator, c: Customer) -> Script:
    return Script(
        c,
        Category.other,
        say(c, "Still getting promotions after unsubscribing", "Приходят рассылки после отписки"),
        say(
            c,
            "I unsubscribed from marketing twice and still get offers every day.",
            "Дважды отписался от рассылок, а предложения приходят каждый день.",
        ),
        say(
            c,
            "the preference was not synchronised with the mailing provider; it is now",
            "настройка не передалась почтовому сервису; теперь передана",
        ),
    )


def close_account(op: Operator, c: Customer) -> Script:
    return Script(
        c,
        Category.other,
        say(c, "Please close my account", "Прошу закрыть мой аккаунт"),
        say(
            c,
            "I want my account closed and a copy of the data you hold about me.",
            "Хочу закрыть аккаунт и получить копию данных, которые вы обо мне храните.",
        ),
        say(
            c,
            "the account is closed and the data export was sent",
            "аккаунт закрыт, выгрузка данных отправлена",
        ),
    )

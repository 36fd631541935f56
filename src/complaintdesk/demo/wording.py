"""What the demo's staff and customers write, in English and Russian."""

from __future__ import annotations

from complaintdesk.complaints.models import Outcome
from complaintdesk.demo.bets import money
from complaintdesk.demo.scripts import Script

_EN = {
    "reply": "Thank you for writing to us. I have your case and I am looking into it now; "
    "I will come back to you with what I find.",
    "question": "Thank you. To look into this I need a screenshot of what you saw and the "
    "approximate time it happened. Could you send them here?",
    "waiting_for": "screenshot and time requested from the customer",
    "note": "Checked the account history; nothing unusual besides what the customer describes.",
    "review": "I don't accept this answer and want the decision reviewed.",
    "adr": "final response issued; the customer took the dispute to the ADR body",
}
_RU = {
    "reply": "Спасибо за обращение. Я взяла ваш вопрос в работу и сейчас разбираюсь; "
    "вернусь к вам с результатом.",
    "question": "Спасибо. Чтобы разобраться, пришлите, пожалуйста, снимок экрана и примерное "
    "время, когда это произошло.",
    "waiting_for": "у клиента запрошены снимок экрана и время",
    "note": "Проверила историю счёта: кроме описанного клиентом, ничего необычного.",
    "review": "Я не согласен с ответом и прошу пересмотреть решение.",
    "adr": "дан окончательный ответ; клиент передал спор в независимый орган (ADR)",
}

_SUMMARY = {
    ("en", Outcome.upheld): "We have upheld your complaint: {finding}.{money}",
    ("en", Outcome.partially_upheld): "We have partly upheld your complaint: {finding}.",
    ("en", Outcome.not_upheld): "We have not upheld your complaint: {finding}.",
    ("en", Outcome.withdrawn): "As you asked, we have closed your complaint as withdrawn.",
    ("ru", Outcome.upheld): "Ваша жалоба удовлетворена: {finding}.{money}",
    ("ru", Outcome.partially_upheld): "Ваша жалоба удовлетворена частично: {finding}.",
    ("ru", Outcome.not_upheld): "Ваша жалоба не удовлетворена: {finding}.",
    ("ru", Outcome.withdrawn): "По вашей просьбе жалоба закрыта как отозванная.",
}


def answers(play: Script) -> dict[str, str]:
    """Every text the demo writes on one case, in the case's language."""
    language = play.language
    words = dict(_RU if language == "ru" else _EN)
    if play.outcome is not None:
        credited = ""
        if play.compensation:
            amount = f"{money(play.compensation)} {play.customer.currency}"
            credited = (
                f" Мы зачислили на ваш счёт {amount}."
                if language == "ru"
                else f" We have credited {amount} to your account."
            )
        words["summary"] = _SUMMARY[(language, play.outcome)].format(
            finding=play.finding, money=credited
        )
    return words

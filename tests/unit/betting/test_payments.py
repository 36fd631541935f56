"""The payment reason explainer: lookups, safe customer texts, unknown codes, bad input."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaintdesk.betting.errors import InvalidInput
from complaintdesk.betting.payments import PaymentExplanation, explain, load_catalogue

CATALOGUE = load_catalogue()
INTERNAL = sorted(key for key, reason in CATALOGUE.reasons.items() if not reason.customer_visible)
VISIBLE = sorted(key for key, reason in CATALOGUE.reasons.items() if reason.customer_visible)

# Written here independently of the catalogue's own guard, so that a gap in the guard
# cannot hide a leak: words that would tell a customer which check stopped the payment.
TIPPING_OFF = re.compile(
    r"fraud|launder|\baml\b|suspic|suspect|sanction|stolen|lost card|terror|politically"
    r"|мошенн|отмыв|подозр|санкц|украд|утерян|террор|фрод|под/фт",
    re.IGNORECASE,
)
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def transaction(**fields: Any) -> dict[str, Any]:
    """A declined 250 EUR card withdrawal; ``fields`` override (None removes a field)."""
    record: dict[str, Any] = {
        "transaction_id": "TX-1001",
        "kind": "withdrawal",
        "amount": "250",
        "currency": "EUR",
        "method": "card",
        "provider": "visa",
        "status": "declined",
        "created_at": "2026-11-20T10:00:00Z",
        "updated_at": "2026-11-20T10:05:00Z",
    }
    record.update(fields)
    return {key: value for key, value in record.items() if value is not None}


def for_key(key: str, kind: str = "withdrawal") -> dict[str, Any]:
    """A transaction that the catalogue explains with ``key``."""
    scope, code = key.split(":")
    if scope == "operator":
        return transaction(kind=kind, reason_code=code)
    if scope == "status":
        return transaction(kind=kind, status=code)
    return transaction(kind=kind, decline_code=key)


# --- the catalogue ----------------------------------------------------------------------


def test_the_catalogue_covers_the_common_reasons() -> None:
    expected = {
        "iso8583:05",
        "iso8583:14",
        "iso8583:41",
        "iso8583:43",
        "iso8583:51",
        "iso8583:54",
        "iso8583:57",
        "iso8583:59",
        "iso8583:61",
        "iso8583:62",
        "iso8583:65",
        "iso8583:91",
        "3ds:failed",
        "ewallet:account_not_verified",
        "ewallet:limit_exceeded",
        "ewallet:currency_not_supported",
        "bank:invalid_iban",
        "bank:beneficiary_name_mismatch",
        "bank:returned",
        "sepa:AC04",
        "sepa:AM04",
        "sepa:MS03",
        "operator:kyc_documents_missing",
        "operator:third_party_method",
        "operator:withdrawal_method_not_used_for_deposit",
        "operator:bonus_wagering_incomplete",
        "operator:daily_limit",
        "operator:monthly_limit",
        "operator:pending_review",
        "operator:self_excluded",
        "operator:aml_review",
        "operator:fraud_review",
        "operator:source_of_funds",
        "operator:chargeback_risk",
    }
    assert expected <= set(CATALOGUE.reasons)
    assert len(CATALOGUE) >= 80


@pytest.mark.parametrize(
    "key",
    [
        "iso8583:04",
        "iso8583:34",
        "iso8583:41",
        "iso8583:43",
        "iso8583:59",
        "iso8583:93",
        "sepa:RR04",
        "operator:aml_review",
        "operator:fraud_review",
        "operator:source_of_funds",
        "operator:chargeback_risk",
        "operator:sanctions_screening",
        "operator:pep_review",
    ],
)
def test_fraud_and_money_laundering_reasons_are_internal(key: str) -> None:
    reason = CATALOGUE.reasons[key]
    assert reason.customer_visible is False
    assert reason.team in {"risk", "compliance"}


@pytest.mark.parametrize("key", sorted(CATALOGUE.reasons))
def test_every_entry_is_complete_in_both_languages(key: str) -> None:
    reason = CATALOGUE.reasons[key]
    texts = [reason.internal_note]
    if reason.customer_visible:
        assert reason.customer_message is not None
        assert reason.next_step is not None
        texts += [reason.customer_message, reason.next_step]
    else:
        assert reason.customer_message is None
        assert reason.next_step is None
    for text in texts:
        assert set(text) == {"en", "ru"}
        assert text["en"].strip()
        assert text["ru"].strip()
        assert not CYRILLIC.search(text["en"])
        assert CYRILLIC.search(text["ru"])
        assert text["en"].endswith(".")
        assert text["ru"].endswith(".")
    assert reason.team in {
        "payments",
        "verification",
        "compliance",
        "risk",
        "responsible_gambling",
        "promotions",
    }


# --- what the customer reads ------------------------------------------------------------


@pytest.mark.parametrize("key", INTERNAL)
@pytest.mark.parametrize("kind", ["deposit", "withdrawal"])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_internal_reasons_never_tip_off_the_customer(key: str, kind: str, language: str) -> None:
    answer = explain(for_key(key, kind), language=language)
    assert answer.code == key
    assert answer.customer_visible is False
    assert not TIPPING_OFF.search(answer.customer_message), answer.customer_message
    assert not TIPPING_OFF.search(answer.next_step)
    assert answer.review_by is not None
    # The internal note is where the truth goes.
    assert answer.internal_note == CATALOGUE.reasons[key].internal_note[language]


@pytest.mark.parametrize("key", VISIBLE)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_visible_reasons_give_the_reason_and_the_next_step(key: str, language: str) -> None:
    answer = explain(for_key(key), language=language)
    reason = CATALOGUE.reasons[key]
    assert reason.customer_message is not None
    assert reason.next_step is not None
    assert answer.customer_message == (
        f"{reason.customer_message[language]} {reason.next_step[language]}"
    )
    assert answer.next_step == reason.next_step[language]
    assert answer.review_by is None
    assert not TIPPING_OFF.search(answer.customer_message), answer.customer_message


def test_an_aml_hold_reads_as_a_routine_review_with_a_date() -> None:
    held = transaction(reason_code="aml_review", status="pending")
    assert explain(held).customer_message == (
        "Your withdrawal of 250 EUR is going through a routine review. "
        "We will update you by 27 November 2026. "
        "You do not need to do anything for now; if we need anything from you, "
        "we will contact you."
    )
    assert explain(held, language="ru").customer_message == (
        "Ваша заявка на вывод 250 EUR проходит плановую проверку. "
        "До 27 ноября 2026\u00a0г. мы сообщим вам о результате. "
        "Сейчас от вас ничего не требуется; если нам что-то понадобится, мы с вами свяжемся."
    )


def test_an_issuer_fraud_decline_on_a_deposit_is_neutral_and_truthful() -> None:
    declined = transaction(kind="deposit", amount="50", decline_code="59")
    answer = explain(declined)
    assert answer.customer_message.startswith(
        "Your deposit of 50 EUR has not been completed yet: it is going through a routine review. "
        "We will update you by 25 November 2026."
    )
    assert (answer.team, answer.category) == ("risk", "issuer_decline")
    assert "suspected fraud" in answer.internal_note


def test_review_by_overrides_the_default_date() -> None:
    held = transaction(reason_code="fraud_review")
    answer = explain(held, review_by=datetime(2026, 12, 24, 18, tzinfo=UTC))
    assert "We will update you by 24 December 2026." in answer.customer_message
    assert answer.review_by == date(2026, 12, 24)


def test_the_default_review_date_counts_from_creation() -> None:
    # operator:source_of_funds allows 10 days, the catalogue's default is 5.
    assert explain(transaction(reason_code="source_of_funds")).review_by == date(2026, 11, 30)
    assert explain(transaction(decline_code="43")).review_by == date(2026, 11, 25)


def test_a_decline_in_english_and_russian() -> None:
    declined = transaction(kind="deposit", amount="1500.5", decline_code="51")
    assert explain(declined).to_dict() == {
        "transaction_id": "TX-1001",
        "kind": "deposit",
        "code": "iso8583:51",
        "known": True,
        "category": "issuer_decline",
        "team": "payments",
        "customer_visible": True,
        "customer_message": (
            "Your bank declined the payment because there was not enough money on the card. "
            "Please top up the card or choose a smaller amount, then try again."
        ),
        "next_step": "Please top up the card or choose a smaller amount, then try again.",
        "internal_note": (
            "ISO 8583 51 'insufficient funds': not enough balance or credit on the card. "
            "Nothing to fix on our side."
        ),
        "review_by": None,
        "language": "en",
    }
    assert explain(declined, language="ru").customer_message == (
        "Банк отклонил платёж: на карте недостаточно средств. "
        "Пополните карту или уменьшите сумму и повторите попытку."
    )


# --- unknown codes ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_an_unknown_code_routes_to_the_payments_team(language: str) -> None:
    answer = explain(transaction(provider="acmepay", decline_code="R-771"), language=language)
    assert answer.known is False
    assert answer.team == "payments"
    assert answer.category == "unknown"
    assert answer.customer_visible is False
    assert answer.code == "acmepay:R-771"
    assert "R-771" in answer.internal_note
    assert not TIPPING_OFF.search(answer.customer_message)
    assert answer.review_by == date(2026, 11, 25)


def test_the_unknown_code_note_and_message() -> None:
    answer = explain(transaction(provider="acmepay", decline_code="R-771"))
    assert answer.internal_note == (
        "Unknown code “R-771” from acmepay: route to the payments team. Once its meaning "
        "is known, add it to the operator's catalogue as “acmepay:R-771”."
    )
    assert answer.customer_message.startswith(
        "Our payments team is checking what happened to your withdrawal of 250 EUR. "
        "We will update you by 25 November 2026."
    )


def test_an_unknown_operator_hold_is_unknown_even_with_a_known_decline_code() -> None:
    answer = explain(transaction(reason_code="vip_manual_check", decline_code="51"))
    assert (answer.known, answer.code, answer.team) == (
        False,
        "operator:vip_manual_check",
        "payments",
    )


def test_an_unknown_status_without_a_code() -> None:
    answer = explain(transaction(status="on_hold_at_psp"))
    assert answer.known is False
    assert "on_hold_at_psp" in answer.internal_note
    assert "route to the payments team" in answer.internal_note


# --- the lookup order -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"decline_code": "51"}, "iso8583:51"),
        ({"decline_code": 5}, "iso8583:05"),
        ({"decline_code": "5"}, "iso8583:05"),
        ({"decline_code": "n7"}, "iso8583:N7"),
        ({"decline_code": "51", "provider": "acmepay"}, "iso8583:51"),  # by the method
        ({"decline_code": "51", "provider": "MasterCard", "method": "x"}, "iso8583:51"),
        ({"decline_code": "failed"}, "3ds:failed"),
        ({"decline_code": "3ds:timeout"}, "3ds:timeout"),
        ({"decline_code": "SEPA:ac04", "method": "bank_transfer"}, "sepa:AC04"),
        ({"decline_code": "AM04", "method": "bank_transfer", "provider": "bank"}, "sepa:AM04"),
        (
            {"decline_code": "limit_exceeded", "provider": "skrill", "method": "wallet"},
            "ewallet:limit_exceeded",
        ),
        ({"decline_code": "kyc_documents_missing"}, "operator:kyc_documents_missing"),
        ({"reason_code": "aml_review", "decline_code": "51"}, "operator:aml_review"),
        ({"reason_code": "operator:daily_limit"}, "operator:daily_limit"),
        ({"status": "processing"}, "status:pending"),
        ({"status": "Completed"}, "status:completed"),
    ],
)
def test_lookup(fields: dict[str, Any], key: str) -> None:
    answer = explain(transaction(**fields))
    assert (answer.code, answer.known) == (key, True)


# --- the operator's own catalogue files -------------------------------------------------


def entry(visible: bool = True, **overrides: Any) -> dict[str, Any]:
    texts = {"en": "A text in English.", "ru": "Текст по-русски."}
    record: dict[str, Any] = {
        "category": "issuer_decline",
        "team": "payments",
        "customer_visible": visible,
        "internal_note": texts,
    }
    if visible:
        record["customer_message"] = texts
        record["next_step"] = texts
    record.update(overrides)
    return record


def write(tmp_path: Any, name: str, data: Any) -> Any:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_operator_file_adds_codes_providers_and_overrides(tmp_path: Any) -> None:
    mine = write(
        tmp_path,
        "ops.json",
        {
            "providers": {"AcmePay": ["acmepay", "iso8583"]},
            "default_review_days": 3,
            "reasons": {
                "acmepay:R17": entry(
                    customer_message={"en": "Acme said no.", "ru": "Acme отказал."}
                ),
                "iso8583:51": entry(next_step={"en": "Top up.", "ru": "Пополните."}),
            },
        },
    )
    catalogue = load_catalogue(mine)
    assert len(catalogue) == len(CATALOGUE) + 1
    acme = explain(transaction(provider="acmepay", decline_code="R17"), catalogue=catalogue)
    assert (acme.code, acme.customer_message) == ("acmepay:R17", "Acme said no. A text in English.")
    assert explain(transaction(decline_code="51"), catalogue=catalogue).next_step == "Top up."
    unknown = explain(transaction(decline_code="ZZ"), catalogue=catalogue)
    assert unknown.review_by == date(2026, 11, 23)
    # The built-in catalogue is untouched.
    assert explain(transaction(decline_code="51")).next_step != "Top up."


def test_a_provider_specific_entry_wins_over_the_scheme(tmp_path: Any) -> None:
    mine = write(tmp_path, "ops.json", {"reasons": {"visa:51": entry(team="risk")}})
    answer = explain(transaction(decline_code="51"), catalogue=load_catalogue(mine))
    assert (answer.code, answer.team) == ("visa:51", "risk")


def test_later_files_win(tmp_path: Any) -> None:
    first = write(tmp_path, "a.json", {"reasons": {"x:1": entry(team="risk")}})
    second = write(tmp_path, "b.json", {"reasons": {"x:1": entry(team="verification")}})
    assert load_catalogue(first, second).reasons["x:1"].team == "verification"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reasons": {"x:1": entry(team="vip")}}, "reasons.x:1.team"),
        ({"reasons": {"x:1": entry(category="misc")}}, "reasons.x:1.category"),
        (
            {"reasons": {"x:1": entry(customer_message={"en": "Only English."})}},
            "reasons.x:1.customer_message",
        ),
        (
            {"reasons": {"x:1": entry(next_step={"en": "Go.", "ru": " "})}},
            "reasons.x:1.next_step.ru",
        ),
        ({"reasons": {"x:1": entry(colour="red")}}, "reasons.x:1.colour"),
        ({"reasons": {"x:1": entry(customer_visible="yes")}}, "reasons.x:1.customer_visible"),
        (
            {"reasons": {"x:1": entry(visible=False, customer_message={"en": "a", "ru": "б"})}},
            "reasons.x:1.customer_message",
        ),
        (
            {
                "reasons": {
                    "x:1": entry(
                        customer_message={"en": "Our fraud team is checking.", "ru": "Проверка."}
                    )
                }
            },
            "reasons.x:1.customer_message.en",
        ),
        (
            {
                "reasons": {
                    "x:1": entry(next_step={"en": "Wait.", "ru": "Это подозрительный платёж."})
                }
            },
            "reasons.x:1.next_step.ru",
        ),
        ({"reasons": {"iso8583:59": entry()}}, "reasons.iso8583:59.customer_visible"),
        ({"reasons": {"nocolon": entry()}}, "reasons.nocolon"),
        ({"reasons": {"x:1": entry(review_days=0)}}, "reasons.x:1.review_days"),
        ({"default_review_days": "5"}, "default_review_days"),
        ({"providers": {"acme": "iso8583"}}, "providers.acme"),
        ({"statuses": {"held": "pending"}}, "statuses.held"),
        ({"statuses": {"held": "status:held"}}, "statuses.held"),
        (
            {"neutral_messages": {"review": {"deposit": {"en": "x", "ru": "y"}}}},
            "neutral_messages.review",
        ),
        (
            {
                "neutral_messages": {
                    "unknown": {
                        "deposit": {
                            "en": "Checking {amount}.",
                            "ru": "Проверяем {amount} до {date}",
                        },
                        "withdrawal": {"en": "By {date}.", "ru": "До {date} ответим."},
                        "next_step": {"en": "Wait.", "ru": "Ждите."},
                    }
                }
            },
            "neutral_messages.unknown.deposit.en",
        ),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_operator_file_names_the_file_and_the_key(
    tmp_path: Any, data: dict[str, Any], field: str
) -> None:
    path = write(tmp_path, "operator-reasons.json", data)
    with pytest.raises(InvalidInput) as raised:
        load_catalogue(path)
    assert raised.value.field == field
    assert "operator-reasons.json" in raised.value.message


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_a_file_that_is_not_a_json_object(tmp_path: Any, content: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        load_catalogue(path)
    assert raised.value.field == "catalogue"
    assert "broken.json" in raised.value.message


def test_a_missing_file(tmp_path: Any) -> None:
    with pytest.raises(InvalidInput) as raised:
        load_catalogue(tmp_path / "nowhere.json")
    assert "nowhere.json" in raised.value.message


# --- bad transactions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"amount": "lots"}, "amount"),
        ({"amount": 12.5}, "amount"),
        ({"amount": None}, "amount"),
        ({"kind": "refund"}, "kind"),
        ({"currency": "euro"}, "currency"),
        ({"created_at": "2026-11-20 10:00"}, "created_at"),
        ({"updated_at": "2026-11-20T09:00:00Z"}, "updated_at"),
        ({"decline_code": True}, "decline_code"),
        ({"decline_code": ["05"]}, "decline_code"),
        ({"reason_code": ""}, "reason_code"),
        ({"provider": ""}, "provider"),
    ],
)
def test_bad_transactions_name_the_field(fields: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        explain(transaction(**fields))
    assert raised.value.field == field


def test_a_transaction_must_be_an_object_and_the_language_known() -> None:
    a_list: Any = []
    with pytest.raises(InvalidInput) as raised:
        explain(a_list)
    assert raised.value.field == "transaction"
    with pytest.raises(InvalidInput) as raised:
        explain(transaction(), language="fr")
    assert raised.value.field == "language"


# --- for every code ---------------------------------------------------------------------

codes = st.one_of(
    st.sampled_from(sorted(CATALOGUE.reasons)),
    st.sampled_from(sorted(CATALOGUE.reasons)).map(lambda key: key.split(":")[1]),
    st.text(min_size=1, max_size=12).filter(str.strip),
    st.integers(0, 999),
)


@given(
    code=codes,
    provider=st.sampled_from(["visa", "mastercard", "skrill", "sepa", "acmepay"]),
    method=st.sampled_from(["card", "ewallet", "bank_transfer", "crypto"]),
    kind=st.sampled_from(["deposit", "withdrawal"]),
    language=st.sampled_from(["en", "ru"]),
)
def test_any_code_gets_a_safe_answer(
    code: str | int, provider: str, method: str, kind: str, language: str
) -> None:
    answer: PaymentExplanation = explain(
        transaction(decline_code=code, provider=provider, method=method, kind=kind),
        language=language,
    )
    assert not TIPPING_OFF.search(answer.customer_message)
    assert answer.customer_message.endswith(".")
    if not answer.known:
        assert answer.team == "payments"
        assert "payments team" in answer.internal_note or "платёжный отдел" in answer.internal_note
    reason = CATALOGUE.get(answer.code)
    if reason is not None and not reason.customer_visible:
        assert answer.customer_visible is False
        assert answer.review_by is not None

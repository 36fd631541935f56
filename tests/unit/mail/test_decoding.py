"""Charsets and encoded words as real mail programs send them."""

from __future__ import annotations

import base64

import pytest

from complaintdesk.mail.decoding import decode_bytes, decode_header, guess, mostly_cyrillic

RUSSIAN = "Прошу пересчитать ставку: матч закончился со счётом 2:1, купон выиграл"


def word(text: str, charset: str, encoding: str = "B") -> str:
    data = text.encode(charset)
    if encoding == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    quoted = "".join(
        "_" if b == 0x20 else chr(b) if 0x30 <= b < 0x7F and chr(b) not in "=?_" else f"={b:02X}"
        for b in data
    )
    return f"=?{charset}?Q?{quoted}?="


@pytest.mark.parametrize("charset", ["koi8-r", "windows-1251", "utf-8", "iso-8859-5"])
@pytest.mark.parametrize("encoding", ["B", "Q"])
def test_encoded_words_in_every_russian_charset(charset: str, encoding: str) -> None:
    assert decode_header(f"Re: {word('Жалоба', charset, encoding)} [CMP-7K3Q-9XWD]") == (
        "Re: Жалоба [CMP-7K3Q-9XWD]"
    )


def test_adjacent_words_join_even_when_a_character_is_split_between_them() -> None:
    data = "Ставка".encode()
    first, second = data[:3], data[3:]  # the second letter is cut in half
    header = (
        f"=?utf-8?B?{base64.b64encode(first).decode()}?=\r\n "
        f"=?utf-8?B?{base64.b64encode(second).decode()}?="
    )
    assert decode_header(header) == "Ставка"


def test_space_between_a_word_and_plain_text_is_kept() -> None:
    assert decode_header(f"{word('Иван', 'koi8-r')} <ivan@example.com>") == (
        "Иван <ivan@example.com>"
    )


def test_unknown_charsets_and_broken_words_never_raise() -> None:
    assert decode_header("=?x-bogus?Q?Payout_refused?=") == "Payout refused"
    assert decode_header("=?utf-8?B?***?= tail") == "tail"
    assert decode_header("=?utf-8?Q?unterminated") == "=?utf-8?Q?unterminated"
    assert decode_header(None) == ""


def test_raw_8bit_header_bytes_are_recovered() -> None:
    raw = "Вывод средств отклонён".encode("cp1251").decode("ascii", "surrogateescape")
    assert decode_header(raw) == "Вывод средств отклонён"


@pytest.mark.parametrize("charset", ["cp1251", "koi8_r", "utf-8"])
def test_unlabelled_russian_text_is_recognised(charset: str) -> None:
    assert guess(RUSSIAN.encode(charset)) == RUSSIAN


def test_unlabelled_western_text_is_read_as_windows_1252() -> None:
    assert guess("Café crème, naïve déjà vu".encode("cp1252")) == "Café crème, naïve déjà vu"


def test_a_wrong_label_is_overruled_when_the_text_says_otherwise() -> None:
    # Labelled Latin-1 but really Windows-1251, as old Russian mailers did.
    assert decode_bytes(RUSSIAN.encode("cp1251"), "iso-8859-1") == RUSSIAN
    # Labelled ASCII but 8-bit.
    assert decode_bytes(RUSSIAN.encode("koi8_r"), "us-ascii") == RUSSIAN
    # A label that holds up is trusted.
    french = "Déjà vu: le pari a été réglé comme perdu, à tort"
    assert decode_bytes(french.encode("latin-1"), "iso-8859-1") == french


@pytest.mark.parametrize("alias", ["win-1251", "x-cp1251", "CP-1251", '"windows-1251"'])
def test_charset_aliases_seen_in_the_wild(alias: str) -> None:
    assert decode_bytes(RUSSIAN.encode("cp1251"), alias) == RUSSIAN


def test_language_hint() -> None:
    assert mostly_cyrillic(RUSSIAN)
    assert not mostly_cyrillic("My bet on Спартак was settled wrongly, please check it")

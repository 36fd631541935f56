"""Bytes and header words to text, whatever the sender's software did.

Russian mail arrives in UTF-8, Windows-1251, KOI8-R or ISO-8859-5, often mislabelled or
not labelled at all, and headers carry RFC 2047 encoded words (``=?koi8-r?B?...?=``) or
raw 8-bit bytes. Every function here returns text and never raises: an unknown charset
falls back to a guess, a broken encoded word is kept as written.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re

_ALIASES = {
    "win-1251": "cp1251",
    "win1251": "cp1251",
    "windows1251": "cp1251",
    "cp-1251": "cp1251",
    "koi8r": "koi8_r",
    "koi8": "koi8_r",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "x-unknown": "",
    "unknown-8bit": "",
    "unknown": "",
    "x-user-defined": "",
    "default": "",
}
# Charsets that "decode" anything, so a mislabelled Cyrillic text would pass through them
# as Latin gibberish; their result is checked against a guess.
_PERMISSIVE = {"iso8859-1", "iso8859-15", "cp1252", "ascii"}

_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = name.split("*", 1)[0]  # RFC 2231 language suffix: utf-8*ru
    name = _ALIASES.get(name, name.removeprefix("x-"))
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def guess(data: bytes) -> str:
    """Text from bytes of an unknown charset: UTF-8 if they are valid UTF-8, else the
    likeliest of Windows-1251, KOI8-R and Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    high = sum(1 for b in data if b >= 0x80)
    ascii_letters = sum(1 for b in data if 0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A)
    if high and high / (high + ascii_letters) > 0.3:
        # Cyrillic text is mostly lower case. In Windows-1251 lower-case letters are
        # 0xE0-0xFF; in KOI8-R those bytes are the capitals.
        upper_half = sum(1 for b in data if b >= 0xE0)
        lower_half = sum(1 for b in data if 0xC0 <= b < 0xE0)
        return data.decode("cp1251" if upper_half >= lower_half else "koi8_r", "replace")
    return data.decode("cp1252", "replace")


def _looks_misdecoded(text: str) -> bool:
    """Latin-1 output of what was really Cyrillic: many letters from the 0xC0-0xFF block."""
    high = sum(1 for ch in text if "\u00c0" <= ch <= "\u00ff")
    letters = sum(1 for ch in text if ch.isalpha())
    return letters > 0 and high / letters > 0.3


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """``data`` as text, trusting ``charset`` only as far as it holds up."""
    codec = _codec(charset)
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            return guess(data)
        if codec in _PERMISSIVE and _looks_misdecoded(text):
            return guess(data)
        return text
    return guess(data)


def restore_8bit(text: str) -> str:
    """Header text the parser read as ASCII with surrogate escapes (raw 8-bit bytes,
    sent without encoded words) decoded properly."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return guess(text.encode("ascii", "surrogateescape"))


_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    try:
        if encoding in "bB":
            cleaned = re.sub(r"[^A-Za-z0-9+/]", "", payload)
            return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))
        return binascii.a2b_qp(payload.encode("ascii", "replace"), header=True)
    except (binascii.Error, ValueError):
        return None


def decode_header(value: object) -> str:
    """A header's text: encoded words decoded (adjacent ones joined, as RFC 2047 says —
    bytes first, so a character split across two words survives), raw 8-bit bytes
    guessed, folding and runs of whitespace collapsed."""
    if value is None:
        return ""
    text = restore_8bit(str(value))
    out: list[str] = []
    pending: tuple[str, bytearray] | None = None  # adjacent words of one charset

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            out.append(decode_bytes(bytes(pending[1]), pending[0]))
            pending = None

    position = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        charset, encoding, payload = match.groups()
        data = _word_bytes(encoding, payload)
        adjacent = pending is not None and not between.strip()
        if data is None:
            flush()
            out.append(between + match.group(0))
        elif adjacent and pending is not None and pending[0].lower() == charset.lower():
            pending[1].extend(data)
        else:
            flush()
            if not adjacent:
                out.append(between)
            pending = (charset, bytearray(data))
        position = match.end()
    flush()
    out.append(text[position:])
    return " ".join("".join(out).split())


def mostly_cyrillic(text: str) -> bool:
    letters = sum(1 for ch in text if ch.isalpha())
    return letters > 0 and len(_CYRILLIC.findall(text)) / letters > 0.3

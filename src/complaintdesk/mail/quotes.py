"""Cutting the quoted history and the signature off a reply.

A reply usually repeats our whole previous mail below (or, interleaved, between) the
customer's words. What stays is what the customer wrote: lines up to the first
attribution ("On ... wrote:", "... написал(а):", Gmail's "..., Name <addr>:"), an
Outlook header block or separator, or the signature mark ``-- ``; ``>`` lines are dropped
wherever they are. If nothing would remain (a reply that only quotes), the text is kept
whole rather than lost.
"""

from __future__ import annotations

import re

_ATTRIBUTION = [
    re.compile(r"^\s*On\b.{4,300}\bwrote:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^.{0,300}\b(написал|написала|написал\(а\)|пишет)\s*:\s*$", re.IGNORECASE),
    # Gmail in Russian and others: "пн, 25 нояб. 2026 г. в 10:00, Иван <a@b.c>:"
    re.compile(r"^.{0,300}<[^<>@\s]+@[^<>\s]+>\s*:\s*$"),
    re.compile(r"^.{0,300}\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b.{0,200}\S+@\S+.{0,50}:\s*$"),
]
_SEPARATORS = [
    re.compile(
        r"^\s*-{2,}\s*(Original Message|Forwarded message|Исходное сообщение|"
        r"Пересылаемое сообщение|Reply message|Ответное сообщение)\s*-{2,}\s*$",
        re.IGNORECASE,
    ),
    re.compile(r"^\s*_{20,}\s*$"),
]
_OUTLOOK_FROM = re.compile(r"^\s*\*?(From|От|Von|De)\*?\s*:\s*\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(
    r"^\s*\*?(Sent|Date|To|Subject|Отправлено|Дата|Кому|Тема|Gesendet)\*?\s*:", re.IGNORECASE
)
_SIGNATURE = re.compile(r"^-- ?$")


def _is_outlook_header(lines: list[str], index: int) -> bool:
    if not _OUTLOOK_FROM.match(lines[index]):
        return False
    following = [line for line in lines[index + 1 : index + 5] if line.strip()]
    return any(_OUTLOOK_NEXT.match(line) for line in following[:3])


def _starts_history(lines: list[str], index: int) -> bool:
    line = lines[index]
    if any(p.match(line) for p in _SEPARATORS) or _is_outlook_header(lines, index):
        return True
    if any(p.match(line) for p in _ATTRIBUTION):
        return True
    # An attribution folded over two lines: "On Mon, 25 Nov 2026, Desk <d@x>\nwrote:"
    if index + 1 < len(lines) and line.strip():
        joined = line.rstrip() + " " + lines[index + 1].strip()
        return bool(_ATTRIBUTION[0].match(joined) or _ATTRIBUTION[1].match(joined))
    return False


def strip_quoted(text: str) -> str:
    """The customer's own words in a reply (see the module's docstring)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _SIGNATURE.match(line) or _starts_history(lines, index):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    result = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return result or text.strip()

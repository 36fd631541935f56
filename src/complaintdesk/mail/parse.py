"""One RFC 5322 message, as bytes, to what the desk needs from it.

The parser is the standard library's in its most lenient mode (``compat32``): it never
refuses a message, it records defects. Everything read from it goes through
``decoding`` (charsets, encoded words, 8-bit headers) and each part is read on its own, so
one broken part costs that part, never the message. What cannot be a message at all
raises :class:`UnusableMessage` with the reason.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email.message import Message
from email.policy import Compat32, compat32
from email.utils import getaddresses

from complaintdesk.mail.decoding import decode_bytes, decode_header
from complaintdesk.mail.errors import UnusableMessage
from complaintdesk.mail.htmltext import html_to_text

MAX_PARTS = 200
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,900}>")
_SIGNATURES = {"application/pgp-signature", "application/pkcs7-signature",
               "application/x-pkcs7-signature", "application/pgp-keys"}  # fmt: skip
# Headers that tell a person's mail from an automatic one (see classify.py).
_CLASSIFYING = ("Auto-Submitted", "Precedence", "X-Autoreply", "X-Autorespond",
                "X-Autoresponder", "List-Id", "List-Unsubscribe", "Return-Path",
                "X-Complaintdesk-Notification", "X-Complaintdesk-Reference",
                "X-Auto-Response-Suppress", "X-Failed-Recipients")  # fmt: skip
_REPORT_PARTS = {"message/delivery-status", "message/feedback-report",
                 "message/disposition-notification"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class MailAttachment:
    filename: str | None
    content_type: str
    data: bytes


@dataclass(slots=True)
class ParsedMail:
    message_id: str | None
    from_address: str | None
    from_name: str | None
    subject: str
    in_reply_to: list[str]
    references: list[str]
    text: str
    attachments: list[MailAttachment]
    headers: dict[str, str]
    content_type: str
    report_type: str | None = None
    # The original message a delivery report is about: its Message-ID and references.
    reported_ids: list[str] = field(default_factory=list)
    reported_subject: str = ""
    defects: list[str] = field(default_factory=list)


class _RawHeaders(Compat32):
    """compat32, except that header values come back as received: 8-bit bytes sent
    without encoded words stay recoverable (``decoding.restore_8bit``) instead of being
    replaced by question marks."""

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


_RAW_HEADERS = _RawHeaders()
_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:")


def _repair_header_block(raw: bytes) -> bytes:
    """Drop lines in the header block that are neither a header nor a continuation, which
    would otherwise end the headers early and turn the rest of them into the body."""
    normalised = raw.replace(b"\r\n", b"\n")
    head, sep, body = normalised.partition(b"\n\n")
    lines = head.split(b"\n")
    kept = [
        line
        for i, line in enumerate(lines)
        if _HEADER_LINE.match(line)
        or (i and line[:1] in (b" ", b"\t"))
        or line.startswith(b"From ")
    ]
    if len(kept) == len(lines):
        return raw
    return b"\n".join(kept) + sep + body


def message_ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def _header(msg: Message, name: str) -> str:
    try:
        values = msg.get_all(name) or []
    except Exception:  # a header that cannot even be listed counts as absent
        return ""
    return decode_header(values[0]) if values else ""


def _sender(msg: Message) -> tuple[str | None, str | None]:
    for name in ("From", "Sender", "Reply-To"):
        raw = _header(msg, name)
        if not raw:
            continue
        try:
            pairs = getaddresses([raw])
        except Exception:  # malformed address lists
            pairs = []
        for display, found in pairs:
            address = found.strip().strip("<>").strip()
            local, at, domain = address.rpartition("@")
            if at and local and domain and " " not in address:
                return address, (display.strip() or None)
        return None, None
    return None, None


def _payload(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # broken transfer encodings
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _text_of(part: Message) -> str:
    try:
        charset = part.get_content_charset()
    except Exception:  # unreadable charset parameter
        charset = None
    return decode_bytes(_payload(part), charset).replace("\r\n", "\n").replace("\r", "\n")


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # malformed RFC 2231 parameters
        name = None
    return (decode_header(name) or None) if name else None


def _disposition(part: Message) -> str | None:
    try:
        return part.get_content_disposition()
    except Exception:
        return None


class _Walker:
    def __init__(self, parsed: ParsedMail) -> None:
        self.parsed = parsed
        self.plain: list[str] = []
        self.html: list[str] = []
        self.count = 0

    def visit(self, part: Message, *, related: bool = False) -> None:
        self.count += 1
        if self.count > MAX_PARTS:
            raise UnusableMessage(f"the message has more than {MAX_PARTS} parts")
        try:
            ctype = part.get_content_type()
        except Exception:
            ctype = "application/octet-stream"
        if ctype == "message/rfc822" or (ctype.startswith("message/") and part.is_multipart()):
            self._attached_message(part)
            return
        if part.is_multipart():
            payload = part.get_payload()
            for sub in payload if isinstance(payload, list) else []:
                if isinstance(sub, Message):
                    self.visit(sub, related=related or ctype == "multipart/related")
            return
        if ctype in _REPORT_PARTS:
            return
        if ctype.startswith("multipart/"):
            # A multipart whose boundary the parser could not find: its raw text is all
            # there is, and it is better shown as it is than dropped.
            self.plain.append(_text_of(part))
            return
        if ctype == "text/rfc822-headers":
            self._reported_headers(email.message_from_bytes(_payload(part), policy=compat32))
            return
        disposition = _disposition(part)
        filename = _filename(part)
        if ctype in _SIGNATURES:
            return
        if ctype == "text/plain" and disposition != "attachment" and not filename:
            self.plain.append(_text_of(part))
        elif ctype == "text/html" and disposition != "attachment" and not filename:
            self.html.append(_text_of(part))
        elif related and not filename and part.get("Content-ID"):
            return  # an image the HTML shows inline (a logo), not something sent to us
        else:
            data = _payload(part)
            if data:
                self.parsed.attachments.append(MailAttachment(filename, ctype, data))

    def _attached_message(self, part: Message) -> None:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, Message):
            return
        if self.parsed.report_type:
            self._reported_headers(inner)
            return
        try:
            data = inner.as_bytes(policy=compat32)
        except Exception:  # a forwarded message we cannot re-serialise
            return
        subject = decode_header(inner.get("Subject", "")) or "message"
        self.parsed.attachments.append(
            MailAttachment(f"{subject[:80]}.eml", "message/rfc822", data)
        )

    def _reported_headers(self, original: Message) -> None:
        for name in ("Message-ID", "In-Reply-To", "References"):
            self.parsed.reported_ids.extend(message_ids(_header(original, name)))
        self.parsed.reported_subject = self.parsed.reported_subject or _header(original, "Subject")


def parse(raw: bytes) -> ParsedMail:
    """Parse one message; :class:`UnusableMessage` if the bytes are not one."""
    if not raw.strip():
        raise UnusableMessage("the message is empty")
    if b"\x00" in raw[:4096]:
        raise UnusableMessage("this is binary data, not an e-mail message")
    head = raw.lstrip()[:2000]
    first_line = head.split(b"\n", 1)[0]
    if first_line.startswith(b"From ") and b"\n" in head:  # an mbox "From " line
        head = head.split(b"\n", 1)[1]
    if not re.match(rb"^[!-9;-~]+[ \t]*:", head):
        raise UnusableMessage("this is not an e-mail message: it does not start with headers")
    msg = email.message_from_bytes(_repair_header_block(raw), policy=_RAW_HEADERS)
    address, name = _sender(msg)
    try:
        ctype = msg.get_content_type()
    except Exception:
        ctype = "text/plain"
    report_type = (msg.get_param("report-type") if ctype == "multipart/report" else None) or None
    parsed = ParsedMail(
        message_id=next(iter(message_ids(_header(msg, "Message-ID"))), None),
        from_address=address,
        from_name=name,
        subject=_header(msg, "Subject"),
        in_reply_to=message_ids(_header(msg, "In-Reply-To")),
        references=message_ids(_header(msg, "References")),
        text="",
        attachments=[],
        headers={key: _header(msg, key) for key in _CLASSIFYING if msg.get(key) is not None},
        content_type=ctype,
        report_type=str(report_type).lower() if isinstance(report_type, str) else None,
    )
    walker = _Walker(parsed)
    walker.visit(msg)
    plain = "\n\n".join(t.strip("\n") for t in walker.plain if t.strip())
    html = "\n\n".join(html_to_text(h) for h in walker.html if h.strip())
    # Some programs send an empty or placeholder text part beside the real HTML one.
    parsed.text = html if html and len(plain.strip()) < 20 < len(html) else (plain or html)
    parsed.defects = [type(d).__name__ for d in msg.defects]
    return parsed

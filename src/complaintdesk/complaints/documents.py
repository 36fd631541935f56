"""Checks on uploaded documents: the type by content (not by name) and a safe file name."""

from __future__ import annotations

import re
import unicodedata

from complaintdesk.complaints.errors import InvalidRequest, PayloadTooLarge, UnsupportedMediaType

ALLOWED = "PDF, PNG, JPEG, WebP or plain text"


def sniff_content_type(data: bytes) -> str:
    """The media type the bytes really are, if it is one we accept; else UnsupportedMediaType."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if _is_plain_text(data):
        return "text/plain"
    raise UnsupportedMediaType(f"this kind of file is not accepted; send {ALLOWED}")


def _is_plain_text(data: bytes) -> bool:
    if not data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # Text files have no control characters but line breaks and tabs; binaries do.
    return not any(unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\f" for ch in text)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_filename(name: str | None, content_type: str) -> str:
    """A display name with no path, no control characters, at most 255 characters.

    The name is only ever shown; files are stored under keys of our own, so a name like
    ``../../etc/passwd`` is harmless, but it is still reduced to ``passwd``.
    """
    raw = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", raw)).strip(" .")
    if not cleaned:
        cleaned = "document" + _EXTENSIONS.get(content_type, "")
    if len(cleaned) > 255:
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = (stem[: 250 - len(ext)] + dot + ext) if dot and len(ext) < 10 else cleaned[:255]
    return cleaned


_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "text/plain": ".txt",
}


def check_size(size: int, limit: int) -> None:
    if size == 0:
        raise InvalidRequest("the file is empty", code="empty_file")
    if size > limit:
        raise PayloadTooLarge(f"the file is larger than the limit of {limit // (1024 * 1024)} MB")

"""Case references and access keys.

A reference (``CMP-7K3Q-9XWD``) is random, never sequential, and drawn from an alphabet
without look-alike characters (no 0/O, 1/I/L, U), so it can be read out over the phone.
It names a case but never opens it: that takes the access key, 192 random bits shown to
the customer once and stored only as a SHA-256 (a key that strong needs no slow hash).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from complaintdesk.complaints.models import Kind

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = {Kind.complaint: "CMP", Kind.consultation: "CNS"}
REFERENCE_PATTERN = re.compile(r"^(CMP|CNS)-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$")
_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,128}$")


def new_reference(kind: Kind) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIX[kind]}-{body[:4]}-{body[4:]}"


def normalise_reference(text: str) -> str | None:
    """The canonical form of a reference as a person might type it, or None if it isn't one."""
    candidate = text.strip().upper().replace(" ", "")
    return candidate if REFERENCE_PATTERN.match(candidate) else None


def new_access_key() -> str:
    return secrets.token_urlsafe(24)


def hash_access_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str | None, stored_hash: str | None) -> bool:
    """Constant-time comparison; an absent key or case compares against a dummy."""
    candidate = hash_access_key(key) if key and _KEY_PATTERN.match(key) else "0" * 64
    return hmac.compare_digest(candidate, stored_hash or "1" * 64) and stored_hash is not None

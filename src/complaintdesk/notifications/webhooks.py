"""Webhook deliveries: the JSON body, its HMAC-SHA256 signature, and the HTTP POST.

Every delivery carries::

    X-Complaintdesk-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">
    X-Complaintdesk-Event: complaint.created
    X-Complaintdesk-Delivery: dlv_<n>          (the same on every retry of this delivery)

A receiver recomputes the HMAC with its secret over the timestamp, a dot and the raw body,
compares in constant time, and rejects a timestamp more than five minutes from its own
clock (:func:`verify`): a captured delivery replayed later is refused, and a repeat within
the window is recognised by its delivery id. The body's ``id`` names the timeline event.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from complaintdesk import __version__
from complaintdesk.notifications.errors import DeliveryFailed

SIGNATURE_HEADER = "X-Complaintdesk-Signature"
EVENT_HEADER = "X-Complaintdesk-Event"
DELIVERY_HEADER = "X-Complaintdesk-Delivery"
TOLERANCE_SECONDS = 300


class InvalidSignature(Exception):
    """A delivery whose signature does not verify (wrong secret, altered body, or stale)."""


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return mac.hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(
    secret: str,
    header: str | None,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> int:
    """What a receiver does: check the signature and the age; returns the timestamp."""
    if not header:
        raise InvalidSignature(f"no {SIGNATURE_HEADER} header")
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        raise InvalidSignature("the signature has no valid timestamp") from None
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        raise InvalidSignature("the timestamp is too old or in the future (a replay?)")
    expected = signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, given) for given in fields.get("v1", [])):
        raise InvalidSignature("the signature does not match the body")
    return timestamp


def delivery_id(outbox_id: int) -> str:
    return f"dlv_{outbox_id}"


def wire_body(payload: dict[str, Any], *, event_id: int | None, outbox_id: int) -> bytes:
    """The exact bytes sent: the same for every attempt of one delivery."""
    document = {
        "id": f"evt_{event_id}" if event_id is not None else None,
        "delivery": delivery_id(outbox_id),
        **payload,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address the system's resolver gives for ``host``."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def public(address: str) -> bool:
    """An address on the public internet: not loopback, private, link-local (the cloud
    metadata service), shared, multicast or reserved, nor one of these mapped into IPv6."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def literal_address(host: str) -> str | None:
    """``host`` as an IP address, if it is written as one."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class WebhookSender:
    """POSTs signed deliveries; one HTTP client (and its connections) for the worker.

    Unless ``private_addresses`` is allowed, a delivery goes only to a public address: the
    host is resolved, every address it resolves to must be public, and the request is sent
    to the address that was checked (the URL's host still in ``Host`` and in TLS's server
    name and certificate check), so a name that resolves differently a moment later cannot
    turn a delivery towards the operator's own network.
    """

    def __init__(
        self,
        *,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
        private_addresses: bool = False,
        resolver: Resolver = resolve,
    ) -> None:
        self.timeout = timeout
        self.transport = transport
        self.private_addresses = private_addresses
        self.resolver = resolver
        # Connections are kept per receiver name: one pool keyed by address alone would
        # carry a delivery for one name over a connection verified for another.
        self.clients: dict[str, httpx.Client] = {}

    def deliver(
        self,
        url: str,
        *,
        secret: str,
        body: bytes,
        event: str,
        delivery: str,
        now: float | None = None,
    ) -> int:
        """Send once; the receiver's 2xx status, or :class:`DeliveryFailed`."""
        timestamp = int(time.time() if now is None else now)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(secret, timestamp, body),
            EVENT_HEADER: event,
            DELIVERY_HEADER: delivery,
        }
        target, extensions = url, {}
        if not self.private_addresses:
            target, host, server_name = self._pinned(url)
            headers["Host"] = host
            if server_name:
                extensions["sni_hostname"] = server_name
        client = self._client(urlsplit(url).hostname or "")
        try:
            response = client.post(target, content=body, headers=headers, extensions=extensions)
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"cannot reach {url}: {type(exc).__name__}: {exc}") from None
        if 200 <= response.status_code < 300:
            return response.status_code
        answer = response.text[:300].strip()
        if 300 <= response.status_code < 400:
            reason = "redirects are not followed; subscribe the final URL"
        else:
            reason = answer or response.reason_phrase
        raise DeliveryFailed(
            f"the receiver answered {response.status_code}: {reason}",
            # 410 Gone: the receiver says the endpoint no longer exists.
            permanent=response.status_code == 410,
            status_code=response.status_code,
        )

    def _pinned(self, url: str) -> tuple[str, str, str | None]:
        """The URL with its host replaced by the public address it resolves to, the
        ``Host`` header, and the name TLS must verify (None for a plain-HTTP URL)."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        literal = literal_address(host)
        try:
            addresses = [literal] if literal else self.resolver(host, port)
        except OSError as exc:
            raise DeliveryFailed(f"cannot resolve {host}: {exc}") from None
        inside = [a for a in addresses if not public(a)]
        if inside or not addresses:
            raise DeliveryFailed(
                f"{host} resolves to {', '.join(inside) or 'no address'}, not a public "
                "address: deliveries inside the operator's network are refused "
                "(COMPLAINTDESK_WEBHOOK_PRIVATE_ADDRESSES allows them)",
                permanent=True,
            )
        address = addresses[0]
        written = f"[{address}]" if ":" in address else address
        target = parts._replace(netloc=f"{written}:{port}").geturl()
        netloc = parts.netloc.rpartition("@")[2]
        return target, netloc, host if parts.scheme == "https" else None

    def _client(self, name: str) -> httpx.Client:
        if name not in self.clients:
            self.clients[name] = httpx.Client(
                timeout=self.timeout,
                follow_redirects=False,
                transport=self.transport,
                headers={"User-Agent": f"complaintdesk/{__version__}"},
            )
        return self.clients[name]

    def close(self) -> None:
        for client in self.clients.values():
            client.close()
        self.clients.clear()

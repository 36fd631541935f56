"""Where a webhook delivery may go: public addresses only unless the desk allows its own
network, checked on every delivery and sent to the address that was checked.

The receiver and the name service are outside the desk: the receiver is httpx's
``MockTransport`` and the resolver a table, so that public names can be used offline."""

from __future__ import annotations

import httpx
import pytest

from complaintdesk.notifications.errors import DeliveryFailed
from complaintdesk.notifications.webhooks import WebhookSender, public

PUBLIC = "93.184.215.14"


def sender(names: dict[str, list[str]], seen: list[httpx.Request], **kwargs: bool) -> WebhookSender:
    def resolver(host: str, _port: int) -> list[str]:
        if host not in names:
            raise OSError("Name or service not known")
        return names[host]

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    return WebhookSender(
        timeout=5, transport=httpx.MockTransport(answer), resolver=resolver, **kwargs
    )


def send(s: WebhookSender, url: str) -> int:
    return s.deliver(url, secret="whsec_x", body=b"{}", event="complaint.created", delivery="d")


@pytest.mark.parametrize(
    ("address", "is_public"),
    [
        (PUBLIC, True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.7", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # the cloud metadata service
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),  # noqa: S104
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd00::5", False),
        ("::ffff:10.0.0.7", False),
        (f"::ffff:{PUBLIC}", True),
    ],
)
def test_what_counts_as_public(address: str, is_public: bool) -> None:
    assert public(address) is is_public


def test_a_delivery_goes_to_the_address_that_was_checked_under_its_own_name() -> None:
    seen: list[httpx.Request] = []
    s = sender({"hooks.operator.example": [PUBLIC]}, seen)
    assert send(s, "https://hooks.operator.example/complaints?x=1") == 204
    assert send(s, "http://hooks.operator.example:8080/in") == 204
    tls, plain = seen
    assert tls.url == httpx.URL(f"https://{PUBLIC}:443/complaints?x=1")
    assert tls.headers["host"] == "hooks.operator.example"
    assert tls.extensions["sni_hostname"] == "hooks.operator.example"
    assert plain.url == httpx.URL(f"http://{PUBLIC}:8080/in")
    assert plain.headers["host"] == "hooks.operator.example:8080"
    assert "sni_hostname" not in plain.extensions


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("https://hooks.operator.example/", {"hooks.operator.example": ["10.0.0.7"]}),
        # One public and one inside: a second look could be handed either.
        ("https://hooks.operator.example/", {"hooks.operator.example": [PUBLIC, "10.0.0.7"]}),
        ("http://localhost:8000/", {"localhost": ["127.0.0.1", "::1"]}),
        ("http://169.254.169.254/latest/meta-data/", {}),
        ("http://[::1]:9000/", {}),
    ],
)
def test_a_delivery_inside_the_operators_network_is_refused_for_good(
    url: str, names: dict[str, list[str]]
) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(DeliveryFailed) as refused:
        send(sender(names, seen), url)
    assert refused.value.permanent
    assert "not a public address" in refused.value.detail
    assert seen == []


def test_the_desks_setting_lets_deliveries_reach_its_own_network_as_addressed() -> None:
    seen: list[httpx.Request] = []
    s = sender({}, seen, private_addresses=True)
    assert send(s, "http://crm.internal:8000/hooks") == 204
    assert (seen[0].url.host, seen[0].headers["host"]) == ("crm.internal", "crm.internal:8000")


def test_a_name_that_does_not_resolve_is_tried_again_later() -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(DeliveryFailed) as failed:
        send(sender({}, seen), "https://gone.operator.example/")
    assert not failed.value.permanent
    assert "cannot resolve gone.operator.example" in failed.value.detail
    assert seen == []

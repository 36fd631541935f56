"""Reply templates fill their placeholders as plain text, once, and nothing in them runs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from complaintdesk.macros.rendering import placeholders_in, substitute, unknown_placeholders

VALUES = {"name": "Ivan", "reference": "CMP-2222-3333", "deadline": "26 Nov 2026, 14:00 UTC"}


def test_known_placeholders_are_filled_and_the_rest_left_for_the_agent() -> None:
    text = "Dear {name}, case {reference} is answered by {deadline}. Owed: {amount_owed}."
    assert substitute(text, VALUES) == (
        "Dear Ivan, case CMP-2222-3333 is answered by 26 Nov 2026, 14:00 UTC. Owed: {amount_owed}."
    )
    assert placeholders_in(text) == ["name", "reference", "deadline", "amount_owed"]
    assert unknown_placeholders("Hi {name} {nmae} {{ config }}") == ["nmae"]


def test_values_are_never_read_again_as_templates() -> None:
    hostile = {"name": "{reference} {{ 7*7 }} {% raw %} <script>", "reference": "CMP-2222-3333"}
    filled = substitute("Dear {name} ({reference})", hostile)
    assert filled == "Dear {reference} {{ 7*7 }} {% raw %} <script> (CMP-2222-3333)"
    assert "49" not in substitute("{{ 7*7 }} {name}", VALUES)


@given(st.text(max_size=200), st.text(max_size=50))
def test_substitution_only_ever_inserts_the_values(text: str, name: str) -> None:
    filled = substitute(text, {"name": name})
    assert filled == text.replace("{name}", name) if name else filled == text

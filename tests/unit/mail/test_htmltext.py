"""HTML-only mail as readable text."""

from __future__ import annotations

from complaintdesk.mail.htmltext import html_to_text
from complaintdesk.mail.quotes import strip_quoted


def test_structure_links_and_entities() -> None:
    html = (
        "<html><head><title>x</title><style>p{color:red}</style></head><body>"
        "<p>Hello,<br>my bet <b>778812</b> was&nbsp;settled &amp; lost.</p>"
        "<ul><li>stake 50 EUR</li><li>odds 2.10</li></ul>"
        '<div>See <a href="https://bets.example/1">the bet</a> and '
        '<a href="https://bets.example/2">https://bets.example/2</a></div>'
        "<script>alert('x')</script><table><tr><td>a</td><td>b</td></tr></table>"
        "</body></html>"
    )
    assert html_to_text(html) == (
        "Hello,\nmy bet 778812 was settled & lost.\n\n"
        "- stake 50 EUR\n- odds 2.10\n\n"
        "See the bet (https://bets.example/1) and https://bets.example/2\n\n"
        "a b"
    )


def test_quoted_history_becomes_quote_lines_that_are_then_stripped() -> None:
    html = (
        "<div>Here it is: 778812</div>"
        '<div class="gmail_quote"><div class="gmail_attr">On Tue, Support wrote:</div>'
        "<blockquote>Please send the coupon</blockquote></div>"
    )
    text = html_to_text(html)
    assert "> Please send the coupon" in text
    assert strip_quoted(text) == "Here it is: 778812"


def test_broken_html_still_gives_its_text() -> None:
    assert html_to_text("<p>one<div>two</p></b>three<li>four") == "one\ntwo\n\nthree\n- four"
    assert html_to_text("") == ""

"""HTML mail bodies to plain text (for mail that has no text part).

Block elements become line breaks, list items ``- `` lines, links keep their address,
scripts and styles vanish, and quoted history (``<blockquote>``, Gmail's and Outlook's
quote containers) becomes ``> `` lines, so that the same quote stripping applies to HTML
and plain-text replies alike.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_PARAGRAPH = {
    "blockquote",
    "dl",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ol",
    "p",
    "pre",
    "table",
    "ul",
}
_BLOCK = {
    "address", "article", "aside", "div", "dl", "dt", "dd", "fieldset", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
    "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_HIDDEN = {"script", "style", "head", "title", "template", "noscript", "svg"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
# Containers mail programs put quoted history in.
_QUOTE_CLASSES = {"gmail_quote", "yahoo_quoted", "moz-cite-prefix"}
_QUOTE_IDS = {"appendonsend", "divrplyfwdmsg", "mail-editor-reference-message-container"}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0
        self.quote_depth = 0
        self.pre = 0
        self.stack: list[tuple[str, bool]] = []  # (tag, opened a quote)
        self.link: str | None = None
        self.link_text: list[str] = []
        self.blank_before = False

    def _break(self, *, paragraph: bool = False) -> None:
        """End the current line; a paragraph also leaves a blank line before what follows."""
        line = "".join(self.current) if self.pre else "".join(self.current).strip()
        self.current = []
        prefix = "> " * self.quote_depth
        if line:
            if self.blank_before and self.lines and self.lines[-1].strip(" >"):
                self.lines.append(prefix.rstrip())
            self.lines.append((prefix + line).rstrip())
            self.blank_before = False
        if paragraph:
            self.blank_before = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag in _HIDDEN:
            self.hidden += 1
        if tag == "br":
            self._break()
            return
        if tag in _VOID:
            return
        quote = tag == "blockquote" or bool(
            _QUOTE_CLASSES & set(attributes.get("class", "").split())
            or attributes.get("id", "").lower() in _QUOTE_IDS
        )
        if tag in _BLOCK or quote:
            self._break(paragraph=tag in _PARAGRAPH or quote)
        if quote:
            self.quote_depth += 1
        if tag == "pre":
            self.pre += 1
        if tag == "li":
            self.current.append("- ")
        if tag in ("td", "th") and self.current:
            self.current.append(" ")
        if tag == "a":
            self.link = attributes.get("href", "")
            self.link_text = []
        self.stack.append((tag, quote))

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        if tag in _VOID:
            return
        # Close up to the matching tag; mail HTML is often badly nested.
        while self.stack:
            open_tag, quote = self.stack.pop()
            if open_tag == "a":
                self._end_link()
            if open_tag in _BLOCK or quote:
                self._break(paragraph=open_tag in _PARAGRAPH or quote)
            if quote:
                self.quote_depth = max(0, self.quote_depth - 1)
            if open_tag == "pre":
                self.pre = max(0, self.pre - 1)
            if open_tag == tag:
                break

    def _end_link(self) -> None:
        href, text = self.link, "".join(self.link_text).strip()
        self.link = None
        if href and href.startswith(("http://", "https://")) and href not in text:
            self.current.append(f" ({href})" if text else href)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            lines = data.split("\n")
            for i, piece in enumerate(lines):
                if i:
                    self._break()
                self.current.append(piece)
            return
        text = re.sub(r"\s+", " ", data)
        if not self.current or "".join(self.current).endswith((" ", "- ")):
            text = text.lstrip()
        self.current.append(text)
        if self.link is not None:
            self.link_text.append(text)

    def text(self) -> str:
        self._break()
        joined = "\n".join(self.lines)
        return re.sub(r"\n{3,}", "\n\n", joined).strip()


def html_to_text(html: str) -> str:
    converter = _Converter()
    try:
        converter.feed(html)
        converter.close()
    except (AssertionError, ValueError):  # pragma: no cover - the parser is lenient
        pass
    return converter.text()

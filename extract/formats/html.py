"""HTML e-mail bodies to text, with the standard library's tokenizer.

Nothing is fetched or executed: tags are only read for where lines break, and script, style
and head content is dropped. Table cells keep a " | " between them so a key-value table in
an e-mail still reads as pairs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = {"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
              "pre", "hr", "section", "article", "header", "footer", "address", "dt", "dd"}
PARAGRAPH_TAGS = {"p", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "hr"}
SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "object", "iframe", "svg"}
MAX_HTML_CHARS = 10_000_000


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.cell = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in ("td", "th"):
            if self.cell:
                self.out.append(" | ")
            self.cell += 1
        elif tag in BLOCK_TAGS:
            self.out.append("\n\n" if tag in PARAGRAPH_TAGS else "\n")
            if tag == "tr":
                self.cell = 0

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.out.append("\n\n" if tag in PARAGRAPH_TAGS else "\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html[:MAX_HTML_CHARS])
    parser.close()
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

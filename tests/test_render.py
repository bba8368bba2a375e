"""Every piece of HTML the kit writes from data goes through briefing.render: markup in data stays text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from briefing import render

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>" onmouseover="alert(2)'


class _Tags(HTMLParser):
    """The tags and attributes a browser would build from the HTML."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(markup: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(markup)
    return parser.tags


def test_markup_in_data_never_becomes_a_tag_an_attribute_or_a_script_link(tmp_path):
    sources = pd.DataFrame(
        {
            "source_id": ["a", "b", "c"],
            "title": [HOSTILE, "Plain", HOSTILE],
            "url": [f"https://example.org/?q={HOSTILE}", "javascript:alert(3)", None],
            "publisher": [HOSTILE, HOSTILE, HOSTILE],
        }
    )
    hostile_file = tmp_path / "x.csv"
    hostile_file.write_text("x")
    written = [
        render.sources_list(["a", "b", "c", "missing", None], sources),
        render.source_link("a", sources),
        render.items_list([HOSTILE, HOSTILE], css_class="x' onclick='alert(4)"),
        render.escaped_table(pd.DataFrame({HOSTILE: [HOSTILE, pd.Timestamp("2020-01-02"), None]})),
        render.download_table([hostile_file], folder=Path(HOSTILE)),
        render.title_link(HOSTILE, HOSTILE),
    ]
    allowed = {"p", "b", "ul", "li", "a", "table", "tr", "th", "td"}
    for markup in written:
        for tag, attrs in _tags(markup):
            assert tag in allowed, (tag, markup)
            assert not any(name.startswith("on") for name in attrs), markup
            if tag == "a":
                assert attrs["href"].startswith(("https://", "../files/")), attrs
        assert "<script" not in markup and "<img" not in markup
    links = render.sources_list(["a", "b"], sources)
    assert links.count("<a ") == 1  # the javascript: address stays text
    assert "2020-01-02" in written[3] and "None" not in written[3] and "nan" not in written[3]


def test_source_links_read_a_sources_table_indexed_by_id_as_they_read_the_table():
    # An app listing many records indexes the sources once and passes that (the incidents explorer).
    sources = pd.DataFrame(
        {
            "source_id": ["a", "b"],
            "title": ["First <report>", "Second"],
            "url": ["https://example.org/a", ""],
            "publisher": ["Office & co", "Press"],
        }
    )
    links = render.source_links(["b", "a", "missing", "b", None], sources)
    assert links == render.source_links(["b", "a", "missing", "b", None], sources.set_index("source_id"))
    assert links == [
        "Second (Press)",
        '<a href="https://example.org/a" target="_blank" rel="noopener">First &lt;report&gt;</a> (Office &amp; co)',
    ]

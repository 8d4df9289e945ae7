"""Markdown to safe HTML: markdown-it-py renders (no raw HTML), nh3 sanitizes against an allow-list.

Rendered once when a post is written and stored in `body_html`; never per request.
"""

import nh3
from markdown_it import MarkdownIt

from forum.mentions.parsing import mentioned_members, mentions_plugin

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)
_md.use(mentions_plugin)  # `@Name#12` links to the member's profile (forum.mentions.parsing)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _demote_headings(html: str) -> str:
    # Page titles are h1/h2; a post's own headings start at h3 so the outline stays in order.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    return html


def render(source: str) -> str:
    html = _demote_headings(_md.render(source or ""))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )


def mentions(source: str) -> list:
    """The active members `source` mentions (links to), each once, in order (forum.mentions)."""
    return mentioned_members(_md, source)

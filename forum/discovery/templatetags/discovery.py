"""{% page_metadata %}: what base.html puts in every page's <head> for search engines, link previews and
installing: the canonical link, `noindex` where the page is not public, OpenGraph and Twitter card tags,
the feeds of the page (<link rel="alternate">), the manifest, and on a public question's page its QAPage
JSON-LD. Titles and descriptions of content appear only on indexable (public) pages; every other page gets
the site's own."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from community.site import absolute_url
from forum.discovery.indexing import canonical_url, is_indexable, url_name
from forum.discovery.structured_data import excerpt, qa_page_script

register = template.Library()

SITE_DESCRIPTION = (
    "Ask health questions, get answers from the community and from verified experts. Not medical advice."
)
RSS = "application/rss+xml"
ATOM = "application/atom+xml"


@dataclass
class Alternate:
    title: str
    type: str
    href: str


def _feeds(title: str, rss_name: str, args=()) -> list[Alternate]:
    return [
        Alternate(f"{title} (RSS)", RSS, absolute_url(reverse(f"discovery:{rss_name}", args=args))),
        Alternate(f"{title} (Atom)", ATOM, absolute_url(reverse(f"discovery:{rss_name}_atom", args=args))),
    ]


def _page_specifics(name: str, context) -> tuple[str, str, str, list[Alternate]]:
    """(title, description, og:type, feeds) of an indexable page."""
    site = settings.SITE_NAME
    if name == "forum:home":
        return site, SITE_DESCRIPTION, "website", _feeds(f"{site}: newest questions", "feed_questions")
    if name == "forum:question":
        question = context["question"]
        return question.title, excerpt(question.body_html), "article", []
    if name == "forum:category":
        category = context["category"]
        feeds = _feeds(f"{site}: {category.name}", "feed_category", [category.slug])
        return category.name, category.description or SITE_DESCRIPTION, "website", feeds
    if name == "forum:tag":
        tag = context["tag"]
        title = f"Questions tagged {tag.name}"
        return (
            title,
            f"{title} on {site}. Not medical advice.",
            "website",
            _feeds(f"{site}: {title}", "feed_tag", [tag.slug]),
        )
    if name == "forum:expert_qa":
        feeds = _feeds(f"{site}: featured expert answers", "feed_featured")
        return "Expert Q&A", "Questions answered by verified experts. Not medical advice.", "website", feeds
    if name == "people:profile":
        member = context["member"]
        feeds = _feeds(f"{site}: answers by {member.public_name}", "feed_expert", [member.pk])
        return member.public_name, f"{member.active_expert.badge_label} on {site}.", "profile", feeds
    return site, SITE_DESCRIPTION, "website", []


def _qa_page(context):
    return qa_page_script(context["question"], list(context.get("answers") or []))


@register.inclusion_tag("discovery/_head.html", takes_context=True)
def page_metadata(context):
    request = context.get("request")
    indexable = is_indexable(request, context)
    name = url_name(request)
    if indexable:
        title, description, og_type, feeds = _page_specifics(name, context)
    else:
        title, description, og_type, feeds = settings.SITE_NAME, SITE_DESCRIPTION, "website", []
    return {
        "indexable": indexable,
        "canonical": canonical_url(request),
        "title": title,
        "description": description,
        "og_type": og_type,
        "image": absolute_url(static("img/icons/icon-512.png")),
        "feeds": feeds,
        "jsonld": _qa_page(context) if indexable and name == "forum:question" else "",
        "SITE_NAME": settings.SITE_NAME,
    }

"""Template tags for trust and safety pieces shown on shared pages."""

import itertools

from django import template

from community import crisis_lines as crisis
from forum.models import Flag
from forum.moderation.sanctions import shown_restriction
from forum.posting.services import skips_review

register = template.Library()
_panel_ids = itertools.count(1)


@register.inclusion_tag("forum/_crisis_panel.html", takes_context=True)
def crisis_panel(context, show=False):
    request = context.get("request")
    country = crisis.country_for(request) if request is not None else ""
    return {"show": show, "resources": crisis.resources(country), "panel_id": next(_panel_ids)}


@register.simple_tag
def restriction_for(user):
    return shown_restriction(user)


@register.inclusion_tag("forum/_flag_form.html", takes_context=True)
def flag_form(context, kind, item):
    """The Flag button and form; nothing for a suspended or banned member (forum.moderation.flags refuses them)."""
    return {
        "restricted": shown_restriction(context.get("user")) is not None,
        "kind": kind,
        "item": item,
        "flag_reasons": Flag.Reason.choices,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def public_duplicates(question):
    """Public questions closed as duplicates of `question` (the other direction of the link)."""
    if getattr(question, "has_public_duplicates", True) is False:
        return []  # known from the page's own query (forum.selectors.question_for_page): no query
    return list(question.duplicates.public().only("pk", "slug", "title"))


@register.filter
def has_urgent_by(answers, user) -> bool:
    """Whether `user` wrote one of `answers` that mentions crisis words (their page then shows resources)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(a.is_urgent and a.author_id == user.pk for a in answers or [])


@register.simple_tag
def skips_review_for(user, kind):
    """Why `user`'s new `kind` ("question" or "answer") skips pre-moderation, or "": the services' own rule
    (forum.posting.services.skips_review), so a form tells each author what applies to them."""

    if not user.is_authenticated:
        return ""
    return skips_review(user, is_answer=kind == "answer")

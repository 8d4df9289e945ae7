"""The "I'm answering this" widget (forum.inbox.claims) for inbox rows and the question page, and "waiting 3 days"."""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from accounts.permissions import acting_expert
from community.live import events
from forum.inbox import claims

register = template.Library()


@register.filter
def short_since(moment) -> str:
    """How long ago, in a few words: "just now", "10 minutes", "3 days"."""
    if not moment:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return "just now"
    return timesince(moment, depth=1)


@register.inclusion_tag("forum/inbox/_claim.html", takes_context=True)
def expert_claim(context, question, claim=None, next_url=""):
    """An inbox row's claim (`claim` read for the whole page), or the question page's (read here)."""
    request = context.get("request")
    return {
        "question": question,
        "claim": claim,
        "user": context["user"],
        "next_url": next_url or (request.get_full_path() if request else ""),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("forum/inbox/_question_claim.html", takes_context=True)
def question_page_claim(context, question):
    """On a public question's page, for acting experts only: who is answering it, the button, and the
    experts-only live stream that keeps both current."""
    request = context["request"]
    shown = question.is_public and question.takes_answers and acting_expert(request.user) is not None
    if not shown:
        return {"shown": False}
    return {
        "shown": True,
        "question": question,
        "claim": claims.current_claim(question.pk),
        "user": request.user,
        "next_url": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "experts_seq": events.current_seqs([events.EXPERTS_STREAM]).get(events.EXPERTS_STREAM, ""),
    }

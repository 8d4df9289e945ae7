"""What each domain change looks like as a live event. Called by services only; fragments are rendered
once per event here, never per subscriber. Public streams only ever carry approved content: pending items
travel on the moderators' stream and the author's own stream.
"""

from django.template.loader import render_to_string

from . import events
from .models import Answer, Question


def _answer_html(answer: Answer) -> str:
    from .selectors import answers_for_page

    answer = answers_for_page(answer.question, viewer=None, only_pk=answer.pk)[0]
    return render_to_string(
        "forum/_answer.html", {"answer": answer, "question": answer.question, "live": True}
    )


def _kind(item) -> str:
    return "question" if isinstance(item, Question) else "answer"


def announce_public(item) -> None:
    """An item became visible to everyone."""
    if isinstance(item, Answer):
        events.publish(
            events.question_stream(item.question_id),
            "answer.new",
            {"answer_id": item.pk},
            html=_answer_html(item),
        )
    else:
        data = {"question_id": item.pk, "category": item.category.slug}
        events.publish(events.HOME_STREAM, "question.new", data)
        events.publish(events.category_stream(item.category.slug), "question.new", data)
        for tag in item.tags.all():
            events.publish(f"feed.tag.{tag.slug}", "question.new", data)


def announce_updated(item) -> None:
    if isinstance(item, Answer):
        events.publish(
            events.question_stream(item.question_id),
            "answer.updated",
            {"answer_id": item.pk},
            html=_answer_html(item),
        )


def announce_withdrawn(item) -> None:
    """An item stopped being public (back to review, hidden): open pages remove it."""
    if isinstance(item, Answer):
        events.publish(events.question_stream(item.question_id), "answer.removed", {"answer_id": item.pk})
    else:
        events.publish(events.question_stream(item.pk), "question.removed", {"question_id": item.pk})


def announce_pending(item) -> None:
    events.publish(events.MODERATION_STREAM, "queue.new", {"kind": _kind(item), "id": item.pk})


def announce_decided(item, moderator) -> None:
    events.publish(
        events.MODERATION_STREAM,
        "queue.decided",
        {"kind": _kind(item), "id": item.pk, "status": item.status, "by": moderator.public_name},
    )

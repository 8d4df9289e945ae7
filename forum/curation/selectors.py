"""The answers that rise, read side: featured expert answers, the Expert Q&A page."""

from forum.models import Answer
from forum.selectors import active_expert_of


def featured_answers():
    """Public featured answers by experts whose verification is active, newest featured first."""
    return (
        Answer.objects.visible_to(None)
        .filter(is_featured=True)
        .filter(active_expert_of("author"))
        .select_related("question", "question__category", "author", "author__expert_credential__specialty")
        .defer("body", "question__body", "question__body_html", "question__search_vector")
        .order_by("-featured_at", "-pk")
    )


def home_featured_answers(limit: int = 4) -> list[Answer]:
    """The home page's "Expert answers" section (one query)."""
    return list(featured_answers()[:limit])


def expert_qa(limit: int = 200) -> list[Answer]:
    """The "Expert Q&A" page: featured answers grouped by their question's category, newest first in each."""
    return list(
        featured_answers().order_by(
            "question__category__position", "question__category__name", "-featured_at"
        )[:limit]
    )

"""The answers that rise, read side: featured expert answers, the Expert Q&A page, questions awaiting an expert."""

from accounts.permissions import acting_expert
from forum.models import Answer, Question
from forum.selectors import active_expert_of, question_list_base


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


def awaiting_expert(expert_user):
    """Public questions addressed to one of the expert's specialties that no expert has answered yet,
    newest first (paginate with `paginate_questions`)."""

    credential = acting_expert(expert_user)
    if credential is None:
        return Question.objects.none()
    return question_list_base().filter(
        for_experts__in=credential.specialties.values("pk"), expert_answer_count=0
    )

"""The read side of the expert's inbox, and which specialties a question can be routed to."""

from django.db.models import Exists, OuterRef, Q

from accounts.models import ExpertCredential, User
from forum.models import Answer, Category, Question, Status
from forum.selectors import active_expert_of


def specialty_ids(credential) -> set[int]:
    """The categories an expert answers for: their main specialty and the others verified with it."""
    return {credential.specialty_id, *credential.specialties.values_list("pk", flat=True)}


def inbox_questions(credential):
    """Public questions waiting for this expert, oldest waiting first (page with `forum.selectors.paginate_questions(..., oldest_first=True)`):
    those of their specialties (by category, or addressed to the specialty) that no active verified expert
    has answered yet, and those addressed to them personally until they answered themselves. Never their own
    questions; never anything that is not public (`Question.objects.public()`)."""
    expert = credential.user
    specialties = specialty_ids(credential)
    public_answers = Answer.objects.filter(question=OuterRef("pk"), status=Status.APPROVED)
    answered_by_expert = Exists(public_answers.filter(active_expert_of("author")))
    answered_by_me = Exists(public_answers.filter(author=expert))
    return (
        Question.objects.public()
        .filter(
            (Q(category__in=specialties) | Q(for_experts__in=specialties)) & ~answered_by_expert
            | Q(addressed_to_expert=expert) & ~answered_by_me
        )
        .exclude(author=expert)
        .select_related("category", "for_experts", "author")
        .defer("body", "body_html", "search_vector")
    )


def specialties_with_experts():
    """Categories with at least one active verified expert: the only ones a question can be routed to."""
    active = ExpertCredential.objects.active()
    return Category.objects.filter(
        Exists(active.filter(specialty=OuterRef("pk"))) | Exists(active.filter(specialties=OuterRef("pk")))
    )


def askable_experts():
    """Members a question can be addressed to personally: those with an active verified credential."""
    return User.objects.filter(Exists(ExpertCredential.objects.active().filter(user=OuterRef("pk"))))

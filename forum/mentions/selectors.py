"""Whom the mention autocomplete suggests: active members whose display name starts with what was typed
(or one of its words does), those who took part in the question first (its asker unless anonymous, the
authors of its public answers except an anonymous asker's own). Never more than LIMIT, one bounded query
each for the participants and the rest."""

from django.db.models import Q

from accounts.models import User
from forum.models import Answer, Question

LIMIT = 8
MAX_TYPED = 30


def _matching(typed: str):
    return User.objects.filter(is_active=True, is_deleted=False).filter(
        Q(display_name__istartswith=typed) | Q(display_name__icontains=f" {typed}")
    )


def participant_ids(question: Question) -> list[int]:
    ids = [] if question.is_anonymous else [question.author_id]
    answers = Answer.objects.public().filter(question=question)
    if question.is_anonymous:
        answers = answers.exclude(author_id=question.author_id)  # would name the anonymous asker
    ids += answers.order_by("created_at").values_list("author_id", flat=True)[:200]
    return list(dict.fromkeys(ids))


def suggestions(*, viewer, typed: str, question: Question | None = None) -> list[User]:
    typed = typed.strip().lstrip("@")[:MAX_TYPED]
    if not typed:
        return []
    matching = _matching(typed).exclude(pk=viewer.pk)
    first: list[User] = []
    if question is not None:
        ids = participant_ids(question)
        by_id = {member.pk: member for member in matching.filter(pk__in=ids)}
        first = [by_id[pk] for pk in ids if pk in by_id][:LIMIT]
    rest = matching.exclude(pk__in=[member.pk for member in first]).order_by("display_name", "pk")
    return first + list(rest[: LIMIT - len(first)])

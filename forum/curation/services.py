"""The answers that rise: the one the asker accepted, and expert answers moderators feature.

Both change reputation (accounts.reputation: accepted +15, featured +25, reversed on undo) with F() updates
in the same transaction, are audited, notify the answer's author and are announced live after commit.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import badges, reputation
from accounts.mfa import powers_unlocked
from community.audit import log as audit
from community.audit.models import AuditEntry
from community.notifications.services import notify
from forum.live.announce import announce_accepted, announce_featured
from forum.models import Answer, Question

FEATURE_PERMISSION = "forum.feature_answer"


def can_feature(user) -> bool:

    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.has_perm(FEATURE_PERMISSION)
        and powers_unlocked(user)
    )


def _short(title: str) -> str:
    return title if len(title) <= 80 else title[:77] + "…"


def _locked_question(question_id: int) -> Question:
    # The row lock makes two changes of the accepted answer (two tabs) happen one after the other.
    return Question.objects.select_for_update().get(pk=question_id)


@transaction.atomic
def accept_answer(*, actor, answer: Answer) -> Question:
    """The asker marks `answer` as the one that helped; it replaces any earlier choice.

    Who: the question's author only (PermissionDenied otherwise), for a public answer by someone else.
    Writes: Question.accepted_answer; reputation +15 to the answer's author (-15 to the previous one);
    the Trusted Member badge if earned. Audit: "accept". Notifies the answer's author ("accepted").
    Event: "answer.accepted" on the question's stream (forum.live.announce_accepted), after commit.
    """
    question = _locked_question(answer.question_id)
    if actor.pk != question.author_id:
        raise PermissionDenied("Only the person who asked can accept an answer.")
    if not Answer.objects.visible_to(None).filter(pk=answer.pk).exists():
        raise PermissionDenied("Only published answers can be accepted.")
    if answer.author_id == actor.pk:
        raise PermissionDenied("You can't accept your own answer.")
    previous_id = question.accepted_answer_id
    if previous_id == answer.pk:
        return question
    question.accepted_answer = answer
    question.save(update_fields=["accepted_answer"])
    if previous_id:
        previous_author_id = Answer.objects.filter(pk=previous_id).values_list("author_id", flat=True).first()
        reputation.adjust(previous_author_id, -reputation.ACCEPTED)
    reputation.adjust(answer.author_id, reputation.ACCEPTED)
    audit.record(actor=actor, action=AuditEntry.Action.ACCEPT, target=answer, subject=answer.author)
    notify(
        answer.author,
        "accepted",
        f"Your answer to “{_short(question.title)}” was accepted by the asker.",
        answer.get_absolute_url(),
    )
    badges.award_badges_for(answer.author, only=badges.ON_ACCEPTED)

    announce_accepted(question, answer)
    return question


@transaction.atomic
def unaccept_answer(*, actor, question: Question) -> Question:
    """The asker withdraws their acceptance (no answer is marked any more).

    Who: the question's author only. Writes: Question.accepted_answer = None; reputation -15 to the
    previously accepted answer's author. Audit: "unaccept". Event: "answer.accepted" with answer_id None.
    """
    question = _locked_question(question.pk)
    if actor.pk != question.author_id:
        raise PermissionDenied("Only the person who asked can change the accepted answer.")
    previous = Answer.objects.filter(pk=question.accepted_answer_id).select_related("author").first()
    if previous is None:
        return question
    question.accepted_answer = None
    question.save(update_fields=["accepted_answer"])
    reputation.adjust(previous.author_id, -reputation.ACCEPTED)
    audit.record(actor=actor, action=AuditEntry.Action.UNACCEPT, target=previous, subject=previous.author)

    announce_accepted(question, None)
    return question


def _locked_answer(answer: Answer) -> Answer:
    return (
        Answer.objects.select_for_update(of=("self",)).select_related("question", "author").get(pk=answer.pk)
    )


@transaction.atomic
def feature_answer(*, moderator, answer: Answer) -> Answer:
    """A moderator features a public answer by a verified expert: it heads the home page's "Expert
    answers", the "Expert Q&A" page, and is highlighted on its question page.

    Who: holders of forum.feature_answer (the Moderators group), not on their own answer.
    Writes: is_featured, featured_at, featured_by; reputation +25 to the expert; the Featured badge.
    Audit: "feature". Notifies the expert ("featured"). Event: "answer.featured" (forum.live.announce).
    """
    if not can_feature(moderator):
        raise PermissionDenied("Only moderators can feature answers.")
    answer = _locked_answer(answer)
    if answer.author_id == moderator.pk:
        raise PermissionDenied("Another moderator must feature your own answer.")
    if not answer.is_public:
        raise ValidationError("Only published answers can be featured.")
    if not answer.author.active_expert:
        raise ValidationError("Only answers by verified experts can be featured.")
    if answer.is_featured:
        return answer
    answer.is_featured, answer.featured_at, answer.featured_by = True, timezone.now(), moderator
    answer.save(update_fields=["is_featured", "featured_at", "featured_by"])
    reputation.adjust(answer.author_id, reputation.FEATURED)
    audit.record(actor=moderator, action=AuditEntry.Action.FEATURE, target=answer, subject=answer.author)
    notify(
        answer.author,
        "featured",
        f"Your answer to “{_short(answer.question.title)}” is featured on the home page.",
        answer.get_absolute_url(),
    )
    badges.award_badges_for(answer.author, only=badges.ON_FEATURED)

    announce_featured(answer)
    return answer


@transaction.atomic
def unfeature_answer(*, moderator, answer: Answer) -> Answer:
    """A moderator takes an answer out of the featured lists.

    Who: holders of forum.feature_answer. Writes: is_featured False (featured_at, featured_by cleared);
    reputation -25 to the author (the Featured badge stays: badges are never taken back).
    Audit: "unfeature". Event: "answer.featured" with featured False.
    """
    if not can_feature(moderator):
        raise PermissionDenied("Only moderators can unfeature answers.")
    answer = _locked_answer(answer)
    if not answer.is_featured:
        return answer
    answer.is_featured, answer.featured_at, answer.featured_by = False, None, None
    answer.save(update_fields=["is_featured", "featured_at", "featured_by"])
    reputation.adjust(answer.author_id, -reputation.FEATURED)
    audit.record(actor=moderator, action=AuditEntry.Action.UNFEATURE, target=answer, subject=answer.author)

    announce_featured(answer)
    return answer

"""Every change to content goes through these functions: views, admin actions, commands and consumers call
them; nothing else writes. Each checks permission, writes inside a transaction, records an audit entry
where a moderator acted, and publishes its live event after commit.
"""

from copy import copy

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts import badges
from accounts.permissions import acting_expert
from community import page_cache
from community.audit import log as audit
from community.audit.models import AuditEntry
from community.notifications.services import notify
from forum.inbox import claims as expert_claims
from forum.inbox import selectors as inbox_selectors
from forum.live.announce import (
    announce_pending,
    announce_question_updated,
    announce_replaced,
    announce_updated,
    announce_urgent,
)
from forum.markdown import render
from forum.mentions.services import notify_mentions
from forum.models import Answer, Category, Question, Revision, Status, is_moderator
from forum.moderation.revisions import record_revision
from forum.moderation.sanctions import ensure_can_participate
from forum.permissions import can_edit
from forum.publication import update_search_vector, went_public
from forum.safety import screening


class SkipsReview:
    """Why an author's posts are published at once (see `skips_review`)."""

    MODERATOR = "moderator"
    EXPERT = "expert"
    TRUSTED = "trusted"


def skips_review(author, *, is_answer: bool) -> str:
    """Why `author`'s new question (or answer) is published without a moderator reading it first: a
    `SkipsReview` value, or "" when it is reviewed. The one rule `ask`/`answer`/edits apply and the forms
    describe to their author (screening can still send a single post to the queue)."""
    if is_moderator(author):
        return SkipsReview.MODERATOR
    if is_answer and settings.FORUM_EXPERT_ANSWERS_SKIP_REVIEW and acting_expert(author):
        return SkipsReview.EXPERT
    if settings.FORUM_TRUSTED_SKIP_REVIEW and _is_trusted(author):
        return SkipsReview.TRUSTED
    return ""


def _requires_review(author, *, is_answer: bool) -> bool:
    return not skips_review(author, is_answer=is_answer)


def _is_trusted(user) -> bool:
    return badges.is_trusted(user)


def _clean_tags(tags) -> list[str]:
    cleaned = []
    for tag in tags or []:
        tag = slugify(str(tag))[:50]
        if tag and tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > settings.FORUM_MAX_TAGS:
        raise ValidationError({"tags": f"Use at most {settings.FORUM_MAX_TAGS} tags."})
    return cleaned


def _require_terms(accepted_terms: bool) -> None:
    if not accepted_terms:
        raise ValidationError({"accept_terms": "Please accept the community terms to post."})


@transaction.atomic
def ask(
    *,
    author,
    title: str,
    body: str,
    category: Category,
    tags=(),
    is_anonymous: bool = False,
    accepted_terms: bool,
    for_experts: Category | None = None,
    addressed_to_expert=None,
) -> Question:
    """A member asks a question. It starts pending (moderators and trusted members excepted) and
    reaches the moderation queue live; it becomes public only through `approve`. It may be addressed to a
    specialty that has a verified expert, and to one verified expert ("Ask this expert")."""
    _require_terms(accepted_terms)
    _require_someone_to_answer(for_experts, addressed_to_expert)
    ensure_can_participate(author)
    # Crisis language, personal data left in and spam signals send the post to the queue (forum.safety.screening).
    screened = screening.screen(author=author, title=title, body=body)
    now = timezone.now()
    needs_review = screened.needs_review or _requires_review(author, is_answer=False)
    status = Status.PENDING if needs_review else Status.APPROVED
    question = Question(
        author=author,
        title=title.strip(),
        slug=slugify(title)[:200] or "question",
        body=body,
        body_html=render(body),
        category=category,
        is_anonymous=is_anonymous,
        for_experts=for_experts,
        addressed_to_expert=addressed_to_expert,
        terms_version=settings.TERMS_VERSION,
        status=status,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        approved_at=now if status == Status.APPROVED else None,
    )
    screening.apply(question, screened)
    question.full_clean()
    tag_names = _clean_tags(tags)
    question.save()
    if tag_names:
        question.tags.set(tag_names)
    if status == Status.APPROVED:
        went_public(question)
    else:
        announce_pending(question)
    if screened.is_urgent:
        announce_urgent(question)
    return question


def _require_someone_to_answer(for_experts, addressed_to_expert) -> None:
    """A question is routed only where a verified expert can read it (forum.inbox.selectors)."""
    if (
        for_experts is not None
        and not inbox_selectors.specialties_with_experts().filter(pk=for_experts.pk).exists()
    ):
        raise ValidationError(
            {"for_experts": "No verified expert answers this specialty yet. Choose another."}
        )
    if addressed_to_expert is not None and not (
        inbox_selectors.askable_experts().filter(pk=addressed_to_expert.pk).exists()
    ):
        raise ValidationError(
            "This expert is no longer verified. Ask the community or another expert instead."
        )


@transaction.atomic
def answer(*, author, question: Question, body: str, accepted_terms: bool) -> Answer:
    """A member replies to an approved question. Members' replies start pending; verified experts'
    skip review when FORUM_EXPERT_ANSWERS_SKIP_REVIEW is on."""
    _require_terms(accepted_terms)
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status != Status.APPROVED:
        raise PermissionDenied("Only approved questions can be answered.")
    if not question.takes_answers:
        raise PermissionDenied("This question is closed to new answers.")
    ensure_can_participate(author)
    screened = screening.screen(author=author, body=body)
    now = timezone.now()
    needs_review = screened.needs_review or _requires_review(author, is_answer=True)
    status = Status.PENDING if needs_review else Status.APPROVED
    item = Answer(
        author=author,
        question=question,
        body=body,
        body_html=render(body),
        terms_version=settings.TERMS_VERSION,
        status=status,
        created_at=now,
        updated_at=now,
        approved_at=now if status == Status.APPROVED else None,
    )
    screening.apply(item, screened)
    item.full_clean()
    item.save()
    if status == Status.APPROVED:
        went_public(item)
        notify_asker_of_answer(item)
    else:
        announce_pending(item)
    if screened.is_urgent:
        announce_urgent(item)
    expert_claims.release(expert=author, question_id=question.pk)  # "I'm answering this" is done
    return item


def notify_asker_of_answer(item: Answer) -> None:
    question = item.question
    if question.author_id == item.author_id:
        return
    expert = item.author.active_expert
    if expert:
        # Announced by the name the expert chose, with their badge: "Dr. Tom Marsh (Conditions Expert) ...".
        kind = "expert_answered"
        text = f"{item.author.public_name} ({expert.badge_label}) answered your question “{question.title}”."
        notify(question.author, kind, text, item.get_absolute_url(), about=question, actor=item.author)
    else:
        text = f"Your question “{question.title}” has a new answer."
        notify(question.author, "answered", text, item.get_absolute_url(), about=question)


def _edit_needs_review(editor, item, screened) -> bool:
    """An author's edit of public content waits for review when its screening found something, or when
    FORUM_REVIEW_EDITS is on and the author's posts need review (moderators and trusted members excepted)."""
    return (
        editor.pk == item.author_id
        and item.status == Status.APPROVED
        and (
            screened.needs_review
            or (settings.FORUM_REVIEW_EDITS and _requires_review(editor, is_answer=isinstance(item, Answer)))
        )
    )


def _locked_for_edit(editor, item):
    """Lock the post's row (a second edit and a moderator's decision wait for each other) and check that
    `editor` may edit it (forum.permissions.can_edit, the rule the edit pages use too)."""
    model = type(item)
    item = model.objects.select_for_update().get(pk=item.pk)
    if isinstance(item, Answer):
        item.question = Question.objects.get(pk=item.question_id)
    if not can_edit(editor, item):
        raise PermissionDenied(f"You cannot edit this {item.kind_name}.")
    ensure_can_participate(editor)
    return item


def _propose(*, editor, item, screened, reason: str, body: str, title: str = "", category=None, tags=()):
    """Keep an author's edit of public content as a proposal for the moderation queue: the post stays as it
    is for everyone. A pending proposal of the same post is replaced (one waits at a time)."""
    for replaced in Revision.objects.filter(**{item.kind_name: item}, status=Revision.State.PENDING):
        replaced.status, replaced.decided_at = Revision.State.REPLACED, timezone.now()
        replaced.save(update_fields=["status", "decided_at"])
        announce_replaced(replaced)
    proposal = Revision(
        **{item.kind_name: item},
        editor=editor,
        title=title,
        body=body,
        reason=reason,
        is_proposal=True,
        category=category,
        tags=list(tags),
        status=Revision.State.PENDING,
        created_at=timezone.now(),
    )
    screening.apply(proposal, screened)
    proposal.save()
    announce_pending(proposal)
    if screened.is_urgent:
        announce_urgent(proposal)
    item.pending_edit = proposal
    return item


def withdraw_pending_edits(*, author) -> int:
    """Drop `author`'s edits awaiting review (their account is being deleted: unpublished text goes with
    it); their posts keep the approved text and open queues mark the cards. Returns how many there were."""
    proposals = list(Revision.objects.filter(editor=author, status=Revision.State.PENDING))
    for proposal in proposals:
        proposal.status = "withdrawn"  # for the event only: the row is deleted
        announce_replaced(proposal)
    Revision.objects.filter(pk__in=[p.pk for p in proposals]).delete()
    return len(proposals)


def apply_edit(item, *, editor, reason: str, body: str, title=None, category=None, tags=None):
    """Change the post's text (with a kept revision of the text before), and tell whoever sees it: a public
    question's search entry, pages and lists; a public answer's open pages."""
    record_revision(item=item, editor=editor, reason=reason)
    now = timezone.now()
    if item.status == Status.APPROVED:
        item.edited_at = now
    item.body, item.body_html, item.updated_at = body, render(body), now
    if isinstance(item, Question):
        item.title, item.category = title.strip(), category
    item.full_clean()
    item.save()
    if isinstance(item, Question):
        item.tags.set(tags)
    if item.status != Status.APPROVED:
        return item
    notify_mentions(item)  # only members the edit newly names (forum.mentions)
    if isinstance(item, Question):
        update_search_vector(item)
        page_cache.question_changed(item.pk, lists=True)  # title, category, tags
        announce_question_updated(item)
    else:
        update_search_vector(item.question)  # an expert's answer is part of its question's entry
        announce_updated(item)
    return item


def _validated_copy(item, **fields):
    """The post as the edit would make it, validated (a proposal is checked like a saved edit)."""
    draft = copy(item)
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.full_clean()
    return draft


@transaction.atomic
def edit_question(
    *, editor, question: Question, title: str, body: str, category: Category, tags=(), reason: str = ""
) -> Question:
    """The author (or a moderator) edits a question (forum.permissions.can_edit says who may).

    An author's edit of a public question that needs review (see `_edit_needs_review`) becomes a proposal:
    the approved version stays public, and `question.pending_edit` is the proposal awaiting a moderator
    (`approve` applies it). Any other edit applies at once, keeping the text before as a revision; the
    author fixing a rejected question resubmits it for review."""
    question = _locked_for_edit(editor, question)
    screened = screening.screen(author=editor, title=title, body=body, exclude=question)
    tag_names = _clean_tags(tags)
    if _edit_needs_review(editor, question, screened):
        _validated_copy(question, title=title.strip(), body=body, category=category)
        return _propose(
            editor=editor, item=question, screened=screened, reason=reason, title=title.strip(), body=body,
            category=category, tags=tag_names,
        )  # fmt: skip
    screening.apply(question, screened)
    # The author fixing a rejected question resubmits it for review.
    resubmitted = editor.pk == question.author_id and question.status == Status.REJECTED
    if resubmitted:
        question.status, question.decided_by, question.decided_at = Status.PENDING, None, None
    apply_edit(
        question, editor=editor, reason=reason, title=title, body=body, category=category, tags=tag_names
    )
    if is_moderator(editor) and editor.pk != question.author_id:
        audit.record(
            actor=editor,
            action=AuditEntry.Action.EDIT,
            target=question,
            subject=question.author,
            reason=reason,
        )
    if resubmitted:
        announce_pending(question)
    if screened.is_urgent and question.status == Status.PENDING:
        announce_urgent(question)
    return question


@transaction.atomic
def edit_answer(*, editor, answer: Answer, body: str, reason: str = "") -> Answer:
    """The author (or a moderator) edits an answer; the same rules as `edit_question`."""
    answer = _locked_for_edit(editor, answer)
    screened = screening.screen(author=editor, body=body, exclude=answer)
    if _edit_needs_review(editor, answer, screened):
        _validated_copy(answer, body=body)
        return _propose(editor=editor, item=answer, screened=screened, reason=reason, body=body)
    screening.apply(answer, screened)
    # The author fixing a rejected answer resubmits it for review.
    resubmitted = editor.pk == answer.author_id and answer.status == Status.REJECTED
    if resubmitted:
        answer.status, answer.decided_by, answer.decided_at = Status.PENDING, None, None
    apply_edit(answer, editor=editor, reason=reason, body=body)
    if is_moderator(editor) and editor.pk != answer.author_id:
        audit.record(
            actor=editor, action=AuditEntry.Action.EDIT, target=answer, subject=answer.author, reason=reason
        )
    if resubmitted:
        announce_pending(answer)
    if screened.is_urgent and answer.status == Status.PENDING:
        announce_urgent(answer)
    return answer

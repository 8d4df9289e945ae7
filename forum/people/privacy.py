"""Forum's part of a member's own data (accounts.privacy): the sections of their download that are content,
and what deleting their account erases of it. Registered by forum.apps.

Only the member's own data: a question's title only while the member may see that question; never a
moderator's or flagger's identity."""

from accounts.privacy import iso
from forum.models import Answer, Appeal, Flag, Question, Sanction, Vote
from forum.posting.services import withdraw_pending_edits


def _export_questions(user):
    """Every question the member asked, whatever its status."""
    return [
        {
            "id": q.pk,
            "title": q.title,
            "body": q.body,
            "category": q.category.name,
            "tags": [t.name for t in q.tags.all()],
            "anonymous": q.is_anonymous,
            "status": q.status,
            "terms_version": q.terms_version,
            "created_at": iso(q.created_at),
            "updated_at": iso(q.updated_at),
        }
        for q in Question.objects.filter(author=user).select_related("category").prefetch_related("tags")
    ]


def _export_answers(user):
    """Every answer the member wrote; a question's title only while the member may see that question."""
    visible_questions = set(Question.objects.visible_to(user).values_list("pk", flat=True))
    return [
        {
            "id": a.pk,
            "question_id": a.question_id,
            "question_title": a.question.title if a.question_id in visible_questions else None,
            "body": a.body,
            "status": a.status,
            "terms_version": a.terms_version,
            "created_at": iso(a.created_at),
            "updated_at": iso(a.updated_at),
        }
        for a in Answer.objects.filter(author=user).select_related("question")
    ]


def _export_votes(user):
    """The member's votes."""
    return [
        {
            "on": "question" if v.question_id else "answer",
            "id": v.question_id or v.answer_id,
            "value": v.value,
            "created_at": iso(v.created_at),
        }
        for v in Vote.objects.filter(voter=user)
    ]


def _export_flags(user):
    """The flags the member raised and how they ended."""
    return [
        {
            "on": "question" if f.question_id else "answer",
            "id": f.question_id or f.answer_id,
            "reason": f.reason,
            "text": f.text,
            "created_at": iso(f.created_at),
            "outcome": f.outcome or None,
        }
        for f in Flag.objects.filter(flagger=user)
    ]


def _export_sanctions(user):
    """Sanctions on the member."""
    return [
        {
            "kind": s.kind,
            "reason": s.reason,
            "created_at": iso(s.created_at),
            "ends_at": iso(s.ends_at),
            "lifted_at": iso(s.lifted_at),
        }
        for s in Sanction.objects.filter(member=user)
    ]


def _export_appeals(user):
    """The member's appeals and their messages."""
    return [
        {
            "state": a.state,
            "created_at": iso(a.created_at),
            "messages": [
                {
                    "from": "moderators" if m.from_moderator else "you",
                    "body": m.body,
                    "at": iso(m.created_at),
                }
                for m in a.messages.all()
            ],
        }
        for a in Appeal.objects.filter(member=user).prefetch_related("messages")
    ]


EXPORT_SECTIONS = (
    ("questions", _export_questions),
    ("answers", _export_answers),
    ("votes", _export_votes),
    ("flags", _export_flags),
    ("sanctions", _export_sanctions),
    ("appeals", _export_appeals),
)


def erase(user) -> None:
    """The member's appeals go; their pending edits are withdrawn (unpublished text), while their published
    posts keep the approved version, shown as by "Deleted member"."""
    Appeal.objects.filter(member=user).delete()
    withdraw_pending_edits(author=user)

"""A member's own data: download it all as JSON, or delete the account.

Export: profile, questions, answers, votes, flags, notifications, moderation notices, sanctions, appeals,
expert applications and badges, only ever the member's own data (no other member's email, no moderator's
or flagger's identity, no title of content the member can no longer see).

Deletion erases personal data (email addresses, name, location, bio, photos, expert documents, two-factor
devices, notifications, appeals, sessions) and keeps the discussion: questions, answers and votes stay,
attributed to "Deleted member" (User.is_deleted, User.public_name).
"""

import logging

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forum import audit
from forum.models import (
    Answer,
    Appeal,
    AuditEntry,
    Flag,
    Notification,
    Question,
    Sanction,
    Vote,
)

from .models import User

log = logging.getLogger(__name__)


def _iso(value):
    return value.isoformat() if value else None


def export_data(user: User) -> dict:
    """Everything the member's download holds, one section each (see the module docstring for what is left out)."""
    data = {"exported_at": _iso(timezone.now())}
    for key, section in EXPORT_SECTIONS:
        data[key] = section(user)
    return data


def _export_profile(user: User):
    """The account: names, addresses, location, photo, reputation, two-factor methods."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "display_name": user.display_name,
        "email": user.email,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "location": user.location,
        "show_location": user.show_location,
        "bio": user.bio,
        "country": user.country,
        "has_photo": bool(user.avatar),
        "reputation": user.reputation,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "two_factor": sorted(set(Authenticator.objects.filter(user=user).values_list("type", flat=True))),
    }


def _export_questions(user: User):
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
            "created_at": _iso(q.created_at),
            "updated_at": _iso(q.updated_at),
        }
        for q in Question.objects.filter(author=user).select_related("category").prefetch_related("tags")
    ]


def _export_answers(user: User):
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
            "created_at": _iso(a.created_at),
            "updated_at": _iso(a.updated_at),
        }
        for a in Answer.objects.filter(author=user).select_related("question")
    ]


def _export_votes(user: User):
    """The member's votes."""
    return [
        {
            "on": "question" if v.question_id else "answer",
            "id": v.question_id or v.answer_id,
            "value": v.value,
            "created_at": _iso(v.created_at),
        }
        for v in Vote.objects.filter(voter=user)
    ]


def _export_flags(user: User):
    """The flags the member raised and how they ended."""
    return [
        {
            "on": "question" if f.question_id else "answer",
            "id": f.question_id or f.answer_id,
            "reason": f.reason,
            "text": f.text,
            "created_at": _iso(f.created_at),
            "outcome": f.outcome or None,
        }
        for f in Flag.objects.filter(flagger=user)
    ]


def _export_notifications(user: User):
    """The member's notifications."""
    return [
        {
            "kind": n.kind,
            "text": n.text,
            "url": n.url,
            "created_at": _iso(n.created_at),
            "read": bool(n.read_at),
        }
        for n in Notification.objects.filter(recipient=user)
    ]


def _export_moderation_notices(user: User):
    """Moderators' decisions about the member's content (never the moderator's identity)."""
    return [
        {
            "action": e.action,
            "about": e.target_label,
            "reason": e.reason,
            "created_at": _iso(e.created_at),
        }
        for e in AuditEntry.objects.filter(subject=user)
    ]


def _export_sanctions(user: User):
    """Sanctions on the member."""
    return [
        {
            "kind": s.kind,
            "reason": s.reason,
            "created_at": _iso(s.created_at),
            "ends_at": _iso(s.ends_at),
            "lifted_at": _iso(s.lifted_at),
        }
        for s in Sanction.objects.filter(member=user)
    ]


def _export_appeals(user: User):
    """The member's appeals and their messages."""
    return [
        {
            "state": a.state,
            "created_at": _iso(a.created_at),
            "messages": [
                {
                    "from": "moderators" if m.from_moderator else "you",
                    "body": m.body,
                    "at": _iso(m.created_at),
                }
                for m in a.messages.all()
            ],
        }
        for a in Appeal.objects.filter(member=user).prefetch_related("messages")
    ]


def _export_badges(user: User):
    """Badges the member earned."""
    return [
        {"badge": b.badge.name, "awarded_at": _iso(b.awarded_at)}
        for b in user.badge_awards.select_related("badge")
    ]


def _export_expert_applications(user: User):
    """The member's expert applications (document names, not the files)."""
    return [
        {
            "profession": app.profession,
            "credentials": app.credentials,
            "institution": app.institution,
            "licence_number": app.licence_number,
            "licence_issuer": app.licence_issuer,
            "status": app.status,
            "created_at": _iso(app.created_at),
            "documents": [d.original_name for d in app.documents.all()],
        }
        for app in user.expert_applications.prefetch_related("documents")
    ]


EXPORT_SECTIONS = (
    ("profile", _export_profile),
    ("questions", _export_questions),
    ("answers", _export_answers),
    ("votes", _export_votes),
    ("flags", _export_flags),
    ("notifications", _export_notifications),
    ("moderation_notices", _export_moderation_notices),
    ("sanctions", _export_sanctions),
    ("appeals", _export_appeals),
    ("badges", _export_badges),
    ("expert_applications", _export_expert_applications),
)


def _user_sessions(user: User):
    wanted = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == wanted:
            yield session.pk


@transaction.atomic
def delete_account(*, user: User, password: str) -> User:
    """The member deletes their own account after confirming their password. Personal data is erased at
    once (files after the commit); their questions and answers stay, shown as by "Deleted member"."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    if not user.is_authenticated or user.is_deleted:
        raise ValidationError("This account is already deleted.")
    if not password or not user.check_password(password):
        raise ValidationError({"password": "That is not your password."})
    files = [(f.storage, f.name) for f in (user.avatar, user.avatar_small) if f]
    for application in user.expert_applications.prefetch_related("documents"):
        files += [(d.file.storage, d.file.name) for d in application.documents.all() if d.file]
    user.expert_applications.all().delete()
    if hasattr(user, "expert_credential"):
        user.expert_credential.delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    Appeal.objects.filter(member=user).delete()
    from forum.services import withdraw_pending_edits

    withdraw_pending_edits(author=user)  # unpublished text; their posts keep the approved version
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = user.last_name = ""
    user.display_name = ""
    user.location, user.show_location, user.bio, user.country = "", False, "", ""
    user.avatar, user.avatar_small = "", ""
    user.is_deleted, user.is_active, user.is_staff, user.is_superuser = True, False, False, False
    user.set_unusable_password()  # also invalidates every session's auth hash
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    Session.objects.filter(pk__in=list(_user_sessions(user))).delete()
    audit.record(actor=None, action="delete_account", target=user, reason="Deleted by the member.")
    log.info("An account was deleted by its member.")
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    from forum import page_cache

    page_cache.everything_changed()  # cached pages must not show the name any longer
    return user

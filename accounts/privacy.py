"""A member's own data: download it all as JSON, or delete the account.

Export: profile, questions, answers, votes, flags, notifications, moderation notices, sanctions, appeals,
expert applications and badges, only ever the member's own data (no other member's email, no moderator's
or flagger's identity, no title of content the member can no longer see).

Deletion erases personal data (email addresses, name, location, bio, photos, expert documents, two-factor
devices, notifications, appeals, sessions) and keeps the discussion: questions, answers and votes stay,
attributed to "Deleted member" (User.is_deleted, User.public_name).
"""

import logging

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from community import page_cache
from community.audit import log as audit
from community.audit.models import AuditEntry
from community.mail.outbox import forget_unsent_to
from community.notifications.models import Notification

from . import tasks
from .models import User

log = logging.getLogger(__name__)


def iso(value):
    return value.isoformat() if value else None


def export_data(user: User) -> dict:
    """Everything the member's download holds, one section each (see the module docstring for what is left out)."""
    data = {"exported_at": iso(timezone.now())}
    for key, section in EXPORT_SECTIONS:
        data[key] = section(user)
    return data


def _export_profile(user: User):
    """The account: names, addresses, location, photo, reputation, two-factor methods."""

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
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "two_factor": sorted(set(Authenticator.objects.filter(user=user).values_list("type", flat=True))),
    }


def _export_notifications(user: User):
    """The member's notifications."""
    return [
        {
            "kind": n.kind,
            "text": n.text,
            "url": n.url,
            "created_at": iso(n.created_at),
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
            "created_at": iso(e.created_at),
        }
        for e in AuditEntry.objects.filter(subject=user)
    ]


def _export_badges(user: User):
    """Badges the member earned."""
    return [
        {"badge": b.badge.name, "awarded_at": iso(b.awarded_at)}
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
            "created_at": iso(app.created_at),
            "documents": [d.original_name for d in app.documents.all()],
        }
        for app in user.expert_applications.prefetch_related("documents")
    ]


EXPORT_SECTIONS = [
    ("profile", _export_profile),
    ("notifications", _export_notifications),
    ("moderation_notices", _export_moderation_notices),
    ("badges", _export_badges),
    ("expert_applications", _export_expert_applications),
]
# What deleting an account also erases beyond this app's rows: functions of the member, run inside the
# deletion's transaction. The content apps register their part (forum.people.privacy).
ERASERS: list = []


def register_export_section(key: str, section) -> None:
    """Add a section (a function of the member returning JSON-ready data) to the member's download."""
    if key not in dict(EXPORT_SECTIONS):
        EXPORT_SECTIONS.append((key, section))


def register_eraser(erase) -> None:
    """Run `erase(user)` when a member deletes their account, inside the same transaction."""
    if erase not in ERASERS:
        ERASERS.append(erase)


def _user_sessions(user: User):
    wanted = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == wanted:
            yield session.pk


@transaction.atomic
def delete_account(*, user: User, password: str) -> User:
    """The member deletes their own account after confirming their password. Personal data is erased at
    once (files after the commit); their questions and answers stay, shown as by "Deleted member"."""

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
    for erase in ERASERS:
        erase(user)
    user.username = f"deleted-{user.pk}"
    forget_unsent_to(user.email)  # emails still waiting in the outbox carry the address
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
    audit.record(
        actor=None, action=AuditEntry.Action.DELETE_ACCOUNT, target=user, reason="Deleted by the member."
    )
    log.info("An account was deleted by its member.")
    tasks.delete_files_after_commit(files)

    page_cache.everything_changed()  # cached pages must not show the name any longer
    return user

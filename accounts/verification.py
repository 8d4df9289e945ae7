"""Expert verification: every write of the expert life cycle, from application to expiry.

pending ──request_more_info──▶ more_info ──reply_to_info_request──▶ pending
pending | more_info ──approve_application──▶ approved (ExpertCredential created or renewed)
pending | more_info ──reject_application──▶ rejected
credential ──revoke_expert──▶ revoked;  credential ──(time)──▶ expired, noticed 30 days before
credential ──(EXPERT_COI_CONFIRM_DAYS)──▶ paused, reminded 30 days before ──reconfirm_statement──▶ active

Each function checks who may call it, writes inside one transaction, records an audit entry
(community.audit.log.record) and notifies the applicant (kind "expert", live on their stream after commit).
Moderators act through the permission accounts.verify_expert. Nobody decides their own application.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from community import page_cache
from community.audit import log as audit
from community.audit.models import AuditEntry
from community.claims import claim
from community.mail.outbox import queue_email
from community.notifications.services import notify
from community.site import absolute_url

from .documents import check_documents, delete_files, store_documents
from .models import COI_NOTICE_DAYS, ExpertApplication, ExpertCredential, coi_confirm_cutoff
from .permissions import can_verify_experts

EXPIRY_NOTICE_DAYS = 30
OPEN = (ExpertApplication.Status.PENDING, ExpertApplication.Status.MORE_INFO)


class ApplicationAlreadyDecided(Exception):
    """Another moderator decided the application first."""

    def __init__(self, application):
        self.application = application
        who = application.decided_by.public_name if application.decided_by else "another moderator"
        super().__init__(f"Already {application.get_status_display().lower()} by {who}.")


def _status_url() -> str:
    return reverse("accounts:expert_application")


def _require_verifier(moderator, application=None) -> None:
    if not can_verify_experts(moderator):
        raise PermissionDenied("Only moderators can review expert applications.")
    if application is not None and application.applicant_id == moderator.pk:
        raise PermissionDenied("Another moderator must review your own application.")


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


@transaction.atomic
def apply_as_expert(
    *,
    applicant,
    profession: str,
    specialties,
    credentials: str,
    institution: str,
    licence_number: str,
    licence_issuer: str,
    conflict_of_interest: str = "",
    documents=(),
) -> ExpertApplication:
    """A member applies to be verified as an expert of one or more specialties (categories).

    Who: any active member without an open application. Writes: the application (pending) and its proof
    documents (PDF/JPEG/PNG checked by content, at most EXPERT_DOCUMENT_MAX_BYTES each, stored privately).
    Audit: "expert_apply". Notifies the applicant that it arrived. Raises ValidationError with every
    problem, and nothing is stored then.
    """
    if not applicant.is_authenticated or not applicant.is_active:
        raise PermissionDenied("Log in to apply.")
    specialties = list(specialties or [])
    if not specialties:
        raise ValidationError({"specialties": "Choose at least one specialty."})
    if ExpertApplication.objects.filter(applicant=applicant, status__in=OPEN).exists():
        raise ValidationError("You already have an application under review.")
    checked = check_documents(documents)
    application = ExpertApplication(
        applicant=applicant,
        profession=(profession or "").strip(),
        credentials=(credentials or "").strip(),
        institution=(institution or "").strip(),
        licence_number=(licence_number or "").strip(),
        licence_issuer=(licence_issuer or "").strip(),
        conflict_of_interest=(conflict_of_interest or "").strip(),
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a second submit raced the first past the check above
        raise ValidationError("You already have an application under review.") from exc
    application.specialties.set(specialties)
    stored = store_documents(application, checked)
    try:
        audit.record(
            actor=applicant, action=AuditEntry.Action.EXPERT_APPLY, target=application, subject=applicant
        )
        notify(
            applicant,
            "expert",
            "We received your expert application. A moderator will review it.",
            _status_url(),
        )
    except Exception:
        delete_files(stored)
        raise
    return application


@transaction.atomic
def request_more_info(*, moderator, application: ExpertApplication, message: str) -> ExpertApplication:
    """A moderator asks the applicant for more information; the applicant sees the request and replies.

    Who: holders of accounts.verify_expert (not on their own application). Writes: status more_info and
    the request. Audit: "expert_more_info" with the request as reason. Notifies the applicant.
    """
    _require_verifier(moderator, application)
    message = _required(message, "message", "Write what you need from the applicant.")
    won = claim(
        ExpertApplication, application.pk, from_status=OPEN,
        status=ExpertApplication.Status.MORE_INFO, info_request=message, updated_at=timezone.now(),
    )  # fmt: skip
    if not won:
        raise ApplicationAlreadyDecided(_fresh(application))
    application.refresh_from_db()
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.EXPERT_MORE_INFO,
        target=application,
        reason=message,
        subject=application.applicant,
    )
    notify(
        application.applicant,
        "expert",
        "A moderator needs more information about your expert application.",
        _status_url(),
    )
    return application


@transaction.atomic
def reply_to_info_request(
    *, applicant, application: ExpertApplication, reply: str, documents=(), conflict_of_interest: str = ""
) -> ExpertApplication:
    """The applicant answers a request for more information (optionally with more documents); the
    application goes back to the moderators' queue.

    Who: the applicant, while the status is more_info. Writes: the reply, new documents, status pending,
    and a conflict-of-interest statement when given (an application sent before one was required).
    Audit: "expert_reply" (the reply text stays on the application, not in the log).
    """
    if application.applicant_id != applicant.pk:
        raise PermissionDenied("This is not your application.")
    reply = _required(reply, "reply", "Write your answer to the moderator.")
    checked = check_documents(documents)
    won = claim(
        ExpertApplication, application.pk, from_status=ExpertApplication.Status.MORE_INFO,
        status=ExpertApplication.Status.PENDING, applicant_reply=reply, updated_at=timezone.now(),
        **({"conflict_of_interest": statement[:1000]} if (statement := conflict_of_interest.strip()) else {}),
    )  # fmt: skip
    if not won:
        raise ValidationError("This application is not waiting for your reply.")
    application.refresh_from_db()
    stored = store_documents(application, checked)
    try:
        audit.record(
            actor=applicant, action=AuditEntry.Action.EXPERT_REPLY, target=application, subject=applicant
        )
    except Exception:
        delete_files(stored)
        raise
    return application


def _fresh(application) -> ExpertApplication:
    return ExpertApplication.objects.select_related("decided_by").get(pk=application.pk)


def _decide(*, moderator, application, status: str, reason: str = "") -> ExpertApplication:
    now = timezone.now()
    # Of two moderators deciding at once, exactly one claims the open row.
    won = claim(
        ExpertApplication, application.pk, from_status=OPEN,
        status=status, decided_by=moderator, decided_at=now, decision_reason=reason, updated_at=now,
    )  # fmt: skip
    if not won:
        raise ApplicationAlreadyDecided(_fresh(application))
    application.refresh_from_db()
    return application


@transaction.atomic
def approve_application(*, moderator, application: ExpertApplication) -> ExpertCredential:
    """A moderator verifies the applicant as an expert.

    Who: holders of accounts.verify_expert (not on their own application). Writes: the application
    (approved) and the member's ExpertCredential, created or renewed from it: specialties, credentials,
    conflict of interest, verified_until = now + EXPERT_VERIFICATION_DAYS, any revocation or expiry notice
    cleared. Audit: "expert_approve". Notifies the new expert. Raises ApplicationAlreadyDecided if another
    moderator decided first.
    """
    _require_verifier(moderator, application)
    if not application.conflict_of_interest.strip():
        raise ValidationError(
            {
                "message": "This application has no conflict-of-interest statement. Ask the applicant for "
                "one (it may be 'None declared') before verifying them."
            }
        )
    application = _decide(moderator=moderator, application=application, status="approved")
    specialties = list(application.specialties.order_by("position", "name"))
    now = timezone.now()
    credential, _created = ExpertCredential.objects.update_or_create(
        user=application.applicant,
        defaults={
            "profession": application.profession,
            "specialty": specialties[0],
            "credentials": application.credentials,
            "institution": application.institution,
            "conflict_of_interest": application.conflict_of_interest,
            "verified_at": now,
            "verified_until": now + timedelta(days=settings.EXPERT_VERIFICATION_DAYS),
            "verified_by": moderator,
            "revoked_at": None,
            "revoke_reason": "",
            "expiry_notice_sent_at": None,
            "coi_confirmed_at": now,
            "coi_notice_sent_at": None,
        },
    )
    credential.specialties.set(specialties)
    page_cache.everything_changed()  # the expert badge beside their answers, on every page
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.EXPERT_APPROVE,
        target=application,
        subject=application.applicant,
    )
    notify(
        application.applicant,
        "expert",
        f"You are now a verified {credential.badge_label}, until {credential.verified_until:%d %B %Y}.",
        application.applicant.get_absolute_url(),
    )
    return credential


# The name the architecture sketch uses for the same action.
verify_expert = approve_application


@transaction.atomic
def reject_application(*, moderator, application: ExpertApplication, reason: str) -> ExpertApplication:
    """A moderator turns an application down with a reason the applicant sees.

    Who: holders of accounts.verify_expert (not on their own application). Writes: status rejected and
    the reason. Audit: "expert_reject" with the reason. Notifies the applicant.
    """
    _require_verifier(moderator, application)
    reason = _required(reason, "reason", "Give the applicant a reason.")
    application = _decide(moderator=moderator, application=application, status="rejected", reason=reason)
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.EXPERT_REJECT,
        target=application,
        reason=reason,
        subject=application.applicant,
    )
    notify(
        application.applicant,
        "expert",
        f"Your expert application was not approved: {reason}",
        _status_url(),
    )
    return application


@transaction.atomic
def revoke_expert(*, moderator, credential: ExpertCredential, reason: str) -> ExpertCredential:
    """A moderator withdraws a verification: the badge disappears at once and the expert's answers lose
    their priority.

    Who: holders of accounts.verify_expert (not their own). Writes: revoked_at and the reason.
    Audit: "expert_revoke" with the reason. Notifies the member.
    """
    _require_verifier(moderator)
    if credential.user_id == moderator.pk:
        raise PermissionDenied("Another moderator must revoke your own verification.")
    reason = _required(reason, "reason", "Give the expert a reason.")
    won = claim(
        ExpertCredential.objects.filter(revoked_at__isnull=True), credential.pk,
        revoked_at=timezone.now(), revoke_reason=reason,
    )  # fmt: skip
    if not won:
        raise ValidationError("This verification is already revoked.")
    credential.refresh_from_db()
    page_cache.everything_changed()  # the badge disappears at once, cached pages included
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.EXPERT_REVOKE,
        target=credential,
        reason=reason,
        subject=credential.user,
    )
    notify(credential.user, "expert", f"Your expert verification was withdrawn: {reason}", _status_url())
    return credential


def expiring_credentials(now=None):
    """Active credentials that end within EXPIRY_NOTICE_DAYS and whose expert was not told yet."""
    now = now or timezone.now()
    return ExpertCredential.objects.active(now).filter(
        verified_until__lte=now + timedelta(days=EXPIRY_NOTICE_DAYS), expiry_notice_sent_at__isnull=True
    )


@transaction.atomic
def send_expiry_notice(*, credential: ExpertCredential, now=None) -> bool:
    """Tell an expert their verification ends within 30 days, once.

    Who: the `notify_expiring_experts` command, and the expert's own profile and application pages
    (so the notice does not depend on a scheduler). Writes: expiry_notice_sent_at, by a conditional UPDATE,
    so two callers at once send one notice. Audit: "expert_expiry_notice" (no actor). Returns whether
    this call sent it.
    """
    now = now or timezone.now()
    won = claim(expiring_credentials(now), credential.pk, expiry_notice_sent_at=now)
    if not won:
        return False
    credential.refresh_from_db()
    audit.record(
        actor=None, action=AuditEntry.Action.EXPERT_EXPIRY_NOTICE, target=credential, subject=credential.user
    )
    notify(
        credential.user,
        "expert",
        f"Your expert verification ends on {credential.verified_until:%d %B %Y}. "
        "Apply again to renew it before then.",
        reverse("accounts:expert_apply"),
    )
    return True


def notify_expiring_experts(now=None) -> int:
    """Send every due expiry notice and conflict-of-interest reminder; returns how many were sent (0 when
    run again)."""
    now = now or timezone.now()
    sent = 0
    for credential in expiring_credentials(now).select_related("user", "specialty"):
        sent += send_expiry_notice(credential=credential, now=now)
    for credential in statements_due(now).select_related("user"):
        sent += send_statement_reminder(credential=credential, now=now)
    return sent


def statements_due(now=None):
    """Active credentials whose conflict-of-interest statement must be re-confirmed within COI_NOTICE_DAYS
    and whose expert was not reminded since their last confirmation."""
    now = now or timezone.now()
    soon = coi_confirm_cutoff(now + timedelta(days=COI_NOTICE_DAYS))
    return (
        ExpertCredential.objects.active(now)
        .filter(coi_notice_sent_at__isnull=True)
        .filter(Q(coi_confirmed_at__lte=soon) | Q(coi_confirmed_at__isnull=True, verified_at__lte=soon))
    )


@transaction.atomic
def send_statement_reminder(*, credential: ExpertCredential, now=None) -> bool:
    """Remind an expert, once per confirmation, that their conflict-of-interest statement is due.

    Who: the daily `notify_expiring_experts` task and the expert's own profile page. Writes:
    coi_notice_sent_at by a conditional UPDATE (two callers at once send one reminder). Audit:
    "expert_expiry_notice" with the reason (no actor). Notifies the expert, and emails them through the
    outbox (keyed by credential and confirmation, so never twice). Returns whether this call sent it.
    """
    now = now or timezone.now()
    if not claim(statements_due(now), credential.pk, coi_notice_sent_at=now):
        return False
    credential.refresh_from_db()
    audit.record(
        actor=None,
        action=AuditEntry.Action.EXPERT_EXPIRY_NOTICE,
        target=credential,
        reason="Conflict-of-interest statement due for re-confirmation",
        subject=credential.user,
    )
    text = (
        f"Please re-confirm your conflict-of-interest statement by {credential.coi_due_at:%d %B %Y}. "
        "If you have not by then, your expert badge is paused until you do."
    )
    notify(credential.user, "expert", text, reverse("accounts:expert_statement"))
    if credential.user.email and not credential.user.is_deleted:
        # Kind "expert" is not among the emailed notification kinds: this reminder is, always, through the
        # outbox, once per confirmation (the key).
        link = absolute_url(reverse("accounts:expert_statement"))
        message = EmailMessage(
            f"[{settings.SITE_NAME}] Please re-confirm your conflict-of-interest statement",
            f"Hello {credential.user.public_name},\n\n{text}\n\nRe-confirm it here (one click, you may "
            f"also reword it): {link}\n",
            None,
            [credential.user.email],
        )
        confirmed = (credential.coi_confirmed_at or credential.verified_at).timestamp()
        queue_email(message, key=f"coi-reminder:{credential.pk}:{confirmed:.0f}")
    return True


@transaction.atomic
def reconfirm_statement(*, expert, statement: str) -> ExpertCredential:
    """An expert re-confirms (and may reword) their conflict-of-interest statement, which restarts the
    EXPERT_COI_CONFIRM_DAYS period; a paused badge returns at once.

    Who: the credential's own member, while the verification stands (not revoked or expired). Writes: the
    statement, coi_confirmed_at, the reminder cleared. Every cached page is refreshed (the statement and
    badge beside their answers). Audit: none (a new AuditEntry action needs an audit migration); the
    confirmation date is the record. Raises ValidationError for an empty statement.
    """
    statement = _required(statement, "statement", "Write your statement, or choose 'None declared'.")
    if len(statement) > 1000:
        raise ValidationError({"statement": "Keep the statement under 1000 characters."})
    credential = ExpertCredential.objects.verified().filter(user=expert).first()
    if credential is None:
        raise PermissionDenied("Only a verified expert can confirm a statement.")
    ExpertCredential.objects.filter(pk=credential.pk).update(
        conflict_of_interest=statement, coi_confirmed_at=timezone.now(), coi_notice_sent_at=None
    )
    credential.refresh_from_db()
    page_cache.everything_changed()  # the badge and the statement beside their answers, on every page
    return credential


def notice_on_read(user) -> None:
    """Called when an expert looks at their own profile or application page: send a due expiry notice now
    rather than waiting for the daily command."""
    credential = getattr(user, "active_expert", None)
    if credential is not None and credential.expires_soon and credential.expiry_notice_sent_at is None:
        send_expiry_notice(credential=credential)
    if credential is not None and credential.coi_due_soon and credential.coi_notice_sent_at is None:
        send_statement_reminder(credential=credential)


def record_document_download(*, moderator, document) -> None:
    """Downloading a proof document is an access to personal data: it is audited ("expert_document")."""
    audit.record(
        actor=moderator,
        action=AuditEntry.Action.EXPERT_DOCUMENT,
        target=document.application,
        reason=f"Downloaded document #{document.pk}",
        subject=document.application.applicant,
    )

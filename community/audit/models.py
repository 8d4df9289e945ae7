"""The audit log: who did what to which item, when and why, for every moderation and expert decision.

Shared by both apps (forum's moderation, accounts' expert verification and account deletion); written only
through `community.audit.log.record`, read-only everywhere else (admin, the moderators' audit page)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who did what to which item, when and why. Written by services only; read-only everywhere."""

    class Action(models.TextChoices):
        """What happened, with the name moderators read; the stored strings never change."""

        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        EDIT = "edit", "Edited"
        APPROVE_EDIT = "approve_edit", "Edit approved"
        REJECT_EDIT = "reject_edit", "Edit rejected"
        HIDE = "hide", "Hidden"
        UNHIDE = "unhide", "Unhidden"
        AUTO_HIDE = "auto_hide", "Hidden after flags"
        KEEP_HIDDEN = "keep_hidden", "Kept hidden after flags"
        DISMISS_FLAGS = "dismiss_flags", "Flags dismissed"
        DELETE = "delete", "Deleted"
        RESTORE = "restore", "Restored"
        LOCK = "lock", "Locked"
        UNLOCK = "unlock", "Unlocked"
        CLOSE_DUPLICATE = "close_duplicate", "Closed as a duplicate"
        REOPEN = "reopen", "Reopened"
        ACCEPT = "accept", "Answer accepted"
        UNACCEPT = "unaccept", "Acceptance withdrawn"
        FEATURE = "feature", "Answer featured"
        UNFEATURE = "unfeature", "Answer no longer featured"
        WARN = "warn", "Member warned"
        SUSPEND = "suspend", "Member suspended"
        BAN = "ban", "Member banned"
        LIFT = "lift", "Sanction lifted"
        CLOSE_APPEAL = "close_appeal", "Appeal closed"
        EXPERT_APPLY = "expert_apply", "Expert application sent"
        EXPERT_MORE_INFO = "expert_more_info", "Expert application: more information asked"
        EXPERT_REPLY = "expert_reply", "Expert application: applicant replied"
        EXPERT_APPROVE = "expert_approve", "Expert approved"
        EXPERT_REJECT = "expert_reject", "Expert application rejected"
        EXPERT_REVOKE = "expert_revoke", "Expert status revoked"
        EXPERT_EXPIRY_NOTICE = "expert_expiry_notice", "Expert verification expiry notice"
        EXPERT_DOCUMENT = "expert_document", "Expert document downloaded"
        DELETE_ACCOUNT = "delete_account", "Account deleted"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, db_index=True, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_label = models.CharField(max_length=240, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The member the action concerns.",
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "forum_auditentry"  # moved from forum with a state-only migration: no row moves
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

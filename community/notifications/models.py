"""Member notifications (the notification centre) and each member's email preferences.

Shared by both apps: forum tells members about their posts, accounts about badges and expert verification.
Written through `community.notifications.services.notify`."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    class Kind(models.TextChoices):
        APPROVED = "approved", "Your post was approved"
        REJECTED = "rejected", "Your post was rejected"
        ANSWERED = "answered", "Your question got an answer"
        EXPERT_ANSWERED = "expert_answered", "An expert answered your question"
        ACCEPTED = "accepted", "Your answer was accepted"
        FEATURED = "featured", "Your answer was featured"
        BADGE = "badge", "You earned a badge"
        EXPERT = "expert", "Expert verification"
        MODERATION = "moderation", "Moderation notice"
        EXPERT_QUESTION = "expert_question", "A new question for you as an expert"
        MENTIONED = "mentioned", "You were mentioned"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "forum_notification"  # moved from forum with a state-only migration: no row moves
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")
        ]

    def __str__(self):
        return self.text


class NotificationPreference(models.Model):
    """Which notifications a member also wants by email (community.notifications.services). A member without a row gets
    the defaults. Emails carry no health content beyond the question's title."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_expert_answered = models.BooleanField(
        "Email me when a verified expert answers my question", default=True
    )
    email_decisions = models.BooleanField(
        "Email me when a moderator approves or rejects my post", default=True
    )
    email_answered = models.BooleanField("Email me when a member answers my question", default=False)

    class ExpertAlerts(models.TextChoices):
        IMMEDIATELY = "immediately", "Immediately: a notification and an email for each question"
        DAILY = "daily", "Once a day: a notification for each question and one summary email"
        NEVER = "never", "Never: I look at my inbox myself"

    # Verified experts only (forum.alerts): new public questions in their specialties or asked of them.
    expert_alerts = models.CharField(
        "New questions for me as an expert",
        max_length=12,
        choices=ExpertAlerts.choices,
        default=ExpertAlerts.IMMEDIATELY,
        db_default=ExpertAlerts.IMMEDIATELY,
    )

    class Meta:
        db_table = "forum_notificationpreference"  # moved from forum with a state-only migration

    def __str__(self):
        return f"Notification preferences of {self.user_id}"

    def wants_email(self, kind: str) -> bool:
        return {
            Notification.Kind.EXPERT_ANSWERED: self.email_expert_answered,
            Notification.Kind.APPROVED: self.email_decisions,
            Notification.Kind.REJECTED: self.email_decisions,
            Notification.Kind.ANSWERED: self.email_answered,
            Notification.Kind.EXPERT_QUESTION: self.expert_alerts == self.ExpertAlerts.IMMEDIATELY,
        }.get(kind, False)

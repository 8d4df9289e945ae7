"""A member's bookmark of one question or answer, with a note only they read (imported by forum.models)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

NOTE_MAX_LENGTH = 500


class Saved(models.Model):
    """One member's saved question or answer (exactly one of the two), at most once each."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_posts")
    # By name, not by import: forum.models imports this module at its end.
    question = models.ForeignKey(
        "forum.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        "forum.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True, help_text="Private: only you see it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "forum"
        verbose_name = "saved post"
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="saved_targets_one_post",
            ),
            models.UniqueConstraint(
                fields=["member", "question"], condition=Q(question__isnull=False), name="saved_question_once"
            ),
            models.UniqueConstraint(
                fields=["member", "answer"], condition=Q(answer__isnull=False), name="saved_answer_once"
            ),
        ]
        indexes = [models.Index(fields=["member", "-id"], name="saved_member_newest_idx")]

    def __str__(self):
        return f"Saved {self.kind} by {self.member_id}"

    @property
    def kind(self) -> str:
        return "question" if self.question_id else "answer"

    @property
    def post(self):
        return self.question if self.question_id else self.answer

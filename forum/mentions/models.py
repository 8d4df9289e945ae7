"""The record of who was told of a mention, so an edit naming them again tells nobody twice (imported by
forum.models). A post is named by its kind ("question", "answer"; a future "comment") and id, so any kind of
post can use it without a foreign key per kind."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Mention(models.Model):
    post_kind = models.CharField(max_length=20)
    post_id = models.PositiveBigIntegerField()
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "forum"
        constraints = [
            models.UniqueConstraint(fields=["post_kind", "post_id", "member"], name="mention_once_per_post")
        ]

    def __str__(self):
        return f"{self.post_kind} {self.post_id} → member {self.member_id}"

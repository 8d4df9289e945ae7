from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Questions and answers"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Sanction
        from .sanctions import sanction_changed

        # A member's shown restriction (forum.sanctions.shown_restriction) is cached: read it again on change.
        post_save.connect(sanction_changed, sender=Sanction, dispatch_uid="sanction-saved")
        post_delete.connect(sanction_changed, sender=Sanction, dispatch_uid="sanction-deleted")

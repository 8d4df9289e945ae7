from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Questions and answers"

    def ready(self):
        # Imported here, not at module level: models may be imported only once the app registry is ready.
        from django.db.models.signals import post_delete, post_save

        from accounts import badges, privacy, reputation
        from forum.models import Sanction
        from forum.moderation.sanctions import sanction_changed
        from forum.people import badges as people_badges
        from forum.people import privacy as people_privacy
        from forum.people import reputation as people_reputation
        from forum.saving import services as saving

        # A member's shown restriction (forum.moderation.sanctions.shown_restriction) is cached: read it again on change.
        post_save.connect(sanction_changed, sender=Sanction, dispatch_uid="sanction-saved")
        post_delete.connect(sanction_changed, sender=Sanction, dispatch_uid="sanction-deleted")

        # accounts knows people, not content: forum tells it what content counts for badges and reputation,
        # what of it a member's data download holds, and what deleting an account erases.
        badges.register_public_posts(
            questions=people_badges.public_questions, answers=people_badges.public_answers
        )
        reputation.register_point_source(people_reputation.points_from_rows)
        for key, section in people_privacy.EXPORT_SECTIONS:
            privacy.register_export_section(key, section)
        privacy.register_eraser(people_privacy.erase)
        privacy.register_export_section("saved", saving.export)  # saved posts and private notes
        privacy.register_eraser(saving.erase)

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from community import page_cache
        from community.site import sync_site

        from .backends import permissions_changed
        from .models import ExpertCredential

        # Who belongs to which group, and which permissions members and groups have: the cached permission
        # sets (accounts.backends) are replaced on the next request after any change.
        user = get_user_model()
        for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(permissions_changed, sender=through, dispatch_uid=f"perms-{through.__name__}")
        for model in (Group, Permission):
            post_save.connect(permissions_changed, sender=model, dispatch_uid=f"perms-save-{model.__name__}")
            post_delete.connect(
                permissions_changed, sender=model, dispatch_uid=f"perms-delete-{model.__name__}"
            )
        # The Site row allauth reads (email greeting, subject, authenticator label) follows the settings.
        post_migrate.connect(sync_site, sender=self, dispatch_uid="sync-site-row")
        # An expert's badge goes when their verification expires, with no event: cached pages are not kept
        # past the next expiry.
        page_cache.register_expiry_source(ExpertCredential.next_expiry)

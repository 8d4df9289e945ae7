"""Authentication backends: Django's and allauth's, with two fewer queries on every member's request.

- The signed-in member is loaded with their expert credential (and its specialty) in the same query: the
  header asks `user.active_expert` on every page.
- Permissions come from one query (the member's own and their groups' together) instead of two; every
  page asks whether the viewer is a moderator (forum.models.is_moderator).

Everything else is the parent class's behaviour, including which users may authenticate.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class FewerQueriesMixin:
    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.select_related("expert_credential__specialty")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj))
            rows = perms.values_list("content_type__app_label", "codename").order_by().distinct()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache


class ModelBackend(FewerQueriesMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(FewerQueriesMixin, AllauthBackend):
    pass

"""Authentication backends: Django's and allauth's, with two fewer queries on every member's request.

- The signed-in member is loaded with their expert credential (and its specialty) in the same query: the
  header asks `user.active_expert` on every page.
- Permissions come from one query (the member's own and their groups' together) instead of two, and are
  kept in the cache, read together with a version token (one round trip): every page asks whether the
  viewer is a moderator (forum.models.is_moderator). Any change to who belongs to which group or which
  permissions a member or group has replaces the token (accounts.apps), so the next request of every
  member reads their permissions from the database again: a moderator whose role is removed loses it on
  their next request.

Everything else is the parent class's behaviour, including which users may authenticate.
"""

import uuid

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q

PERMISSIONS_VERSION = "perms:version"
PERMISSIONS_SECONDS = 600


def permissions_changed(**_kwargs) -> None:
    """Every member's cached permissions are stale (a signal receiver: accounts.apps)."""
    cache.delete(PERMISSIONS_VERSION)


def _cached_permissions(member: str, compute) -> set[str]:
    key = f"perms:{member}"
    found = cache.get_many([PERMISSIONS_VERSION, key])
    version = found.get(PERMISSIONS_VERSION)
    stored = found.get(key)
    if version is not None and isinstance(stored, tuple) and stored[0] == version:
        return stored[1]
    perms = compute()
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(PERMISSIONS_VERSION, version, None):
            return perms  # another request set it meanwhile: store next time
    cache.set(key, (version, perms), PERMISSIONS_SECONDS)
    return perms


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

            def compute() -> set[str]:
                perms = Permission.objects.all()
                if not user_obj.is_superuser:
                    perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj))
                rows = perms.values_list("content_type__app_label", "codename").order_by().distinct()
                return {f"{app_label}.{codename}" for app_label, codename in rows}

            # A superuser has every permission: keyed apart, so losing the flag never reads their set.
            key = f"{user_obj.pk}{'s' if user_obj.is_superuser else ''}"
            user_obj._perm_cache = _cached_permissions(key, compute)
        return user_obj._perm_cache


class ModelBackend(FewerQueriesMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(FewerQueriesMixin, AllauthBackend):
    pass

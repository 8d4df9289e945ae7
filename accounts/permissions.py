"""Who may verify experts (moderators holding accounts.verify_expert; the Moderators group has it) and who is
acting as a verified expert. Both powers need TOTP first (accounts.mfa.powers_unlocked)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .mfa import powers_unlocked

VERIFY_EXPERT = "accounts.verify_expert"


def can_verify_experts(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.has_perm(VERIFY_EXPERT)
        and powers_unlocked(user)
    )


def acting_expert(user):
    """The expert credential `user` may use for expert-only powers (the "awaiting an expert" list, answers
    without review), or None. Their badge shows regardless (`user.active_expert`): it is who they are."""
    if not (user and user.is_authenticated):
        return None
    credential = user.active_expert
    return credential if credential is not None and powers_unlocked(user) else None


def verifier_required(view):
    """Anonymous visitors go to log in; members without the permission get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_verify_experts(request.user):
            raise PermissionDenied("Only moderators can review expert applications.")
        return view(request, *args, **kwargs)

    wrapper.uses_powers = True  # accounts.mfa.PowersNeedMFAMiddleware: moderators need TOTP first
    return wrapper

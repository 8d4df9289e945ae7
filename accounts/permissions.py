"""Who may verify experts: moderators holding accounts.verify_expert (the Moderators group has it)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

VERIFY_EXPERT = "accounts.verify_expert"


def can_verify_experts(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(VERIFY_EXPERT))


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

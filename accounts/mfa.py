"""Two-factor authentication before powers: a moderator or a verified expert must have an active TOTP
authenticator (allauth.mfa) before using any of their powers. Switch: REQUIRE_MFA_FOR_POWERS (default True).

`powers_unlocked(user)` is the one check. Every function that grants a power asks it: "is acting as a
moderator" (forum.models.is_moderator), may feature answers (forum.curation.services.can_feature), may verify
experts (accounts.permissions.can_verify_experts), is acting as an expert
(accounts.permissions.acting_expert). Views, services, admin actions and the WebSocket consumer all go
through those, so a moderator or expert without TOTP is a member everywhere: pages, form posts, htmx
endpoints, edits of other people's posts, appeals, socket streams.

On top of that, this middleware offers the setup: a view counts as "using powers" when it is marked by
`uses_powers` (forum.permissions.moderator_required and accounts.permissions.verifier_required mark
theirs), when its URL name is in POWER_VIEW_NAMES, or when it belongs to the admin site. For someone who
holds powers without TOTP, a GET there is redirected to allauth's setup page (mfa_activate_totp, with a
message); any other method gets 403. The header links to the setup page too (forum.context_processors).
"""

from urllib.parse import urlencode

from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

# Views owned by other modules that only moderators or experts can use.
POWER_VIEW_NAMES = {"forum:feature", "forum:awaiting_expert"}


def uses_powers(view):
    """Mark a view as a moderator's or expert's power (MFA required)."""
    view.uses_powers = True
    return view


def has_powers(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return bool(user.is_staff or user.is_moderator or user.active_expert)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def powers_unlocked(user) -> bool:
    """May `user` use the powers they hold? Yes when REQUIRE_MFA_FOR_POWERS is off or they have a TOTP
    authenticator. Read once per user object (a request, a socket)."""
    if not settings.REQUIRE_MFA_FOR_POWERS:
        return True
    if not (user and user.is_authenticated):
        return False
    unlocked = getattr(user, "_powers_unlocked", None)
    if unlocked is None:
        unlocked = has_totp(user)
        user._powers_unlocked = unlocked
    return unlocked


def powers_need_mfa(user) -> bool:
    """Someone who holds powers but cannot use them until they set up TOTP (pages offer the setup)."""
    return has_powers(user) and not powers_unlocked(user)


def _is_power_view(request, view_func) -> bool:
    if getattr(view_func, "uses_powers", False):
        return True
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return match.app_name == "admin" or match.view_name in POWER_VIEW_NAMES


class PowersNeedMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.REQUIRE_MFA_FOR_POWERS:
            return None
        user = getattr(request, "user", None)
        if not _is_power_view(request, view_func) or not powers_need_mfa(user):
            return None
        setup = reverse("mfa_activate_totp")
        if request.method in ("GET", "HEAD"):
            messages.info(
                request,
                "Moderators and experts protect members' health information: set up two-factor "
                "authentication before you continue.",
            )
            return redirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
        response = render(request, "accounts/mfa_required.html", {"setup_url": setup}, status=403)
        if getattr(request, "htmx", False):
            response["HX-Redirect"] = setup
        return response


# --- The code step (settings.MFA_FORMS) -------------------------------------------------------------------

CODE_ALREADY_USED = "This code was already used. Wait for the next code (up to 30 seconds)."


class _SaysWhenACodeWasUsed:
    """allauth.mfa accepts each TOTP code once (it marks it used in the cache for its 30-second window) and
    refuses a second use as "Incorrect code."; a person who logs in twice within the window (another tab,
    another device) is told to wait for the next code instead."""

    def clean_code(self):
        try:
            return super().clean_code()
        except ValidationError:
            code = self.cleaned_data.get("code", "")
            totp = Authenticator.objects.filter(user=self.user, type=Authenticator.Type.TOTP).first()
            if code and totp is not None and cache.get(TOTP(totp)._get_used_cache_key(code)) is not None:
                raise ValidationError(CODE_ALREADY_USED, code="code_already_used") from None
            raise


class AuthenticateForm(_SaysWhenACodeWasUsed, mfa_forms.AuthenticateForm):
    pass


class ReauthenticateForm(_SaysWhenACodeWasUsed, mfa_forms.ReauthenticateForm):
    pass

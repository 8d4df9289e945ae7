from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError

from forum.models import Answer, Status, is_moderator


def moderator_required(view):
    """Anonymous visitors go to log in; members who are not moderators get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied("Moderators only.")
        return view(request, *args, **kwargs)

    wrapper.uses_powers = True  # accounts.mfa.PowersNeedMFAMiddleware: moderators need TOTP first
    return wrapper


def require_moderator(user) -> None:
    """For services: only moderators may go on."""
    if not is_moderator(user):
        raise PermissionDenied("Only moderators can do this.")


def require_reason(reason: str, *, audience: str = "the author") -> str:
    """Moderator actions need a reason, because the person they concern sees it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": f"Give a reason; {audience} sees it."})
    return reason


def can_edit(user, item) -> bool:
    """May `user` edit the question or answer `item`? Asked by the edit pages and the edit services alike.

    Moderators may edit anything. An author may edit their own post unless it was deleted; an answer only
    while its question is one its author could read as any reader would: approved, or their own question
    awaiting review (not hidden, deleted or rejected)."""
    if user is None or not user.is_authenticated:
        return False
    if is_moderator(user):
        return True
    if item.author_id != user.pk or item.status == Status.DELETED:
        return False
    if isinstance(item, Answer):
        question = item.question
        return question.status == Status.APPROVED or (
            question.status == Status.PENDING and question.author_id == user.pk
        )
    return True

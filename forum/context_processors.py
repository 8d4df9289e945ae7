from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.mfa import powers_need_mfa
from community.live import events
from community.notifications.services import cached_unread_count
from forum.models import Category, is_moderator
from forum.moderation.selectors import pending_count


def community(request):
    """Header data: the moderators' pending count and a member's unread notifications (one query each).

    Lazy: each value is read only if the template shows it, so htmx fragments (a vote widget, a flag
    form) pay for none of it; full pages read them as before."""
    user = getattr(request, "user", None)
    context = {
        "TERMS_VERSION": settings.TERMS_VERSION,
        "SITE_NAME": settings.SITE_NAME,
        "is_moderator": False,
        "nav_categories": SimpleLazyObject(Category.cached_list),
    }
    if user is not None and user.is_authenticated:
        # Live streams of the header counts; their sequences are read before the counts (each count
        # forces them first), so the browser replays anything committed in between
        # (community.live.events.current_seqs).
        moderator = SimpleLazyObject(lambda: is_moderator(user))
        user_stream = events.user_stream(user.pk)
        seqs = SimpleLazyObject(
            lambda: events.current_seqs(
                [user_stream, events.MODERATION_STREAM] if moderator else [user_stream]
            )
        )

        def unread() -> int:
            seqs.get(user_stream)  # the sequence first
            return cached_unread_count(user.pk)

        def pending() -> int:

            seqs.get(events.MODERATION_STREAM)
            return pending_count() if moderator else 0

        context["is_moderator"] = moderator
        # A moderator or expert without TOTP is a member until they set it up: the header offers it.
        context["powers_need_mfa"] = SimpleLazyObject(lambda: powers_need_mfa(user))
        context["live_user_stream"] = user_stream
        context["live_user_seq"] = SimpleLazyObject(lambda: seqs.get(user_stream, ""))
        context["live_moderation_seq"] = SimpleLazyObject(lambda: seqs.get(events.MODERATION_STREAM, ""))
        context["unread_notifications"] = SimpleLazyObject(unread)
        context["pending_review_count"] = SimpleLazyObject(pending)
    return context

from django.conf import settings

from . import events
from .models import Category, Notification, is_moderator


def community(request):
    """Header data: the moderators' pending count and a member's unread notifications (one query each)."""
    user = getattr(request, "user", None)
    context = {
        "TERMS_VERSION": settings.TERMS_VERSION,
        "is_moderator": False,
        "nav_categories": Category.cached_list(),
    }
    if user is not None and user.is_authenticated:
        # Live streams of the header counts; their sequences are read before the counts, so the browser
        # replays anything committed in between (forum.events.current_seqs).
        moderator = is_moderator(user)
        user_stream = events.user_stream(user.pk)
        seqs = events.current_seqs([user_stream, events.MODERATION_STREAM] if moderator else [user_stream])
        context["live_user_stream"] = user_stream
        context["live_user_seq"] = seqs.get(user_stream, "")
        context["live_moderation_seq"] = seqs.get(events.MODERATION_STREAM, "")
        context["unread_notifications"] = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
        if moderator:
            from .selectors import pending_count

            context["is_moderator"] = True
            context["pending_review_count"] = pending_count()
    return context

from django.conf import settings

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
        context["unread_notifications"] = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
        if is_moderator(user):
            from .selectors import pending_count

            context["is_moderator"] = True
            context["pending_review_count"] = pending_count()
    return context

"""Trust-and-safety pages that are not moderator tools: the 403 page that says why (a sanction), the 429 page, and the crisis phrase list the editor's script checks against."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.defaults import permission_denied as django_permission_denied

from forum.moderation import sanctions
from forum.safety import crisis
from forum.safety.ratelimit import too_many_requests as respond


def permission_denied(request, exception=None):
    """The 403 handler: a suspended or banned member sees why and until when; anything else is Django's."""
    if isinstance(exception, sanctions.MemberRestricted):
        template = (
            "forum/_restricted_notice.html" if getattr(request, "htmx", False) else "forum/restricted.html"
        )
        return render(request, template, {"sanction": exception.sanction}, status=403)
    return django_permission_denied(request, exception)


def too_many_requests(request, exception=None):
    """handler429 for allauth's login and sign-up limits (our own limits answer from forum.safety.ratelimit)."""

    return respond(request, retry_after=300)


@require_GET
def crisis_phrases(request):
    response = JsonResponse({"phrases": list(crisis.active_phrases())})
    response["Cache-Control"] = "public, max-age=300"
    return response

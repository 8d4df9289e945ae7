"""The mention autocomplete's suggestions (static/js/mentions.js fetches them while `@name` is typed)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from forum.mentions import selectors
from forum.mentions.parsing import mention_text
from forum.models import Question


@login_required
@require_GET
def suggest(request):
    """Up to eight members for `?q=` (the question's participants first when `?question=` is one the member
    may see; an unknown or hidden question just gives no participants)."""
    question = None
    question_id = request.GET.get("question", "")
    if question_id.isdigit():
        question = Question.objects.visible_to(request.user).filter(pk=int(question_id)).first()
    members = selectors.suggestions(viewer=request.user, typed=request.GET.get("q", ""), question=question)
    response = JsonResponse(
        {"results": [{"id": m.pk, "name": m.public_name, "insert": mention_text(m)} for m in members]}
    )
    response["Cache-Control"] = "private, no-store"
    return response

"""Live preview for the Markdown editor: the server's own renderer, so the preview equals the result."""

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.http import require_POST

from forum.markdown import render

MAX_PREVIEW_CHARS = 20000  # the longest body a question or answer may have


@require_POST
def markdown_preview(request):
    """POST `body` -> the sanitized HTML fragment it will be stored as. Members only; CSRF-protected.

    Anonymous callers get 403 rather than a login redirect: the caller is a script, not a person.
    """
    if not request.user.is_authenticated:
        return HttpResponseForbidden("Log in to preview.")
    body = request.POST.get("body", "")
    if len(body) > MAX_PREVIEW_CHARS:
        return HttpResponseBadRequest(f"Too long to preview: keep it under {MAX_PREVIEW_CHARS} characters.")
    response = HttpResponse(render(body), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response

"""HTTP answers that feature views share: send a visitor to log in (told why) and come back; say why an action was refused, in place for htmx or on a small page."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect


def to_login(request, back: str, why: str):
    """A visitor who is not logged in goes to log in, told why (`why`, shown on the login page), and comes
    back to the post afterwards."""
    messages.info(request, why)
    url = f"{reverse('account_login')}?{urlencode({'next': back})}"
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def refused(request, message: str, back: str, status: int = 403, fragment=None, answer=None):
    """Say why an action was refused: in place for htmx (the vote widget, or a message appended to the
    answer), else on a small page with a link back."""
    if request.htmx:
        template, context = fragment or ("forum/_flash.html", {})
        response = render(
            request, template, {**context, "error": message, "vote_error": message}, status=status
        )
        if answer is not None:
            response["HX-Retarget"] = f"#answer-{answer.pk}"
            response["HX-Reswap"] = "beforeend"
        return response
    return render(request, "forum/refused.html", {"message": message, "back": back}, status=status)

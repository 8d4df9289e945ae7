"""{% draft_owner %}: who a browser draft belongs to, as a token that names no one (static/js/drafts.js).

Drafts stay in the browser (localStorage) and are never sent to the server. On a shared computer, the next
member to log in must not be offered the previous one's health question: each draft is stored under this
token, an HMAC of the member's id that means nothing outside this site and is the same on every page.
"""

from django import template
from django.utils.crypto import salted_hmac

register = template.Library()


@register.simple_tag(takes_context=True)
def draft_owner(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("forum.drafts.owner", str(user.pk)).hexdigest()[:24]

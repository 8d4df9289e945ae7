from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context

from community.redirects import is_safe_redirect


class AccountAdapter(DefaultAccountAdapter):
    """Allauth behaviour specific to this community."""

    def populate_username(self, request, user):
        # Email is the login; the internal username is a random handle so the email never leaks through it.
        import uuid

        user.username = f"m-{uuid.uuid4().hex[:16]}"

    def is_safe_url(self, url):
        # Login, logout, sign-up and MFA `next`s follow the site's one rule (community.redirects).
        return is_safe_redirect(context.request, url)

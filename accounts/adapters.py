import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core import context as allauth_context  # send_mail's `context` argument hides the module
from django.conf import settings
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from community.mail.outbox import queue_email
from community.redirects import is_safe_redirect
from community.site import absolute_url


class AccountAdapter(DefaultAccountAdapter):
    """Allauth behaviour specific to this community."""

    def send_mail(self, template_prefix, email, context):
        # allauth's emails (verification, password reset, ...) go through the outbox like ours: a task sends
        # them after the commit, so no request waits for the mail server (community.mail). The context is
        # the one allauth's own send_mail builds.
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        queue_email(self.render_mail(template_prefix, email, ctx))

    def populate_username(self, request, user):
        # Email is the login; the internal username is a random handle so the email never leaks through it.
        user.username = f"m-{uuid.uuid4().hex[:16]}"

    def is_safe_url(self, url):
        # Login, logout, sign-up and MFA `next`s follow the site's one rule (community.redirects).
        return is_safe_redirect(context.request, url)

    def login(self, request, user):
        # Django records last_login as it logs in, so "never logged in before" is read first: the welcome
        # is shown once, on the first login (often the one that confirms the email).
        first_login = user.last_login is None
        super().login(request, user)
        if first_login:
            welcome = render_to_string(
                "accounts/_welcome.html", {"SITE_NAME": settings.SITE_NAME, "name": user.public_name}
            )
            messages.info(request, mark_safe(welcome.strip()))  # rendered by our template: names escaped

    # Links in allauth's emails point at SITE_URL (community.site), like our own emails, not at whatever
    # host the request that triggered them came in on.
    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key):
        return absolute_url(super().get_reset_password_from_key_url(key))

    def send_account_already_exists_mail(self, email):
        context = {
            "signup_url": absolute_url(reverse("account_signup")),
            "password_reset_url": absolute_url(reverse("account_reset_password")),
        }
        self.send_mail("account/email/account_already_exists", email, context)

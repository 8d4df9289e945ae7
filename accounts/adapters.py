from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Allauth behaviour specific to this community."""

    def populate_username(self, request, user):
        # Email is the login; the internal username is a random handle so the email never leaks through it.
        import uuid

        user.username = f"m-{uuid.uuid4().hex[:16]}"

"""Trust levels derived from reputation."""

TRUSTED_REPUTATION = 500


def is_trusted(user) -> bool:
    return bool(user and user.is_authenticated and user.reputation >= TRUSTED_REPUTATION)

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import UserFactory, make_moderator


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Tests share one Redis under CI; each starts with an empty cache so no state leaks between them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def other_member(db):
    return UserFactory()


@pytest.fixture
def moderator(db):
    return make_moderator(display_name="Morgan")


@pytest.fixture
def member_client(member):
    """A browser session of its own, logged in as `member` (independent of the `client` fixture)."""
    c = Client()
    c.force_login(member)
    return c


@pytest.fixture
def moderator_client(moderator):
    c = Client()
    c.force_login(moderator)
    return c

import pytest
from django.core.cache import cache
from django.test import Client

from community.celery import app as celery_app
from tests.factories import UserFactory, add_totp, make_moderator

pytest_plugins = ["tests.s3_fixtures"]  # moto S3 server fixtures (object-storage tests)


@pytest.fixture(autouse=True)
def _isolated_cache():
    # Tests share one Redis under CI; each starts with an empty cache so no state leaks between them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    # Tasks (every email) run inline at the commit, with or without REDIS_URL, so a test reads mail.outbox
    # right after the commit. tests/tasks/ switches to the background thread or a real worker itself.
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True
    settings.TASKS_IN_PROCESS_INLINE = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every factory user hashes a password; PBKDF2 costs ~0.3 s each, MD5 keeps the suite quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Experts' proof documents go to a throwaway folder, never into the checkout's private_media/.
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture
def admin_user(admin_user):
    # pytest-django's superuser, with the TOTP authenticator every moderator needs (accounts.mfa).
    return add_totp(admin_user)


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

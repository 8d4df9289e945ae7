from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import ExpertCredential, User
from forum.markdown import render
from forum.models import Answer, Category, Question, Status


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Member {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def established_member(**kwargs) -> User:
    """A member whose account is older than FORUM_NEW_MEMBER_DAYS (UserFactory's accounts are brand new)."""

    joined = timezone.now() - timedelta(days=settings.FORUM_NEW_MEMBER_DAYS + 1)
    return UserFactory(date_joined=joined, **kwargs)


def add_totp(user: User) -> User:
    """Give `user` an active TOTP authenticator (allauth.mfa), as a moderator or expert must have before
    using their powers (accounts.mfa, REQUIRE_MFA_FOR_POWERS)."""

    TOTP.activate(user, generate_totp_secret())
    return user


def make_moderator(*, mfa: bool = True, **kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Moderators"))
    if mfa:
        add_totp(user)
    return User.objects.get(pk=user.pk)  # fresh instance: permission cache empty


def category(slug: str = "mental-health") -> Category:
    return Category.objects.get(slug=slug)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question row written directly (no service), for arranging state; flows under test use services."""

    class Meta:
        model = Question

    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"How can I sleep better, question {n}?")
    slug = factory.Sequence(lambda n: f"how-can-i-sleep-better-question-{n}")
    body = "I wake up at night and cannot fall asleep again. What helps?"
    body_html = factory.LazyAttribute(lambda o: render(o.body))
    category = factory.LazyFunction(category)
    status = Status.APPROVED
    terms_version = settings.TERMS_VERSION
    approved_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Status.APPROVED else None)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    author = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    body = "A fixed bedtime and no screens for an hour before bed helped me."
    body_html = factory.LazyAttribute(lambda o: render(o.body))
    status = Status.APPROVED
    terms_version = settings.TERMS_VERSION
    approved_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Status.APPROVED else None)


def make_expert(slug: str = "mental-health", *, days_left: int = 365, mfa: bool = True, **kwargs) -> User:
    """A member with an active expert credential for the category `slug` (arranged directly, no service)."""

    user = UserFactory(**kwargs)
    now = timezone.now()
    credential = ExpertCredential.objects.create(
        user=user,
        profession="Psychiatrist",
        specialty=category(slug),
        credentials="Psychiatrist, Lakeview University Medical School",
        institution="Lakeview University",
        verified_at=now,
        verified_until=now + timedelta(days=days_left),
    )
    credential.specialties.add(category(slug))
    if mfa:
        add_totp(user)
    return User.objects.get(pk=user.pk)

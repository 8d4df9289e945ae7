"""Reputation (incremental, recomputable, exact) and earned badges (awarded once, shown with the date)."""

import random

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import badges, reputation
from accounts.models import Badge, BadgeAward, User
from community.notifications.models import Notification
from forum.curation import services as curation
from forum.models import Question, Status, Vote
from forum.moderation.review import approve
from forum.posting.services import ask
from forum.voting import services as voting
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, category, make_expert

pytestmark = pytest.mark.django_db


def rep(user) -> int:
    return User.objects.values_list("reputation", flat=True).get(pk=user.pk)


def vote(client_or_user, item, value):
    return voting.vote(voter=client_or_user, item=item, value=value)


# --- Reputation rules ---------------------------------------------------------------------------------------


def test_answer_up_vote_is_worth_ten_and_down_vote_costs_two(member, other_member):
    author = UserFactory()
    answer = AnswerFactory(author=author)
    vote(member, answer, Vote.UP)
    assert rep(author) == 10
    vote(other_member, answer, Vote.DOWN)
    assert rep(author) == 8
    vote(member, answer, Vote.UP)  # removed
    assert rep(author) == -2
    vote(other_member, answer, Vote.UP)  # switched
    assert rep(author) == 10


def test_question_up_vote_is_worth_five(member):
    question = QuestionFactory()
    vote(member, question, Vote.UP)
    assert rep(question.author) == 5


def test_votes_on_an_anonymous_question_do_not_move_the_askers_reputation(member):
    question = QuestionFactory(is_anonymous=True)
    vote(member, question, Vote.UP)
    question.refresh_from_db()
    assert question.score == 1
    assert rep(question.author) == 0
    assert reputation.totals_from_rows().get(question.author_id, 0) == 0


def test_accepting_moves_fifteen_points_with_the_mark(member):
    question = QuestionFactory(author=member)
    first, second = AnswerFactory(question=question), AnswerFactory(question=question)
    curation.accept_answer(actor=member, answer=first)
    assert (rep(first.author), rep(second.author)) == (15, 0)
    curation.accept_answer(actor=member, answer=second)
    assert (rep(first.author), rep(second.author)) == (0, 15)
    curation.unaccept_answer(actor=member, question=question)
    assert (rep(first.author), rep(second.author)) == (0, 0)


def test_featuring_is_worth_twenty_five_and_unfeaturing_takes_it_back(moderator):
    expert = make_expert()
    answer = AnswerFactory(author=expert)
    curation.feature_answer(moderator=moderator, answer=answer)
    assert rep(expert) == 25
    curation.unfeature_answer(moderator=moderator, answer=answer)
    assert rep(expert) == 0


def test_reputation_shows_next_to_names_in_lists_and_on_answers(client):
    asker = UserFactory(display_name="Cindy", reputation=123)
    answerer = UserFactory(display_name="Raj", reputation=456)
    question = QuestionFactory(author=asker)
    AnswerFactory(question=question, author=answerer)
    home = client.get("/").content.decode()
    assert 'Cindy</a> <span class="rep" title="123 reputation points">123</span>' in home
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'Cindy</a> <span class="rep" title="123 reputation points">123</span>' in page
    assert '<span class="rep" title="456 reputation points">456</span>' in page


def test_anonymous_asker_shows_no_reputation(client):
    asker = UserFactory(reputation=321)
    QuestionFactory(author=asker, is_anonymous=True)
    assert ">321<" not in client.get("/").content.decode()


def test_recompute_gives_the_same_totals_as_the_increments_after_a_random_mix(moderator):
    """Hundreds of random votes, switches, removals, accepts, re-accepts, features and unfeatures through
    the services; then the totals rebuilt from the rows must equal the ones kept incrementally."""
    rng = random.Random(20261125)
    members = [UserFactory() for _ in range(8)]
    experts = [make_expert(), make_expert("diet-fitness")]
    people = members + experts
    questions = [QuestionFactory(author=rng.choice(members), is_anonymous=(i == 0)) for i in range(4)]
    answers = [AnswerFactory(question=rng.choice(questions), author=rng.choice(people)) for _ in range(10)]
    items = questions + answers
    for _ in range(400):
        action = rng.random()
        if action < 0.8:
            item, voter = rng.choice(items), rng.choice(people)
            if voter.pk != item.author_id:
                vote(voter, item, rng.choice([Vote.UP, Vote.DOWN]))
        elif action < 0.9:
            answer = rng.choice(answers)
            question = Question.objects.get(pk=answer.question_id)
            asker = User.objects.get(pk=question.author_id)
            if rng.random() < 0.3:
                curation.unaccept_answer(actor=asker, question=question)
            elif answer.author_id != asker.pk:
                curation.accept_answer(actor=asker, answer=answer)
        else:
            expert_answers = [a for a in answers if a.author_id in {e.pk for e in experts}]
            if expert_answers:
                answer = rng.choice(expert_answers)
                if rng.random() < 0.5:
                    curation.feature_answer(moderator=moderator, answer=answer)
                else:
                    curation.unfeature_answer(moderator=moderator, answer=answer)
    incremental = dict(User.objects.values_list("pk", "reputation"))
    assert any(incremental.values()), "the mix should have earned someone reputation"
    assert reputation.recompute_all(dry_run=True) == {}
    # Scores stay exact as well: each equals the sum of its vote rows.
    for item in items:
        item.refresh_from_db()
        assert item.score == sum(item.votes.values_list("value", flat=True))

    # And the command repairs a total that drifted.
    User.objects.filter(pk=people[0].pk).update(reputation=999_999)
    call_command("recompute_reputation")
    assert dict(User.objects.values_list("pk", "reputation")) == incremental


def test_recompute_command_dry_run_reports_without_changing(capsys, member):
    User.objects.filter(pk=member.pk).update(reputation=42)
    call_command("recompute_reputation", "--dry-run")
    assert "Members whose reputation differ: 1" in capsys.readouterr().out
    assert rep(member) == 42


# --- Badges -------------------------------------------------------------------------------------------------


def test_every_rule_has_a_seeded_badge():
    seeded = {b.code: b for b in Badge.objects.all()}
    for rule in badges.RULES:
        assert rule.code in seeded
        assert (seeded[rule.code].name, seeded[rule.code].tier) == (rule.name, rule.tier)
    names = {rule.name for rule in badges.RULES}
    assert names == {
        "First Question",
        "First Answer",
        "Helpful",
        "Good Question",
        "Featured",
        "Trusted Member",
    }


def test_awarding_twice_gives_one_badge_and_one_notification(member):
    QuestionFactory(author=member)
    first = badges.award_badges_for(member)
    second = badges.award_badges_for(member)
    assert [a.badge.code for a in first] == ["first-question"]
    assert second == []
    assert BadgeAward.objects.filter(user=member).count() == 1
    assert Notification.objects.filter(recipient=member, kind="badge").count() == 1


def test_the_database_refuses_a_second_award(member):

    badge = Badge.objects.get(code="helpful")
    BadgeAward.objects.create(user=member, badge=badge)
    with pytest.raises(IntegrityError), transaction.atomic():
        BadgeAward.objects.create(user=member, badge=badge)


def test_first_question_badge_comes_with_approval_not_with_asking(member, moderator):
    question = ask(
        author=member,
        title="Why do my hands shake in the morning?",
        body="It goes away after breakfast, but it worries me.",
        category=category("conditions"),
        accepted_terms=True,
    )
    assert not BadgeAward.objects.filter(user=member).exists()
    approve(moderator=moderator, item=question)
    assert list(BadgeAward.objects.filter(user=member).values_list("badge__code", flat=True)) == [
        "first-question"
    ]


def test_anonymous_questions_earn_no_badge(member, moderator):
    question = QuestionFactory(author=member, status=Status.PENDING, is_anonymous=True)
    approve(moderator=moderator, item=question)
    assert not BadgeAward.objects.filter(user=member).exists()


def test_first_answer_badge_when_the_answer_is_published(member, moderator):
    answer = AnswerFactory(author=member, status=Status.PENDING)
    approve(moderator=moderator, item=answer)
    assert BadgeAward.objects.filter(user=member, badge__code="first-answer").exists()


def test_helpful_badge_at_an_answer_score_of_ten():
    answer = AnswerFactory()
    voters = [UserFactory() for _ in range(10)]
    for voter in voters[:9]:
        vote(voter, answer, Vote.UP)
    assert not BadgeAward.objects.filter(user=answer.author, badge__code="helpful").exists()
    vote(voters[9], answer, Vote.UP)
    assert BadgeAward.objects.filter(user=answer.author, badge__code="helpful").exists()
    note = Notification.objects.get(recipient=answer.author, kind="badge")
    assert "Helpful" in note.text
    assert note.url == reverse("accounts:badge", args=["helpful"])


def test_good_question_badge_at_a_question_score_of_ten():
    question = QuestionFactory()
    for _ in range(10):
        vote(UserFactory(), question, Vote.UP)
    assert BadgeAward.objects.filter(user=question.author, badge__code="good-question").exists()


def test_featured_badge_when_a_moderator_features_the_answer(moderator):
    expert = make_expert()
    curation.feature_answer(moderator=moderator, answer=AnswerFactory(author=expert))
    assert BadgeAward.objects.filter(user=expert, badge__code="featured").exists()


def test_trusted_member_badge_at_five_hundred_reputation(member):
    author = UserFactory(reputation=495)
    vote(member, AnswerFactory(author=author), Vote.UP)
    assert rep(author) == 505
    assert BadgeAward.objects.filter(user=author, badge__code="trusted").exists()


def test_trusted_members_skip_review_when_the_policy_says_so(settings, member_client, member):
    User.objects.filter(pk=member.pk).update(reputation=badges.TRUSTED_REPUTATION)
    question = QuestionFactory()
    url = reverse("forum:answer_create", args=[question.pk])
    settings.FORUM_TRUSTED_SKIP_REVIEW = False
    member_client.post(url, {"body": "Cutting caffeine after noon helped me sleep.", "accept_terms": "on"})
    settings.FORUM_TRUSTED_SKIP_REVIEW = True
    member_client.post(url, {"body": "A short walk after dinner helps me too.", "accept_terms": "on"})
    assert list(question.answers.order_by("pk").values_list("status", flat=True)) == [
        Status.PENDING,
        Status.APPROVED,
    ]


def test_members_below_the_trust_level_are_reviewed_even_with_the_policy_on(settings, member_client, member):
    settings.FORUM_TRUSTED_SKIP_REVIEW = True
    User.objects.filter(pk=member.pk).update(reputation=badges.TRUSTED_REPUTATION - 1)
    question = QuestionFactory()
    member_client.post(
        reverse("forum:answer_create", args=[question.pk]),
        {"body": "Cutting caffeine after noon helped me sleep through.", "accept_terms": "on"},
    )
    assert question.answers.get().status == Status.PENDING


def test_profile_shows_badges_with_the_date_earned(client, member):
    QuestionFactory(author=member)
    badges.award_badges_for(member)
    award = BadgeAward.objects.get(user=member)
    page = client.get(member.get_absolute_url()).content.decode()
    assert "First Question" in page
    assert (
        f'earned <time datetime="{award.awarded_at.isoformat()}' in page
        or award.awarded_at.strftime("%-d %B %Y") in page
    )


def test_badge_page_lists_who_has_it_and_the_index_counts_holders(client):
    holders = [UserFactory(display_name=f"Holder {i}") for i in range(3)]
    badge = Badge.objects.get(code="helpful")
    for holder in holders:
        BadgeAward.objects.create(user=holder, badge=badge)
    page = client.get(reverse("accounts:badge", args=["helpful"])).content.decode()
    for holder in holders:
        assert holder.display_name in page
    index = client.get(reverse("accounts:badges"))
    counts = {b.code: b.holders for b in index.context["badges"]}
    assert counts["helpful"] == 3 and counts["featured"] == 0
    assert client.get(reverse("accounts:badge", args=["no-such-badge"])).status_code == 404


def _queries(client, url) -> int:

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_profile_and_badge_pages_query_counts_do_not_grow_with_badges(member):
    viewer = Client()
    for code in ["first-question", "first-answer"]:
        BadgeAward.objects.create(user=member, badge=Badge.objects.get(code=code))
    _queries(viewer, member.get_absolute_url())  # warm the navigation cache
    few_profile = _queries(viewer, member.get_absolute_url())
    few_badge = _queries(viewer, reverse("accounts:badge", args=["helpful"]))
    for code in ["helpful", "good-question", "featured", "trusted"]:
        BadgeAward.objects.create(user=member, badge=Badge.objects.get(code=code))
    for _ in range(10):
        BadgeAward.objects.create(user=UserFactory(), badge=Badge.objects.get(code="helpful"))
    assert _queries(viewer, member.get_absolute_url()) == few_profile
    assert _queries(viewer, reverse("accounts:badge", args=["helpful"])) == few_badge

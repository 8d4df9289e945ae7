"""An expert's public profile: photo, bio, credentials said once, the conflict-of-interest statement and the
figures (answers, accepted, featured, median time to answer over the last 90 days), from known data; and the
demo experts' photos and statements."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from accounts.models import ExpertCredential, User
from accounts.services import update_profile
from forum.models import Question, Status
from forum.people.selectors import expert_figures
from tests.factories import AnswerFactory, QuestionFactory, UserFactory, make_expert

pytestmark = pytest.mark.django_db


def answered(expert, *, published_days_ago: float, after: timedelta, **answer_fields):
    """A question published `published_days_ago` days ago, answered by `expert` `after` its publication."""
    published = timezone.now() - timedelta(days=published_days_ago)
    question = QuestionFactory(approved_at=published)
    answer = AnswerFactory(question=question, author=expert, **answer_fields)
    type(answer).objects.filter(pk=answer.pk).update(created_at=published + after)
    return question, answer


@pytest.fixture
def expert_with_history():
    expert = make_expert(display_name="Dr. Ada Okafor", bio="Fifteen years with adults living with anxiety.")
    ExpertCredential.objects.filter(user=expert).update(conflict_of_interest="Shares in Calm Ltd")
    q1, a1 = answered(expert, published_days_ago=10, after=timedelta(minutes=30))
    Question.objects.filter(pk=q1.pk).update(accepted_answer=a1)
    answered(expert, published_days_ago=20, after=timedelta(hours=2), is_featured=True,
             featured_at=timezone.now())  # fmt: skip
    q3, _ = answered(expert, published_days_ago=30, after=timedelta(hours=5))
    # A later second answer on the same question: not their first, not in the median.
    second = AnswerFactory(question=q3, author=expert)
    type(second).objects.filter(pk=second.pk).update(created_at=q3.approved_at + timedelta(days=3))
    # Outside the 90 days: counted as an answer, not in the median.
    answered(expert, published_days_ago=120, after=timedelta(days=6))
    # Not public: counted nowhere.
    answered(
        expert, published_days_ago=5, after=timedelta(minutes=1), status=Status.PENDING, approved_at=None
    )
    return expert


def test_the_figures_from_known_data(expert_with_history, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        figures = expert_figures(expert_with_history)
    assert (figures.answers, figures.accepted, figures.featured) == (5, 1, 1)
    # First answers in the last 90 days: 30 minutes, 2 hours, 5 hours -> the median is 2 hours.
    assert figures.answered_recently == 3
    assert figures.median_minutes == pytest.approx(120, abs=0.1)
    assert figures.median_display == "2 hours"


def test_no_recent_answers_means_no_median():
    expert = make_expert()
    figures = expert_figures(expert)
    assert (figures.answers, figures.median_minutes, figures.median_display) == (0, None, "")


def test_a_visitor_sees_the_expert_profile(client, expert_with_history, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        page = client.get(expert_with_history.get_absolute_url()).content.decode()
    assert "Fifteen years with adults living with anxiety." in page
    assert "Mental Health Expert" in page
    assert "Shares in Calm Ltd" in page
    # Profession, credentials line and institution ("Lakeview University"), each said once.
    assert "Psychiatrist, Lakeview University Medical School</p>" in page
    assert page.count("Psychiatrist") == 1
    assert "Accepted by the asker</dt><dd>1</dd>" in page
    assert "Median time to answer, last 90 days</dt><dd>2 hours" in page
    assert "Re-confirm my statement" not in page  # the owner's form only


def test_credentials_are_said_once():
    credential = ExpertCredential(
        profession="Registered Dietitian",
        credentials="Registered Dietitian, Northfield College of Nutrition",
        institution="Northfield College of Nutrition",
    )
    assert credential.public_credentials == "Registered Dietitian, Northfield College of Nutrition"
    credential = ExpertCredential(
        profession="Internal medicine physician",
        credentials="Internist, Riverside Teaching Hospital",
        institution="Riverside",
    )
    assert (
        credential.public_credentials == "Internal medicine physician, Internist, Riverside Teaching Hospital"
    )


def photo(size, fmt="JPEG"):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "white")
    image.paste((255, 0, 0), (0, 0, size[0], size[1] // 4))  # a red band at the top
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    image.save(buffer, format=fmt, exif=exif)
    return SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize(("crop", "top_is_red"), [("top", True), ("center", False)])
def test_the_photo_is_cropped_square_where_the_member_chose_and_stripped(crop, top_is_red):
    member = UserFactory()
    update_profile(user=member, display_name="A", location="", show_location=False, bio="",
                   avatar=photo((300, 900)), crop=crop)  # fmt: skip
    member = User.objects.get(pk=member.pk)
    with member.avatar.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (256, 256)
        assert not image.getexif()
        red, green, _blue = image.getpixel((128, 5))
        assert (red > 200 and green < 60) is top_is_red


def test_the_demo_experts_have_photos_and_statements():
    call_command("seed_demo", stdout=io.StringIO())
    experts = ExpertCredential.objects.active().select_related("user")
    assert experts.count() == 3
    for credential in experts:
        assert credential.user.avatar and credential.user.avatar_small
        assert credential.conflict_of_interest
        assert credential.user.bio
        with credential.user.avatar.open("rb") as stored, Image.open(stored) as image:
            assert image.size == (256, 256)

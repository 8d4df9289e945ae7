"""An expert's conflict-of-interest statement and public profile in the browser: a paused expert re-confirms
their statement in one click and the badge returns on their answer; a visitor sees the expert's photo,
credentials and statement on the answer and on the profile."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ExpertCredential
from accounts.services import update_profile
from tests.browser.helpers import community, heading_order_problems
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHOTO = Path(django_settings.BASE_DIR) / "forum" / "management" / "demo_photos" / "okafor.jpg"


def serve_media(page, root: Path) -> None:
    """The test server does not serve MEDIA_URL (DEBUG is off): the browser gets the stored files here."""

    def fulfil(route):
        name = route.request.url.split(django_settings.MEDIA_URL, 1)[1]
        route.fulfill(path=str(root / name), content_type="image/jpeg")

    page.route(f"**{django_settings.MEDIA_URL}**", fulfil)


def loaded(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_paused_expert_reconfirms_and_a_visitor_sees_photo_credentials_and_statement(
    login, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    c = community()
    expert = c.expert
    update_profile(
        user=expert, display_name=expert.display_name, location="", show_location=False,
        bio="Fifteen years with adults living with anxiety.",
        avatar=SimpleUploadedFile("me.jpg", PHOTO.read_bytes(), content_type="image/jpeg"),
    )  # fmt: skip
    lapsed = timezone.now() - timedelta(days=settings.EXPERT_COI_CONFIRM_DAYS + 3)
    ExpertCredential.objects.filter(user=expert).update(
        conflict_of_interest="Shares in Calm Ltd", coi_confirmed_at=lapsed
    )
    answer = f"#answer-{c.expert_answer.pk}"

    # While paused, a visitor sees no badge and no statement on the expert's answer.
    page.goto(c.question.get_absolute_url())
    expect(page.locator(answer)).to_be_visible()
    expect(page.locator(f"{answer} .expert-badge")).to_have_count(0)

    me = login(expert)
    serve_media(page, settings.MEDIA_ROOT)
    serve_media(me, settings.MEDIA_ROOT)
    me.goto(expert.get_absolute_url())
    expect(me.get_by_role("status").filter(has_text="Your expert badge is paused")).to_be_visible()
    expect(me.get_by_label("Conflicts of interest", exact=True)).to_have_value("Shares in Calm Ltd")
    assert serious_violations(me) + heading_order_problems(me) == []
    me.get_by_role("button", name="Re-confirm my statement").click()
    expect(me.get_by_text("your statement is confirmed")).to_be_visible()
    expect(me.get_by_text("Your expert badge is paused")).to_have_count(0)
    me.goto(c.question.get_absolute_url())
    expect(me.locator(f"{answer} .expert-badge")).to_have_text("Mental Health Expert")

    # A visitor: the shared copy of the answer was refreshed with the badge, photo and statement.
    page.goto(c.question.get_absolute_url())
    card = page.locator(answer)
    expect(card.locator(".expert-badge")).to_have_text("Mental Health Expert")
    expect(card.locator("img.avatar")).to_be_visible()
    assert loaded(card.locator("img.avatar"))
    expect(card.locator(".credentials")).to_contain_text("Psychiatrist, Lakeview University Medical School")
    expect(card.locator(".coi")).to_have_text("Conflict of interest: Shares in Calm Ltd")
    card.get_by_role("link", name="Expert profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(expert.display_name)
    expect(page.get_by_role("img", name=f"Photo of {expert.display_name}")).to_be_visible()
    assert loaded(page.get_by_role("img", name=f"Photo of {expert.display_name}"))
    expect(page.locator(".profile-header .credentials")).to_have_text(
        "Psychiatrist, Lakeview University Medical School"
    )
    expect(page.locator(".coi")).to_contain_text("Shares in Calm Ltd")
    expect(page.get_by_text("Fifteen years with adults living with anxiety.")).to_be_visible()
    figures = page.get_by_role("region", name="As an expert")
    expect(figures).to_contain_text("Answers")
    expect(figures.locator("dd").first).to_have_text("1")
    expect(page.get_by_role("button", name="Re-confirm my statement")).to_have_count(0)
    assert serious_violations(page) + heading_order_problems(page) == []

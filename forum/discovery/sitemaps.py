"""sitemap.xml (Django's sitemaps framework): public questions, categories, tags with public questions,
verified experts' profiles and the public pages, each with its last-modified date where one is known.

`/sitemap.xml` is a sitemap index; each section is split into pages of `limit` URLs (50,000, the protocol's
maximum) as `/sitemap-<section>.xml?p=N`. Only public content: approved questions (`visible_to(None)`), and
tags and categories as their public pages list them. Addresses are on SITE_URL.
"""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from taggit.models import Tag

from accounts.models import ExpertCredential, User
from community.site import site_domain
from forum.models import Category, Question, Status


class PublicSitemap(Sitemap):
    """Addresses on SITE_URL, whatever host the request came in on."""

    @property
    def protocol(self):  # read by Django's index view as well as by get_protocol
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_protocol(self, protocol=None):
        return self.protocol

    def get_domain(self, site=None):
        return site_domain()


@functools.cache
def _question_path_format() -> str:
    # One reverse() instead of 50,000: the question URL with placeholders for its id and slug.
    return (
        reverse("forum:question", args=[987654321, "slug-here"])
        .replace("987654321", "{pk}")
        .replace("slug-here", "{slug}")
    )


class QuestionSitemap(PublicSitemap):
    changefreq = "daily"

    def items(self):
        # Only what a URL and a date need, as tuples (no model instances), the date worked out by the
        # database: converting three datetimes per row was most of the time of a 50,000-URL page.
        return (
            Question.objects.visible_to(None)
            .annotate(lastmod=Greatest("last_activity_at", Coalesce("edited_at", "last_activity_at")))
            .values_list("pk", "slug", "lastmod")
            .order_by("pk")
        )

    def location(self, item):
        return _question_path_format().format(pk=item[0], slug=item[1] or "q")

    def lastmod(self, item):
        # New answers move last_activity_at; an applied edit moves edited_at.
        return item[2]

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of Django's default, which reads every row.
        latest = Question.objects.visible_to(None).aggregate(
            activity=Max("last_activity_at"), edited=Max("edited_at")
        )
        return max((d for d in latest.values() if d), default=None)


class CategorySitemap(PublicSitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.annotate(
            newest=Max("questions__approved_at", filter=Q(questions__status=Status.APPROVED))
        ).order_by("position", "name")

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.newest


class TagSitemap(PublicSitemap):
    changefreq = "daily"

    def items(self):
        # Tags of approved questions only: a tag used only on pending or hidden questions has no public page
        # content and must not be announced.
        return (
            Tag.objects.annotate(
                public=Count("forum_taggedquestion_items", filter=_approved_tagged()),
                newest=Max(
                    "forum_taggedquestion_items__content_object__approved_at", filter=_approved_tagged()
                ),
            )
            .filter(public__gt=0)
            .only("pk", "slug")
            .order_by("pk")
        )

    def location(self, item):
        return reverse("forum:tag", args=[item.slug])

    def lastmod(self, item):
        return item.newest


def _approved_tagged() -> Q:
    return Q(forum_taggedquestion_items__content_object__status=Status.APPROVED)


class ExpertSitemap(PublicSitemap):
    """Verified experts' profiles (other members' profiles are personal: noindex, not listed)."""

    changefreq = "weekly"

    def items(self):
        return (
            User.objects.filter(is_deleted=False, pk__in=ExpertCredential.objects.active().values("user_id"))
            .only("pk")
            .order_by("pk")
        )


class PagesSitemap(PublicSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "forum:home",
            "forum:expert_qa",
            "people:experts",
            "accounts:badges",
            "forum:terms",
            "forum:privacy",
            "forum:comment_policy",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PagesSitemap,
    "questions": QuestionSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "experts": ExpertSitemap,
}

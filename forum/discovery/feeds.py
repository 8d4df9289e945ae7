"""RSS 2.0 and Atom feeds (Django's syndication framework): newest questions, each category, each tag, the
featured expert answers and each verified expert's answers.

Public content only, read through the one visibility rule (`visible_to(None)`): nothing pending, rejected,
hidden or deleted. Anonymous askers are "Anonymous member" with no link, and so are their own replies on
their anonymous questions, which an expert's feed leaves out altogether (listing them would name the asker).
Every link is absolute, on SITE_URL.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from taggit.models import Tag

from accounts.models import ExpertCredential, User
from community.site import absolute_url
from forum.models import Answer, Category, Question, Status

FEED_ITEMS = 30
ANONYMOUS_NAME = "Anonymous member"
NOT_ADVICE = "Not medical advice."


@dataclass
class Subject:
    """What a feed is about, with the feed's own path (its self link)."""

    path: str
    thing: object = None


def public_questions():
    return (
        Question.objects.visible_to(None)
        .select_related("author", "category")
        .prefetch_related("tags")
        .defer("body", "search_vector")
        .order_by("-approved_at", "-pk")
    )


def public_answers():
    return (
        Answer.objects.visible_to(None)
        .select_related("author", "question", "question__category")
        .defer("body", "question__body", "question__body_html", "question__search_vector")
    )


class QuestionFeed(Feed):
    """Newest public questions first; subclasses narrow the list."""

    def get_object(self, request, *args, **kwargs):
        return Subject(path=request.path)

    def title(self, obj):
        return f"{settings.SITE_NAME}: newest questions"

    def link(self, obj):
        return absolute_url(reverse("forum:home"))

    def description(self, obj):
        return f"The newest health questions asked on {settings.SITE_NAME}. {NOT_ADVICE}"

    def feed_url(self, obj):
        return absolute_url(obj.path)

    def items(self, obj):
        return public_questions()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html  # sanitised when it was rendered (forum.markdown)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return absolute_url(reverse("forum:question_short", args=[item.pk]))

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.approved_at or item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.approved_at or item.created_at

    def item_author_name(self, item):
        return ANONYMOUS_NAME if item.is_anonymous else item.author.public_name

    def item_author_link(self, item):
        if item.is_anonymous or item.author.is_deleted:
            return None
        return absolute_url(item.author.get_absolute_url())

    def item_categories(self, item):
        return [item.category.name, *(tag.name for tag in item.tags.all())]


class CategoryQuestionsFeed(QuestionFeed):
    def get_object(self, request, slug):
        return Subject(path=request.path, thing=get_object_or_404(Category, slug=slug))

    def title(self, obj):
        return f"{settings.SITE_NAME}: {obj.thing.name}"

    def link(self, obj):
        return absolute_url(obj.thing.get_absolute_url())

    def description(self, obj):
        return f"The newest questions in {obj.thing.name}. {NOT_ADVICE}"

    def items(self, obj):
        return public_questions().filter(category=obj.thing)[:FEED_ITEMS]


class TagQuestionsFeed(QuestionFeed):
    def get_object(self, request, slug):
        # A tag used only on questions that are not public has no feed: its name alone may be private.
        tag = get_object_or_404(
            Tag.objects.filter(forum_taggedquestion_items__content_object__status=Status.APPROVED).distinct(),
            slug=slug,
        )
        return Subject(path=request.path, thing=tag)

    def title(self, obj):
        return f"{settings.SITE_NAME}: questions tagged {obj.thing.name}"

    def link(self, obj):
        return absolute_url(reverse("forum:tag", args=[obj.thing.slug]))

    def description(self, obj):
        return f"The newest questions tagged {obj.thing.name}. {NOT_ADVICE}"

    def items(self, obj):
        return public_questions().filter(tags=obj.thing)[:FEED_ITEMS]


class AnswerFeed(Feed):
    """Answers, each linking to its place on the question's page."""

    def get_object(self, request, *args, **kwargs):
        return Subject(path=request.path)

    def feed_url(self, obj):
        return absolute_url(obj.path)

    def item_title(self, item):
        return f"Answer to “{item.question.title}”"

    def item_description(self, item):
        return item.body_html

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.approved_at or item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.approved_at or item.created_at

    def item_author_name(self, item):
        return ANONYMOUS_NAME if item.by_anonymous_asker else item.author.public_name

    def item_author_link(self, item):
        if item.by_anonymous_asker or item.author.is_deleted:
            return None
        return absolute_url(item.author.get_absolute_url())

    def item_categories(self, item):
        return [item.question.category.name]


class FeaturedAnswersFeed(AnswerFeed):
    """Expert answers that moderators featured, by experts whose verification is active."""

    def title(self, obj):
        return f"{settings.SITE_NAME}: featured expert answers"

    def link(self, obj):
        return absolute_url(reverse("forum:expert_qa"))

    def description(self, obj):
        return f"Answers by verified experts, chosen by our moderators. {NOT_ADVICE}"

    def items(self, obj):
        active = ExpertCredential.objects.active().values("user_id")
        return (
            public_answers()
            .filter(is_featured=True, author__in=active)
            .order_by("-featured_at", "-pk")[:FEED_ITEMS]
        )

    def item_pubdate(self, item):
        return item.featured_at or item.approved_at or item.created_at


class ExpertAnswersFeed(AnswerFeed):
    """One verified expert's public answers, newest first (404 for anyone who is not an active expert)."""

    def get_object(self, request, pk):
        if not ExpertCredential.objects.active().filter(user_id=pk).exists():
            raise Http404("No such expert.")
        return Subject(path=request.path, thing=get_object_or_404(User, pk=pk, is_deleted=False))

    def title(self, obj):
        return f"{settings.SITE_NAME}: answers by {obj.thing.public_name}"

    def link(self, obj):
        return absolute_url(obj.thing.get_absolute_url())

    def description(self, obj):
        return f"Answers by {obj.thing.public_name}, a verified expert. {NOT_ADVICE}"

    def items(self, obj):
        expert = obj.thing
        return (
            public_answers()
            .filter(author=expert)
            # A reply on their own anonymous question would name its asker.
            .exclude(question__author=expert, question__is_anonymous=True)
            .order_by("-created_at", "-pk")[:FEED_ITEMS]
        )


def atom(feed_class: type[Feed]) -> type[Feed]:
    """The Atom 1.0 twin of an RSS feed class."""

    class AtomFeed(feed_class):
        feed_type = Atom1Feed

        def subtitle(self, obj):
            return self.description(obj)

    AtomFeed.__name__ = f"Atom{feed_class.__name__}"
    return AtomFeed

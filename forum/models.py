"""Content and its life cycle: categories, questions, answers, votes, flags, the audit log, notifications.

Visibility is one rule, written once as `visible_to(user)` on each queryset: approved content is public;
pending, rejected and hidden content exists only for its author and moderators.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from accounts.mfa import powers_unlocked
from community.page_cache import everything_changed


def is_moderator(user) -> bool:
    """Is `user` acting as a moderator: a moderator who may use their powers (TOTP set up when
    REQUIRE_MFA_FOR_POWERS; accounts.mfa). Everything a moderator may do or see asks this; without TOTP
    a moderator is a member. `user.is_moderator` alone is the role."""

    return bool(user and user.is_authenticated and user.is_moderator and powers_unlocked(user))


class Status(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    HIDDEN = "hidden", "Hidden"
    DELETED = "deleted", "Deleted"


NAV_CACHE_KEY = "forum:nav-categories"


class Category(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=240, blank=True)
    expert_title = models.CharField(
        max_length=80, blank=True, help_text="Badge of experts in this field, e.g. 'Mental Health Expert'."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        if not self.expert_title:
            self.expert_title = f"{self.name} Expert"
        super().save(*args, **kwargs)
        cache.delete(NAV_CACHE_KEY)

        everything_changed()  # every page's navigation lists the categories

    def get_absolute_url(self):
        return reverse("forum:category", args=[self.slug])

    @classmethod
    def cached_list(cls) -> list["Category"]:
        """Categories for the navigation on every page; they change rarely, so one cache read."""
        return cache.get_or_set(NAV_CACHE_KEY, lambda: list(cls.objects.all()), 600)


class PostQuerySet(models.QuerySet):
    def public(self):
        """What everyone may see: the same predicate `visible_to` grants to all (for an answer, its question
        must be public too), and what `Post.is_public` says of one item."""
        return self.filter(self._public_filter())

    def visible_to(self, user):
        """The one visibility rule: public when approved; otherwise only for the author and moderators."""
        if is_moderator(user):
            return self
        public = self._public_filter()
        if user is not None and user.is_authenticated:
            return self.filter(public | self._own_filter(user))
        return self.filter(public)

    def _public_filter(self) -> Q:
        return Q(status=Status.APPROVED)

    def _own_filter(self, user) -> Q:
        # Deleted content is gone for its author too; only moderators can still see (and restore) it.
        return Q(author=user) & ~Q(status=Status.DELETED)

    def pending_for_review(self):
        # Crisis posts first (a person may be at risk), then oldest first.
        return self.filter(status=Status.PENDING).order_by("-is_urgent", "created_at", "pk")


class AnswerQuerySet(PostQuerySet):
    def _public_filter(self) -> Q:
        return Q(status=Status.APPROVED, question__status=Status.APPROVED)

    def _own_filter(self, user) -> Q:
        # An answer goes with its question: once the question is deleted, its author's answers are gone too.
        return super()._own_filter(user) & ~Q(question__status=Status.DELETED)


class Post(models.Model):
    """What questions and answers share: an author, Markdown, a review state and a score."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=20000)
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    score = models.IntegerField(default=0)
    terms_version = models.CharField(max_length=20, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    # Trust and safety (forum.safety.screening): crisis language puts the item first in the queue; the notes
    # tell moderators why an item is there (personal data kept, many links, repeated text, crisis words).
    is_urgent = models.BooleanField(default=False)
    review_notes = models.JSONField(default=list, blank=True, editable=False)
    # The state to return to when a moderator unhides or restores the item.
    previous_status = models.CharField(max_length=10, blank=True, editable=False)
    # When a public version of the text was last replaced: readers see "edited", linking to the history.
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.status == Status.APPROVED

    @property
    def thread(self) -> "Question":
        """The question the post belongs to (a question is its own)."""
        return self.question

    @property
    def thread_id(self) -> int:
        return self.question_id

    @property
    def own_title(self) -> str:
        """The title the post itself carries: a question's, none for an answer."""
        return ""

    @property
    def question_title(self) -> str:
        """The title of the thread the post belongs to (a question's own title; an answer's question's)."""
        return self.thread.title

    @property
    def short_title(self) -> str:
        """The thread's title, cut for notifications and messages."""
        text = self.question_title
        return text if len(text) <= 80 else text[:77] + "…"

    @property
    def is_pending(self) -> bool:
        return self.status == Status.PENDING


class TaggedQuestion(TaggedItemBase):
    # A direct foreign key (not taggit's generic one) so tag pages join on an indexed integer.
    content_object = models.ForeignKey("Question", on_delete=models.CASCADE)


class Question(Post):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, allow_unicode=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="questions")
    tags = TaggableManager(through=TaggedQuestion, blank=True)
    is_anonymous = models.BooleanField(
        default=False, help_text="Show 'Anonymous member' instead of your name (moderators still see it)."
    )
    for_experts = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_requests",
        help_text="Address the question to experts of this specialty.",
    )
    # "Ask this expert": the question is addressed to one verified expert too (forum.inbox lists it for them).
    addressed_to_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_answer = models.ForeignKey(
        "Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_count = models.PositiveIntegerField(default=0, help_text="Approved answers only.")
    expert_answer_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(default=timezone.now)
    is_locked = models.BooleanField(default=False, help_text="Locked questions take no new answers.")
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Filled on PostgreSQL when the question is approved or edited; its GIN index is made by migration
    # 0002 on PostgreSQL only. SQLite searches with a LIKE fallback instead (forum.selectors.search).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-pk"]
        permissions = [("moderate", "Can review, approve, reject and hide content")]
        indexes = [
            # Every public list is "approved, newest first", possibly within a category.
            models.Index(
                fields=["-approved_at", "-id"], condition=Q(status="approved"), name="question_public_idx"
            ),
            models.Index(
                fields=["category", "-approved_at", "-id"],
                condition=Q(status="approved"),
                name="question_category_idx",
            ),
            models.Index(fields=["status", "created_at"], name="question_review_idx"),
            models.Index(fields=["author", "-created_at"], name="question_author_idx"),
            # A member's own questions awaiting review, on their home page: few rows, whatever they published.
            models.Index(
                fields=["author", "-created_at"],
                condition=Q(status__in=["pending", "rejected"]),
                name="question_own_pending_idx",
            ),
        ]

    kind_name = "question"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:question", args=[self.pk, self.slug or "q"])

    @property
    def thread(self) -> "Question":
        return self

    @property
    def thread_id(self) -> int:
        return self.pk

    @property
    def own_title(self) -> str:
        return self.title

    @property
    def question_title(self) -> str:
        return self.title

    @property
    def anchor_url(self) -> str:
        """Where a page about this post (a vote's fallback, a notification) sends the reader."""
        return f"{self.get_absolute_url()}#question-{self.pk}"

    @property
    def takes_answers(self) -> bool:
        """Approved, not locked, not closed as a duplicate."""
        return self.status == Status.APPROVED and not self.is_locked and self.duplicate_of_id is None


class Answer(Post):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    is_featured = models.BooleanField(default=False)
    featured_at = models.DateTimeField(null=True, blank=True)
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("feature_answer", "Can feature expert answers")]
        indexes = [
            models.Index(fields=["question", "status", "created_at"], name="answer_question_idx"),
            models.Index(fields=["status", "created_at"], name="answer_review_idx"),
            models.Index(fields=["author", "-created_at"], name="answer_author_idx"),
            models.Index(fields=["-featured_at"], condition=Q(is_featured=True), name="answer_featured_idx"),
        ]

    kind_name = "answer"

    def __str__(self):
        return f"Answer to “{self.question.title}”"

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    @property
    def anchor_url(self) -> str:
        return self.get_absolute_url()

    @property
    def title(self) -> str:
        return str(self)

    @property
    def is_public(self) -> bool:
        # As AnswerQuerySet.public(): an approved answer under a question that is not public is not public.
        return self.status == Status.APPROVED and self.question.is_public

    @property
    def by_anonymous_asker(self) -> bool:
        """The asker replying on their own anonymous question: shown as "Anonymous member" too."""
        return self.question.is_anonymous and self.author_id == self.question.author_id


# The one map from a post's kind (Post.kind_name, as URLs, forms and live events name it) to its model.
POST_MODELS: dict[str, type[Post]] = {Question.kind_name: Question, Answer.kind_name: Answer}


def post_model(kind: str) -> type[Post] | None:
    """The model of a post kind ("question" or "answer"), or None for anything else."""
    return POST_MODELS.get(kind)


class Vote(models.Model):
    """One member's up or down vote on one question or answer; the database forbids a second."""

    UP, DOWN = 1, -1

    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=[(UP, "Up"), (DOWN, "Down")])
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="vote_targets_one_post",
            ),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_is_one"),
            models.UniqueConstraint(
                fields=["voter", "question"],
                condition=Q(question__isnull=False),
                name="one_vote_per_question",
            ),
            models.UniqueConstraint(
                fields=["voter", "answer"], condition=Q(answer__isnull=False), name="one_vote_per_answer"
            ),
        ]

    def __str__(self):
        return f"{self.value:+d} by {self.voter_id}"


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        HARMFUL = "harmful", "Harmful or false medical information"
        HARASSMENT = "harassment", "Harassment or abuse"
        PERSONAL = "personal", "Personal information"
        OTHER = "other", "Something else"

    flagger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    text = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="flag_targets_one_post",
            ),
            models.UniqueConstraint(
                fields=["flagger", "question"],
                condition=Q(question__isnull=False),
                name="one_flag_per_question",
            ),
            models.UniqueConstraint(
                fields=["flagger", "answer"], condition=Q(answer__isnull=False), name="one_flag_per_answer"
            ),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} flag"


# --- Trust and safety ---------------------------------------------------------------------------------------


class RevisionQuerySet(models.QuerySet):
    def kept(self):
        """Texts the post had before an edit was applied (not proposals)."""
        return self.filter(is_proposal=False)

    def public_versions(self):
        """Kept texts that were public when they were replaced: the public revision history."""
        return self.filter(is_proposal=False, was_public=True)

    def pending_for_review(self):
        """Proposed edits waiting for a moderator, of posts that are still public (an edit of a post hidden
        or deleted meanwhile waits until it is public again). Crisis language first, then oldest first."""
        return (
            self.filter(is_proposal=True, status=Revision.State.PENDING)
            .filter(Q(question__status=Status.APPROVED) | Q(answer__status=Status.APPROVED))
            .order_by("-is_urgent", "created_at", "pk")
        )


class Revision(models.Model):
    """One text of a post besides its current one.

    Kept (`is_proposal=False`): the text before an edit was applied, with who edited and why; `was_public`
    when that text was the public version (the public history lists only those).
    Proposed (`is_proposal=True`): an author's edit of public content that needs review. The post keeps
    its approved text for everyone while the proposal waits in the moderation queue; a moderator approves
    it (forum.posting.services.approve applies it) or rejects it, with the same conditional UPDATE as any other
    decision. A second edit while one is pending replaces it (state "replaced")."""

    class State(models.TextChoices):
        # The same values as Status where they mean the same, so moderation decides proposals like posts.
        PENDING = Status.PENDING.value, "Awaiting review"
        APPROVED = Status.APPROVED.value, "Approved"
        REJECTED = Status.REJECTED.value, "Rejected"
        REPLACED = "replaced", "Replaced by a newer edit"

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(max_length=20000)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    was_public = models.BooleanField(default=False)
    # A proposed edit: its question's category and tags too, its review state and the screening's notes.
    is_proposal = models.BooleanField(default=False)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=State.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    is_urgent = models.BooleanField(default=False)
    review_notes = models.JSONField(default=list, blank=True, editable=False)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="revision_targets_one_post",
            ),
            # At most one edit of a post waits for review: a second one replaces it.
            models.UniqueConstraint(
                fields=["question"], condition=Q(status="pending"), name="one_pending_edit_per_question"
            ),
            models.UniqueConstraint(
                fields=["answer"], condition=Q(status="pending"), name="one_pending_edit_per_answer"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "created_at"], condition=Q(status="pending"), name="revision_review_idx"
            )
        ]

    kind_name = "edit"

    def __str__(self):
        if self.is_proposal:
            return f"Edit of {self.post}"
        return f"Revision of {self.post} at {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.post.get_absolute_url()

    @property
    def post(self):
        return self.question if self.question_id else self.answer

    @property
    def author(self):
        """Who proposed the edit (the post's author): decisions are told to them."""
        return self.editor

    @property
    def short_title(self) -> str:
        return self.post.short_title

    @property
    def is_public(self) -> bool:
        return False  # a proposal is never public itself; approving it changes its post

    def get_status_display(self) -> str:
        return self.State(self.status).label if self.status else ""


class SanctionQuerySet(models.QuerySet):
    def in_force(self, now=None):
        """Suspensions and bans that currently stop a member from taking part."""
        now = now or timezone.now()
        return self.filter(
            kind__in=[Sanction.Kind.SUSPEND, Sanction.Kind.BAN], lifted_at__isnull=True
        ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))


class Sanction(models.Model):
    """A warning, a suspension for a period, or a ban; the member sees it and may appeal."""

    class Kind(models.TextChoices):
        WARN = "warn", "Warning"
        SUSPEND = "suspend", "Suspension"
        BAN = "ban", "Ban"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField()
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty for warnings and bans.")
    hide_content = models.BooleanField(default=False)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["member", "lifted_at"], name="sanction_member_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.member.public_name}"


class Appeal(models.Model):
    """A member's thread to the moderators about one moderation action."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals")
    entry = models.ForeignKey(
        "audit.AuditEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "entry"], condition=Q(state="open"), name="one_open_appeal_per_action"
            )
        ]

    def __str__(self):
        return f"Appeal by {self.member.public_name}"

    def get_absolute_url(self):
        return reverse("forum:appeal", args=[self.pk])


class AppealMessage(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=4000)
    from_moderator = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message on {self.appeal}"


class CrisisPhrase(models.Model):
    """Words that suggest a person may be at risk (forum.safety.crisis). Kept as data so moderators can edit the
    list in the admin; matching is case-insensitive on word boundaries."""

    phrase = models.CharField(max_length=80, unique=True)
    is_active = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase

    def save(self, *args, **kwargs):
        self.phrase = " ".join(self.phrase.lower().split())
        super().save(*args, **kwargs)
        cache.delete(CRISIS_CACHE_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(CRISIS_CACHE_KEY)
        return result


CRISIS_CACHE_KEY = "forum:crisis-phrases"

# Search's own model lives with its feature (forum/search/); imported here so Django registers it. So does
# the saved posts' (forum/saving/).
from forum.mentions.models import Mention  # noqa: E402, F401
from forum.saving.models import Saved  # noqa: E402, F401
from forum.search.models import Synonym  # noqa: E402, F401

"""People: members with a public profile, verified experts, earned badges and reputation."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from community.object_storage import backends


class PrivateStorage(backends.PrivateStorage):
    """STORAGES["private"] (community.object_storage): PRIVATE_MEDIA_ROOT locally, a private bucket or prefix on
    S3, never a URL: only a permission-checked view can read them. Named here for migration 0003."""


# Proof documents never sit under MEDIA_ROOT or a public URL.
private_storage = PrivateStorage()

DELETED_MEMBER_NAME = "Deleted member"
COI_NOTICE_DAYS = 30  # the expert is reminded this long before their statement must be re-confirmed
NONE_DECLARED = "None declared"


class CommunityUserManager(UserManager):
    def create_user(self, username=None, email=None, password=None, **extra_fields):
        return super().create_user(username or email, email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        return super().create_superuser(username or email, email, password, **extra_fields)


class User(AbstractUser):
    """A member. The public profile lives on the row so every author join is one join.

    Email is the login (allauth); `username` is an internal handle nobody sees.
    """

    display_name = models.CharField(max_length=60, help_text="Shown next to everything you write.")
    location = models.CharField(max_length=80, blank=True, help_text="For example: Texas.")
    show_location = models.BooleanField(
        default=False, help_text="Show your location next to your questions and answers."
    )
    bio = models.TextField(max_length=2000, blank=True)
    # Private: which crisis lines the member is shown (forum.safety.crisis). Blank: their browser's region.
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 code, e.g. GB.")
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    avatar_small = models.ImageField(upload_to="avatars/", blank=True)
    reputation = models.IntegerField(default=0)
    is_deleted = models.BooleanField(default=False)

    objects = CommunityUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        indexes = [models.Index(fields=["-reputation"], name="user_reputation_idx")]

    def __str__(self):
        return self.public_name

    @property
    def public_name(self) -> str:
        if self.is_deleted:
            return DELETED_MEMBER_NAME
        return self.display_name or "Member"

    @property
    def public_location(self) -> str:
        return self.location if (self.show_location and not self.is_deleted) else ""

    @cached_property
    def is_moderator(self) -> bool:
        return self.is_active and (self.is_superuser or self.has_perm("forum.moderate"))

    @property
    def active_expert(self):
        """The expert credential if it is verified and not expired or revoked (checked on read)."""
        try:
            credential = self.expert_credential
        except ExpertCredential.DoesNotExist:
            return None
        return credential if credential.is_active else None

    def get_absolute_url(self):
        return reverse("people:profile", args=[self.pk])


def coi_confirm_cutoff(now):
    """Statements confirmed before this moment are out of date: the expert's badge is paused."""
    return now - timedelta(days=settings.EXPERT_COI_CONFIRM_DAYS)


class ExpertCredentialQuerySet(models.QuerySet):
    def verified(self, now=None):
        """Verified, not expired, not revoked: the credential stands, whether or not its conflict-of-interest
        statement is up to date."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, verified_until__gt=now, user__is_active=True)

    def active(self, now=None):
        """The one definition of an active expert: verified, and the conflict-of-interest statement confirmed
        within EXPERT_COI_CONFIRM_DAYS (a credential from before confirmations were recorded counts from its
        verification). ExpertCredential.is_active is the same rule for one row."""
        now = now or timezone.now()
        cutoff = coi_confirm_cutoff(now)
        return self.verified(now).filter(
            Q(coi_confirmed_at__gt=cutoff) | Q(coi_confirmed_at__isnull=True, verified_at__gt=cutoff)
        )


class ExpertCredential(models.Model):
    """What a moderator verified about an expert; the badge shows while it is active."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_credential"
    )
    profession = models.CharField(max_length=80)
    specialty = models.ForeignKey("forum.Category", on_delete=models.PROTECT, related_name="+")
    specialties = models.ManyToManyField("forum.Category", related_name="experts", blank=True)
    credentials = models.CharField(
        max_length=160, help_text="Public line, e.g. Psychiatrist, State University"
    )
    institution = models.CharField(max_length=160, blank=True)
    conflict_of_interest = models.TextField(max_length=1000, blank=True)
    verified_at = models.DateTimeField()
    verified_until = models.DateTimeField(db_index=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True)
    expiry_notice_sent_at = models.DateTimeField(null=True, blank=True)
    # Set at verification and whenever the expert re-confirms their statement; older than
    # EXPERT_COI_CONFIRM_DAYS pauses the badge. Null: a credential from before this was recorded.
    coi_confirmed_at = models.DateTimeField(null=True, blank=True)
    coi_notice_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ExpertCredentialQuerySet.as_manager()

    def __str__(self):
        return f"{self.user.public_name}: {self.badge_label}"

    @classmethod
    def next_expiry(cls):
        """When the next active expert loses the badge, by expiry or by an out-of-date conflict-of-interest
        statement (None when none is active)."""
        active = cls.objects.active()
        expiry = active.order_by("verified_until").values_list("verified_until", flat=True).first()
        confirmed = (
            active.annotate(confirmed=Coalesce("coi_confirmed_at", "verified_at"))
            .order_by("confirmed")
            .values_list("confirmed", flat=True)
            .first()
        )
        pause = confirmed + timedelta(days=settings.EXPERT_COI_CONFIRM_DAYS) if confirmed else None
        return min((moment for moment in (expiry, pause) if moment is not None), default=None)

    @property
    def is_verified(self) -> bool:
        return self.revoked_at is None and self.verified_until > timezone.now() and self.user.is_active

    @property
    def coi_due_at(self):
        """When the conflict-of-interest statement must be re-confirmed by (the badge pauses then)."""
        return (self.coi_confirmed_at or self.verified_at) + timedelta(days=settings.EXPERT_COI_CONFIRM_DAYS)

    @property
    def coi_paused(self) -> bool:
        """Verified, but the statement is out of date: no badge until the expert re-confirms it."""
        return self.is_verified and self.coi_due_at <= timezone.now()

    @property
    def coi_due_soon(self) -> bool:
        return self.is_active and self.coi_due_at - timezone.now() <= timedelta(days=COI_NOTICE_DAYS)

    @property
    def is_active(self) -> bool:
        return self.is_verified and self.coi_due_at > timezone.now()

    @property
    def badge_label(self) -> str:
        return self.specialty.expert_title

    @property
    def public_credentials(self) -> str:
        """Profession, credentials line and institution as one line, each thing said once: a part already
        contained in another (the profession the credentials line starts with, the institution it names) is
        left out."""
        parts = [self.profession, *self.credentials.split(","), self.institution]
        kept: list[str] = []
        for part in (p.strip() for p in parts):
            lowered = part.casefold()
            if not part or any(lowered in k.casefold() for k in kept):
                continue
            kept = [k for k in kept if k.casefold() not in lowered]
            kept.append(part)
        return ", ".join(kept)

    @property
    def expires_soon(self) -> bool:
        return self.is_active and self.verified_until - timezone.now() <= timedelta(days=30)


class ExpertApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        MORE_INFO = "more_info", "More information requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_applications"
    )
    profession = models.CharField(max_length=80, help_text="For example: Psychiatrist, Registered Dietitian.")
    specialties = models.ManyToManyField("forum.Category", related_name="+")
    credentials = models.CharField(
        max_length=160, help_text="Shown publicly, e.g. 'Psychiatrist, State University Medical School'."
    )
    institution = models.CharField(max_length=160)
    licence_number = models.CharField("licence or registration number", max_length=80)
    licence_issuer = models.CharField("issued by", max_length=160)
    conflict_of_interest = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    info_request = models.TextField(blank=True)
    applicant_reply = models.TextField(blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        permissions = [("verify_expert", "Can verify, reject and revoke experts")]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=["pending", "more_info"]),
                name="one_open_expert_application",
            )
        ]

    def __str__(self):
        return f"Expert application by {self.applicant.public_name} ({self.get_status_display()})"


class ExpertDocument(models.Model):
    application = models.ForeignKey(ExpertApplication, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(storage=private_storage, upload_to="expert-documents/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.original_name


class Badge(models.Model):
    class Tier(models.IntegerChoices):
        BRONZE = 1, "Bronze"
        SILVER = 2, "Silver"
        GOLD = 3, "Gold"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    description = models.CharField(max_length=200)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.BRONZE)

    class Meta:
        ordering = ["tier", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts:badge", args=[self.code])


class BadgeAward(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="badge_awards")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [models.UniqueConstraint(fields=["user", "badge"], name="badge_awarded_once")]

    def __str__(self):
        return f"{self.badge} → {self.user}"

"""Writes about people: profiles here; expert verification in accounts.verification, earned badges in
accounts.badges (award_badges_for) and reputation in accounts.reputation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from community import crisis_lines as crisis
from community import page_cache

from . import tasks
from .avatars import square_sizes, validate_avatar
from .models import User


def set_display_name(*, user: User, display_name: str) -> User:
    user.display_name = display_name.strip()[:60]
    user.save(update_fields=["display_name"])
    page_cache.everything_changed()  # the name beside their posts on cached pages
    return user


@transaction.atomic
def update_profile(
    *,
    user: User,
    display_name,
    location,
    show_location,
    bio,
    avatar=None,
    remove_avatar=False,
    country=None,
    crop="center",
):
    """A member edits their public profile. A new photo is validated by content, stripped of metadata
    and stored at each of AVATAR_SIZES, cropped square keeping the `crop` part (accounts.avatars.CROPS); the old files are removed after the save commits. `country` (kept
    when None; "" for "from my browser") must be one with crisis lines or community.crisis_lines.OTHER_COUNTRY."""
    if country is not None:
        if country and country not in dict(crisis.country_choices()):
            raise ValidationError({"country": "Choose a country from the list."})
        user.country = country
    # Names, not the FieldFiles: saving a new photo renames the very FieldFile objects user.avatar returns.
    old_files = (
        [(f.storage, f.name) for f in (user.avatar, user.avatar_small) if f]
        if (avatar or remove_avatar)
        else []
    )
    user.display_name = display_name.strip()
    user.location = location.strip()
    user.show_location = bool(show_location)
    user.bio = bio.strip()
    if avatar:
        validate_avatar(avatar)
        large, small = settings.AVATAR_SIZES
        files = square_sizes(avatar, crop)
        user.avatar.save(files[large].name, files[large], save=False)
        user.avatar_small.save(files[small].name, files[small], save=False)
    elif remove_avatar:
        user.avatar, user.avatar_small = "", ""
    user.full_clean(exclude=["password", "username", "email"])
    user.save()
    page_cache.everything_changed()  # name, location and photo beside their posts on cached pages
    tasks.delete_files_after_commit(old_files)
    return user

"""Crisis language: a phrase list kept as data (CrisisPhrase, editable in the admin) and the resources to show.

Matching is case-insensitive on word boundaries, and words may be separated by any whitespace, so
"I want to end my life" matches "end my life" while "killing time" or "cutting carbs" match nothing. The
same phrases are served as JSON to static/js/crisis.js, which shows the panel while a person is typing.
"""

import functools
import re

from django.conf import settings
from django.core.cache import cache
from django.utils.translation.trans_real import parse_accept_lang_header

from .models import CRISIS_CACHE_KEY, CrisisPhrase


def active_phrases() -> tuple[str, ...]:
    return cache.get_or_set(
        CRISIS_CACHE_KEY,
        lambda: tuple(CrisisPhrase.objects.filter(is_active=True).values_list("phrase", flat=True)),
        300,
    )


def _phrase_pattern(phrase: str) -> str:
    return r"\s+".join(re.escape(word) for word in phrase.split())


@functools.lru_cache(maxsize=8)
def _compiled(phrases: tuple[str, ...]) -> re.Pattern | None:
    if not phrases:
        return None
    alternatives = "|".join(_phrase_pattern(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def find(text: str, phrases: tuple[str, ...] | None = None) -> list[str]:
    """The crisis phrases found in `text`, lower-cased, in order of first appearance, without repeats."""
    pattern = _compiled(tuple(phrases) if phrases is not None else active_phrases())
    if pattern is None or not text:
        return []
    found: list[str] = []
    for match in pattern.finditer(text):
        phrase = " ".join(match.group(0).lower().split())
        if phrase not in found:
            found.append(phrase)
    return found


INTERNATIONAL = "INTL"
OTHER_COUNTRY = "ZZ"  # ISO 3166 "unknown or unspecified": a member somewhere without lines of its own


def resources(country: str | None = None) -> list[dict]:
    """Crisis lines for `country` (ISO code, e.g. "GB"); a country without its own gets the international
    list, no country the site's CRISIS_COUNTRY."""
    table = settings.CRISIS_RESOURCES
    key = (country or settings.CRISIS_COUNTRY or INTERNATIONAL).upper()
    return (table.get(key) or table[INTERNATIONAL])["lines"]


def country_choices() -> list[tuple[str, str]]:
    """The countries with their own crisis lines, then "Another country" (the international list)."""
    table = settings.CRISIS_RESOURCES
    countries = sorted(
        ((code, e["name"]) for code, e in table.items() if code != INTERNATIONAL), key=lambda c: c[1]
    )
    return [*countries, (OTHER_COUNTRY, table[INTERNATIONAL]["name"])]


def country_from_languages(accept_language: str) -> str:
    """The region of the browser's most preferred language that names one ("en-GB,en;q=0.9": "GB"), or ""."""
    for language, _quality in parse_accept_lang_header(accept_language or ""):
        for subtag in language.split("-")[1:]:
            if len(subtag) == 2 and subtag.isalpha():
                return subtag.upper()
    return ""


def country_for(request) -> str:
    """Whose crisis lines a person sees: the country on their profile, else their browser's region, else ""
    (resources() then uses the site's CRISIS_COUNTRY)."""
    user = getattr(request, "user", None)
    chosen = getattr(user, "country", "") if user is not None and user.is_authenticated else ""
    return chosen or country_from_languages(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))

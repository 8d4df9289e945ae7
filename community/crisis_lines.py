"""Crisis lines to show a person, per country, from settings (CRISIS_RESOURCES, CRISIS_COUNTRY).

Shared: forum shows them beside crisis language (forum.safety.crisis finds it), accounts lets a member choose the
country whose lines they see."""

from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header

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

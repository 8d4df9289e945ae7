"""Crisis language: a phrase list kept as data (CrisisPhrase, editable in the admin). The lines to call, per
country, are community.crisis_lines.

Matching is case-insensitive on word boundaries, and words may be separated by any whitespace, so
"I want to end my life" matches "end my life" while "killing time" or "cutting carbs" match nothing. The
same phrases are served as JSON to static/js/crisis.js, which shows the panel while a person is typing.
"""

import functools
import re

from django.core.cache import cache

from forum.models import CRISIS_CACHE_KEY, CrisisPhrase


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

"""The synonym list as searches use it: every phrase mapped to the phrases that mean the same."""

from django.core.cache import cache

from forum.search.models import SYNONYMS_CACHE_KEY, Synonym, phrase_key, phrase_words

LONGEST_PHRASE = 6  # words; longer synonym phrases are not looked for in queries


def _build() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    found: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for lay, clinical in Synonym.objects.values_list("lay_term", "clinical_term"):
        lay_key, clinical_key = phrase_key(lay), phrase_key(clinical)
        if lay_key and clinical_key and lay_key != clinical_key:
            # Keyed by comparable words ("cant sleep"); searched as written ("can't sleep").
            found.setdefault(lay_key, set()).add(phrase_words(clinical))
            found.setdefault(clinical_key, set()).add(phrase_words(lay))
    return {key: sorted(values) for key, values in found.items()}


def synonym_map() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """{phrase key: [equivalent phrases' words]}, both directions, from the cache (Synonym.save and delete clear it)."""
    return cache.get_or_set(SYNONYMS_CACHE_KEY, _build, 3600)

"""Synonyms kept as data: moderators edit them in the admin; every search expands its words with them."""

import re

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models

SYNONYMS_CACHE_KEY = "search:synonyms"


def phrase_key(text: str) -> tuple[str, ...]:
    """How a phrase is compared: lower case, apostrophes dropped ("can't" = "cant"), words only."""
    return tuple(re.findall(r"\w+", text.lower().replace("'", "").replace("\u2019", "")))


def phrase_words(text: str) -> tuple[str, ...]:
    """A phrase's words as they are searched for: lower case, apostrophes kept ("can't")."""
    return tuple(w for w in re.findall(r"[\w'\u2019]+", text.lower()) if re.search(r"\w", w))


class Synonym(models.Model):
    """Two phrases meaning the same to a reader: a search for either also finds the other."""

    lay_term = models.CharField(max_length=100, help_text="The words people use, e.g. 'heart attack'.")
    clinical_term = models.CharField(
        max_length=100, help_text="The words experts write, e.g. 'myocardial infarction'."
    )

    class Meta:
        ordering = ["lay_term", "clinical_term"]
        constraints = [
            models.UniqueConstraint(fields=["lay_term", "clinical_term"], name="synonym_pair_once"),
        ]

    def __str__(self):
        return f"{self.lay_term} \u2194 {self.clinical_term}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(SYNONYMS_CACHE_KEY)  # the next search reads the list anew (forum.search.synonyms)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache.delete(SYNONYMS_CACHE_KEY)
        return result

    def clean(self):
        self.lay_term = " ".join(self.lay_term.lower().split())
        self.clinical_term = " ".join(self.clinical_term.lower().split())
        if not phrase_key(self.lay_term) or not phrase_key(self.clinical_term):
            raise ValidationError("Both terms need at least one word.")
        if phrase_key(self.lay_term) == phrase_key(self.clinical_term):
            raise ValidationError("The two terms are the same words.")

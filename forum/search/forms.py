"""The search form: words, filters and a sort, all in the query string (results can be shared and bookmarked)."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.text import slugify
from taggit.models import Tag

from forum.models import Category, Status, TaggedQuestion
from forum.search.query import MAX_QUERY_LENGTH
from forum.search.selectors import RELEVANCE, SORTS, Filters


class SearchForm(forms.Form):
    q = forms.CharField(label="Search questions", max_length=MAX_QUERY_LENGTH, required=False, strip=True)
    category = forms.ModelChoiceField(
        label="Category",
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any category",
    )
    tag = forms.CharField(label="Tag", max_length=100, required=False, help_text="One tag, e.g. sleep")
    expert = forms.BooleanField(label="Answered by a verified expert", required=False)
    accepted = forms.BooleanField(label="Has an accepted answer", required=False)
    unanswered = forms.BooleanField(label="Unanswered", required=False)
    sort = forms.ChoiceField(label="Sort by", choices=list(SORTS.items()), required=False, initial=RELEVANCE)

    def clean_tag(self):
        text = self.cleaned_data["tag"].strip()
        if not text:
            return None
        # Only tags of public questions: a tag known only from hidden content must not show it exists.
        public = Tag.objects.filter(
            Exists(TaggedQuestion.objects.filter(tag=OuterRef("pk"), content_object__status=Status.APPROVED))
        )
        tag = public.filter(slug=slugify(text)).first() or public.filter(name__iexact=text).first()
        if tag is None:
            raise forms.ValidationError(
                f"No question is tagged “{text}”. Check the spelling, or see all tags."
            )
        return tag

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unanswered") and (cleaned.get("expert") or cleaned.get("accepted")):
            raise forms.ValidationError(
                "“Unanswered” cannot combine with an expert or accepted answer: untick one of them."
            )
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            category=data.get("category"),
            tag=data.get("tag"),
            expert_answered=bool(data.get("expert")),
            accepted=bool(data.get("accepted")),
            unanswered=bool(data.get("unanswered")),
        )

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import slugify

from forum.inbox import selectors as inbox_selectors
from forum.models import Category, Question
from forum.safety.forms import PersonalDataCheckForm


class TagsField(forms.CharField):
    """Comma-separated tags, normalised to slugs; at most FORUM_MAX_TAGS."""

    def clean(self, value):
        value = super().clean(value)
        tags = []
        for raw in (value or "").split(","):
            tag = slugify(raw.strip())[:50]
            if tag and tag not in tags:
                tags.append(tag)
        if len(tags) > settings.FORUM_MAX_TAGS:
            raise forms.ValidationError(f"Use at most {settings.FORUM_MAX_TAGS} tags.")
        return tags


def _terms_label():
    return format_html(
        'I accept the <a href="{}" target="_blank">community terms</a> and understand that answers here '
        "are not medical advice.",
        reverse("forum:terms"),
    )


def terms_field():
    # The label links to the terms page; it is built lazily because URLs load after forms.
    return forms.BooleanField(
        required=True,
        label=lazy(_terms_label, str)(),
        error_messages={"required": "Please accept the community terms to post."},
    )


class QuestionForm(PersonalDataCheckForm):
    title = forms.CharField(
        max_length=200,
        min_length=10,
        help_text="Summarise your question in one sentence.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label="Details",
        max_length=20000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 10, "data-markdown-editor": ""}),
        help_text="Markdown is supported. Leave out names, phone numbers and other personal details.",
    )
    category = forms.ModelChoiceField(queryset=Category.objects.all(), empty_label="Choose a category")
    tags = TagsField(
        required=False,
        help_text=f"Up to {settings.FORUM_MAX_TAGS}, separated by commas, e.g. sleep, anxiety.",
    )
    for_experts = forms.ModelChoiceField(
        label="Ask an expert",
        queryset=Category.objects.all(),
        required=False,
        empty_label="Anyone in the community",
        help_text="Address your question to verified experts of a specialty.",
    )
    is_anonymous = forms.BooleanField(
        label="Post anonymously",
        required=False,
        help_text="Others see “Anonymous member”; moderators still see who you are.",
    )


class AskForm(QuestionForm):
    # "Ask this expert" (the profile and the directory link to ?expert=<id>): the question is addressed to them.
    addressed_to_expert = forms.ModelChoiceField(
        queryset=inbox_selectors.askable_experts(), required=False, widget=forms.HiddenInput
    )
    accept_terms = terms_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only specialties someone can answer: read now, as verifications expire and are revoked.
        routable = inbox_selectors.specialties_with_experts()
        self.fields["for_experts"].queryset = routable
        self.fields["addressed_to_expert"].queryset = inbox_selectors.askable_experts()
        self.no_specialty_has_experts = not routable.exists()
        if self.no_specialty_has_experts:
            self.fields["for_experts"].disabled = True
            self.fields[
                "for_experts"
            ].help_text = (
                "No specialty has a verified expert yet, so your question goes to the whole community."
            )
        else:
            self.fields["for_experts"].help_text = (
                "Address your question to verified experts of a specialty. Only specialties with at least "
                "one verified expert are listed."
            )

    @classmethod
    def initial_from(cls, query) -> dict:
        """The form's start from the link that opened it (?expert=<id>); an unknown id is ignored."""
        wanted = query.get("expert", "")
        if wanted.isdigit():
            expert = inbox_selectors.askable_experts().filter(pk=int(wanted)).first()
            if expert is not None:
                return {"addressed_to_expert": expert}
        return {}

    def chosen_expert(self):
        """The expert the form addresses the question to (bound: what was sent; else: its start)."""
        if self.is_bound:
            return self.cleaned_data.get("addressed_to_expert") if hasattr(self, "cleaned_data") else None
        return self.initial.get("addressed_to_expert")


def edit_reason_field():
    return forms.CharField(
        label="Reason for this edit",
        max_length=500,
        required=False,
        help_text="Kept with the revision history; when a moderator edits someone's post, the author sees it.",
    )


class EditQuestionForm(QuestionForm):
    edit_reason = edit_reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["is_anonymous"]
        del self.fields["for_experts"]

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        return {
            "title": question.title,
            "body": question.body,
            "category": question.category_id,
            "tags": ", ".join(tag.name for tag in question.tags.all()),
        }


class AnswerForm(PersonalDataCheckForm):
    body = forms.CharField(
        label="Your answer",
        max_length=20000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6, "data-markdown-editor": ""}),
        help_text="Share experience, not diagnoses. Markdown is supported.",
    )
    accept_terms = terms_field()


class EditAnswerForm(PersonalDataCheckForm):
    body = AnswerForm.base_fields["body"]
    edit_reason = edit_reason_field()

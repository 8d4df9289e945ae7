"""Form pieces for trust and safety: the personal-data check every posting form runs, and moderator forms."""

from django import forms
from django.core.exceptions import ValidationError

from community.audit.models import AuditEntry

from . import pii
from .models import Flag, Sanction


class ClickedButton(forms.Widget):
    """A value sent only by the submit button the person clicks (the buttons themselves are in the page).

    It renders no input: a hidden input of the same name after the buttons would be sent too, and Django
    reads the last value of a name, so its empty value would replace the button's choice."""

    is_hidden = True  # no label or row in forum/_form_fields.html

    def render(self, name, value, attrs=None, renderer=None):
        return ""


class PersonalDataCheckForm(forms.Form):
    """Before a post is saved: if its text holds phone numbers, email addresses, street addresses or record
    numbers, the form comes back with a warning and two buttons, "remove them for me" (each replaced by
    [removed]) and "post anyway" (moderators then see a note in the queue)."""

    personal_data_fields = ("title", "body")
    personal_data = forms.ChoiceField(
        choices=[("", "Check"), ("remove", "Remove them"), ("keep", "Post anyway")],
        required=False,
        widget=ClickedButton,  # the buttons of forum/_personal_data_warning.html
    )

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("personal_data")
        texts = {n: cleaned[n] for n in self.personal_data_fields if n in self.fields and cleaned.get(n)}
        findings = [finding for text in texts.values() for finding in pii.find(text)]
        if not findings or choice == "keep":
            return cleaned
        if choice == "remove":
            for name, text in texts.items():
                cleaned[name] = pii.scrub(text)
            self.personal_data_removed = len(findings)
            return cleaned
        self.personal_data_findings = findings
        raise ValidationError(
            "Your post seems to include personal details. Please check them below before posting.",
            code="personal_data",
        )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=Flag.Reason.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="Anything the moderators should know?",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), help_text="The member sees this reason."
    )


class DuplicateForm(ReasonForm):
    original = forms.CharField(
        label="Original question (number or link)",
        max_length=300,
        help_text="For example 42 or https://…/q/42/…",
    )

    def clean_original(self):
        import re

        match = re.search(r"(?:/q/)?(\d+)", self.cleaned_data["original"])
        if not match:
            raise ValidationError("Give the number or the link of the original question.")
        return int(match.group(1))


class SanctionForm(ReasonForm):
    kind = forms.ChoiceField(choices=Sanction.Kind.choices, widget=forms.RadioSelect)
    days = forms.IntegerField(
        min_value=1, max_value=365, required=False, help_text="For a suspension: how many days."
    )
    hide_content = forms.BooleanField(
        required=False, label="Also hide everything they have published (suspension or ban)"
    )


class AppealForm(forms.Form):
    body = forms.CharField(
        label="Your message to the moderators", max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class AuditFilterForm(forms.Form):
    """The audit log's filters (GET). Each is optional and they combine; a bad one is reported, the rest apply."""

    action = forms.ChoiceField(choices=[("", "Any action"), *AuditEntry.Action.choices], required=False)
    moderator = forms.ModelChoiceField(queryset=None, required=False, empty_label="Anyone", label="Done by")
    member = forms.CharField(max_length=60, required=False, label="Member", help_text="Part of their name.")
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from .selectors import moderators

        super().__init__(*args, **kwargs)
        self.fields["moderator"].queryset = moderators()
        self.fields["moderator"].label_from_instance = lambda user: user.public_name

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data

    def filters(self) -> dict:
        """The filters that are valid (all of them when the form is), for forum.selectors.audit_entries."""
        self.is_valid()
        names = ("action", "moderator", "member", "since", "until")
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name)}

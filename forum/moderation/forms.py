import re

from django import forms
from django.core.exceptions import ValidationError

from community.audit.models import AuditEntry
from forum.models import Flag, Sanction
from forum.moderation.selectors import moderators


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The author sees this reason.",
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

"""Form pieces for trust and safety: the personal-data check every posting form runs, and moderator forms."""

from django import forms
from django.core.exceptions import ValidationError

from forum.safety import pii


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

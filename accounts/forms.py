from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from community.crisis_lines import OTHER_COUNTRY, country_choices

from .avatars import CROPS, validate_avatar
from .documents import MAX_DOCUMENTS
from .models import NONE_DECLARED, ExpertApplication, User
from .services import set_display_name


class SignupForm(forms.Form):
    """Extra sign-up field for allauth: the public display name (allauth handles email and password)."""

    display_name = forms.CharField(
        max_length=60,
        help_text="Shown next to your questions and answers. You can post anonymously later.",
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def signup(self, request, user):

        set_display_name(user=user, display_name=self.cleaned_data["display_name"])


class ProfileForm(forms.ModelForm):
    # A FileField, not an ImageField: the photo is judged by its content (validate_avatar), not its name.
    avatar_upload = forms.FileField(
        label="Photo",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG, PNG or WebP, up to 2 MB. Location data in the photo is removed.",
    )
    avatar_crop = forms.ChoiceField(
        label="Which part of the photo to keep",
        choices=[(key, label) for key, (label, _centering) in CROPS.items()],
        initial="center",
        required=False,
        help_text="Photos are cropped to a square.",
    )
    remove_avatar = forms.BooleanField(label="Remove my photo", required=False)
    country = forms.ChoiceField(
        label="Your country",
        required=False,
        help_text="Private. It chooses the crisis lines we show you if you ever need them.",
    )

    class Meta:
        model = User
        fields = ["display_name", "location", "show_location", "bio", "country"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, browser_country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = country_choices()
        names = dict(choices)
        unset = "Not set: from your browser's language"
        if browser_country:
            unset += f" ({names.get(browser_country, names[OTHER_COUNTRY])})"
        self.fields["country"].choices = [("", unset), *choices]

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if upload:
            validate_avatar(upload)
        return upload


# --- Expert verification -----------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several files in one input; each is checked by content in accounts.documents, not here by name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _documents_field(help_text: str):

    return DocumentsField(
        label="Proof documents",
        required=False,
        help_text=f"{help_text} PDF, JPEG or PNG, up to {filesizeformat(settings.EXPERT_DOCUMENT_MAX_BYTES)} "
        f"each, at most {MAX_DOCUMENTS}. Only moderators can open them.",
    )


class StatementFields(forms.Form):
    """A conflict-of-interest statement: "None declared", or the expert's own words. One is required."""

    none_declared = forms.BooleanField(
        label="None declared: I have no conflicts of interest to declare", required=False
    )
    conflict_of_interest = forms.CharField(
        label="Conflicts of interest",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown under every answer you write, e.g. 'Paid speaker for a drug maker'.",
    )

    def clean(self):
        data = super().clean()
        text = (data.get("conflict_of_interest") or "").strip()
        if data.get("none_declared") and text and text != NONE_DECLARED:
            self.add_error(
                "conflict_of_interest", "Choose 'None declared' or write your conflicts, not both."
            )
        elif data.get("none_declared"):
            data["conflict_of_interest"] = NONE_DECLARED
        elif not text and "conflict_of_interest" not in self.errors:
            self.add_error(
                "conflict_of_interest",
                "A statement is required: write your conflicts of interest, or tick 'None declared'.",
            )
        return data


class ExpertApplicationForm(StatementFields, forms.ModelForm):
    documents = _documents_field("For example your licence or registration certificate.")

    class Meta:
        model = ExpertApplication
        fields = [
            "profession",
            "specialties",
            "credentials",
            "institution",
            "licence_number",
            "licence_issuer",
        ]
        labels = {"specialties": "Specialties", "credentials": "Credentials line"}
        help_texts = {
            "specialties": "The categories you will answer in as an expert.",
            "licence_issuer": "The board, college or registry that issued the number.",
        }
        widgets = {"specialties": forms.CheckboxSelectMultiple}


class ReconfirmStatementForm(StatementFields):
    """An expert re-confirms their statement (the current one is filled in; they may reword it)."""

    @classmethod
    def of(cls, credential, data=None):
        if credential.conflict_of_interest == NONE_DECLARED:
            return cls(data, initial={"none_declared": True})
        return cls(data, initial={"conflict_of_interest": credential.conflict_of_interest})


class InfoReplyForm(forms.Form):
    reply = forms.CharField(
        label="Your answer to the moderator", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    documents = _documents_field("Add documents if the moderator asked for them.")


class InfoReplyWithStatementForm(StatementFields, InfoReplyForm):
    """The reply to a moderator on an application sent before a conflict-of-interest statement was
    required: the statement comes with it."""


class ApplicationDecisionForm(forms.Form):
    DECISIONS = [("approve", "Approve"), ("more_info", "Ask for more information"), ("reject", "Reject")]

    decision = forms.ChoiceField(choices=DECISIONS)
    message = forms.CharField(
        label="Message to the applicant",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to ask for more information or to reject; the applicant sees it.",
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason for revoking", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

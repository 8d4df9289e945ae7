from django import forms

from .avatars import validate_avatar
from .models import User


class SignupForm(forms.Form):
    """Extra sign-up field for allauth: the public display name (allauth handles email and password)."""

    display_name = forms.CharField(
        max_length=60,
        help_text="Shown next to your questions and answers. You can post anonymously later.",
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def signup(self, request, user):
        from .services import set_display_name

        set_display_name(user=user, display_name=self.cleaned_data["display_name"])


class ProfileForm(forms.ModelForm):
    avatar_upload = forms.ImageField(
        label="Photo",
        required=False,
        help_text="JPEG, PNG or WebP, up to 2 MB. Location data in the photo is removed.",
    )
    remove_avatar = forms.BooleanField(label="Remove my photo", required=False)

    class Meta:
        model = User
        fields = ["display_name", "location", "show_location", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if upload:
            validate_avatar(upload)
        return upload

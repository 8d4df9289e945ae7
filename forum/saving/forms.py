from django import forms

from forum.saving.models import NOTE_MAX_LENGTH, Saved


class NoteForm(forms.ModelForm):
    """A private note on a saved post: plain text, shown as typed (escaped), never as Markdown."""

    class Meta:
        model = Saved
        fields = ["note"]
        labels = {"note": "Your private note"}
        help_texts = {"note": f"Only you see it. Up to {NOTE_MAX_LENGTH} characters."}
        widgets = {"note": forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX_LENGTH})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = f"note-{self.instance.pk}-%s"  # one form per saved post on the page: unique ids

    def clean_note(self):
        return self.cleaned_data["note"].strip()

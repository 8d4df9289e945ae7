"""Form helpers both apps use."""

from django.core.exceptions import ValidationError


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form it came from (field errors where a field matches)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)

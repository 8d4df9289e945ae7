"""A member's own data: the JSON download and account deletion (allauth has no deletion flow)."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from .privacy import delete_account, export_data


@login_required
def export(request):
    payload = json.dumps(export_data(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    filename = f"health-community-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account and personal data will be deleted and this cannot be undone.",
        error_messages={"required": "Tick the box to confirm."},
    )


@login_required
def delete(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            delete_account(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else []:
                form.add_error(field if field in form.fields else None, errors)
            if not hasattr(error, "error_dict"):
                form.add_error(None, error.messages)
        else:
            logout(request)
            messages.success(
                request, "Your account is deleted. What you wrote stays, as by “Deleted member”."
            )
            return redirect("forum:home")
    return render(request, "accounts/delete_account.html", {"form": form}, status=400 if form.errors else 200)

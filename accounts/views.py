import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from community import crisis_lines as crisis

from .forms import ProfileForm
from .services import update_profile


@login_required
def profile_edit(request):
    # A copy, so a refused form does not change the signed-in member shown in the header.
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=copy.copy(request.user),
        browser_country=crisis.country_from_languages(request.META.get("HTTP_ACCEPT_LANGUAGE", "")),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            update_profile(
                user=request.user,
                display_name=data["display_name"],
                location=data["location"],
                show_location=data["show_location"],
                bio=data["bio"],
                avatar=data.get("avatar_upload"),
                remove_avatar=data.get("remove_avatar"),
                country=data["country"],
                crop=data.get("avatar_crop") or "center",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("people:profile", pk=request.user.pk)
    return render(request, "accounts/profile_edit.html", {"form": form}, status=400 if form.errors else 200)

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from forum import crisis

from . import selectors
from .forms import ProfileForm
from .models import User
from .services import update_profile


def profile(request, pk):
    """A member's public profile; for a verified expert also the expert profile (credentials, featured
    answers). An expert looking at their own profile gets a due expiry notice at once."""
    member = get_object_or_404(
        User.objects.select_related("expert_credential__specialty"), pk=pk, is_active=True
    )
    if request.user.pk == member.pk:
        from .verification import notice_on_read

        notice_on_read(member)
    expert = member.active_expert
    return render(
        request,
        "accounts/profile.html",
        {
            "member": member,
            "questions": selectors.profile_questions(member),
            "answers": selectors.profile_answers(member),
            "featured_answers": selectors.profile_answers(member, featured=True) if expert else [],
            "badge_awards": selectors.badges_of(member),
        },
    )


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
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile", pk=request.user.pk)
    return render(request, "accounts/profile_edit.html", {"form": form}, status=400 if form.errors else 200)

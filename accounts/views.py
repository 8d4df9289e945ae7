from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from forum.models import Answer, Question

from .forms import ProfileForm
from .models import User
from .services import update_profile


def profile(request, pk):
    member = get_object_or_404(
        User.objects.select_related("expert_credential__specialty"), pk=pk, is_active=True
    )
    # Anonymous questions never appear on the asker's public profile.
    questions = (
        Question.objects.approved()
        .filter(author=member, is_anonymous=False)
        .select_related("category")
        .order_by("-approved_at")[:10]
    )
    answers = (
        Answer.objects.visible_to(None)
        .filter(author=member)
        .select_related("question")
        .order_by("-created_at")[:10]
    )
    return render(
        request, "accounts/profile.html", {"member": member, "questions": questions, "answers": answers}
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
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
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile", pk=request.user.pk)
    return render(request, "accounts/profile_edit.html", {"form": form})

"""The notification centre: a member's notifications (unread first), marking them read, and email
preferences. Plain forms work without JavaScript; with htmx the same POSTs answer with fragments."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community.live import events
from community.notifications.models import Notification, NotificationPreference

from .services import mark_all_read, mark_read, unread_count

UNREAD_SHOWN = 100
READ_SHOWN = 50


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_expert_answered", "email_decisions", "email_answered", "expert_alerts"]

    def __init__(self, *args, is_expert: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_expert:  # how new questions reach an expert (forum.alerts): experts only
            del self.fields["expert_alerts"]


def _centre_context(user) -> dict:
    mine = Notification.objects.filter(recipient=user)
    return {
        "unread": list(mine.filter(read_at__isnull=True)[:UNREAD_SHOWN]),
        "read": list(mine.filter(read_at__isnull=False)[:READ_SHOWN]),
    }


@login_required
def notifications(request):
    # The stream's sequence is read before the list, so nothing created in between is missed live.
    live = events.page_stream(events.user_stream(request.user.pk))
    return render(request, "notifications/notifications.html", {**_centre_context(request.user), **live})


def _after_change(request):
    if request.htmx:
        context = {**_centre_context(request.user), "unread_notifications": unread_count(request.user)}
        return render(request, "notifications/_notification_centre.html", context)
    return redirect("notifications:centre")


@login_required
@require_POST
def notification_read(request, pk):
    mark_read(user=request.user, notification_id=pk)
    return _after_change(request)


@login_required
@require_POST
def notifications_read_all(request):
    changed = mark_all_read(user=request.user)
    if not request.htmx:
        messages.success(request, f"Marked {changed} notification{'s' if changed != 1 else ''} as read.")
    return _after_change(request)


@login_required
def notification_preferences(request):
    preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    # Any credential, even a paused one: the expert chooses before their badge is back.
    is_expert = hasattr(request.user, "expert_credential")
    form = NotificationPreferenceForm(request.POST or None, instance=preference, is_expert=is_expert)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your email preferences are saved.")
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/notification_preferences.html",
        {"form": form},
        status=400 if form.errors else 200,
    )

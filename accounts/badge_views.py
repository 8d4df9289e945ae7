"""Badge pages: every badge with its holders count, and who holds one badge."""

from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Badge


def badges(request):
    return render(request, "accounts/badges.html", {"badges": selectors.badge_index()})


def badge_detail(request, code):
    badge = get_object_or_404(Badge, code=code)
    return render(request, "accounts/badge.html", {"badge": badge, "awards": selectors.badge_holders(badge)})

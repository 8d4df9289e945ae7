"""Public pages about people with their content: a member's profile (with their published questions and
answers, and for a verified expert the expert profile) and the directory of verified experts."""

from django.shortcuts import get_object_or_404, render

from accounts import selectors as account_selectors
from accounts.forms import ReconfirmStatementForm
from accounts.models import User
from accounts.verification import notice_on_read
from forum.people import selectors


def profile(request, pk):
    """A member's public profile; for a verified expert also the expert profile (credentials, featured
    answers). An expert looking at their own profile gets a due expiry notice at once."""
    member = get_object_or_404(
        User.objects.select_related("expert_credential__specialty"), pk=pk, is_active=True
    )
    own = request.user.pk == member.pk
    if own:
        notice_on_read(member)
    expert = member.active_expert
    # The expert's own view: a paused badge (statement out of date) or a statement due soon, with the
    # one-click re-confirmation form (accounts:expert_statement).
    credential = getattr(member, "expert_credential", None) if own else None
    statement_due = credential is not None and (credential.coi_paused or credential.coi_due_soon)
    return render(
        request,
        "people/profile.html",
        {
            "member": member,
            "questions": selectors.profile_questions(member),
            "answers": selectors.profile_answers(member),
            "featured_answers": selectors.profile_answers(member, featured=True) if expert else [],
            "badge_awards": account_selectors.badges_of(member),
            "figures": selectors.expert_figures(member) if expert else None,
            "statement_credential": credential if statement_due else None,
            "statement_form": ReconfirmStatementForm.of(credential) if statement_due else None,
        },
    )


def experts(request):
    """The public directory: verified experts by specialty, with their published answer counts."""
    return render(request, "people/experts.html", {"specialties": selectors.expert_directory()})

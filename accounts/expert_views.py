"""Expert pages: apply and follow your application; the moderators' review queue; the private document
download. (The public expert directory is forum.people.views.) Thin adapters to accounts.verification and accounts.selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community.audit.models import AuditEntry
from community.forms import apply_errors

from . import selectors, verification
from .forms import (
    ApplicationDecisionForm,
    ExpertApplicationForm,
    InfoReplyForm,
    InfoReplyWithStatementForm,
    ReconfirmStatementForm,
    RevokeForm,
)
from .mfa import uses_powers
from .models import ExpertApplication, ExpertCredential, ExpertDocument
from .permissions import can_verify_experts, verifier_required

FILES_AGAIN = "Please choose your documents again: files are not kept when a form is sent back."


# --- The applicant ------------------------------------------------------------------------------------------


@login_required
def expert_apply(request):
    if ExpertApplication.objects.filter(applicant=request.user, status__in=verification.OPEN).exists():
        messages.info(request, "Your application is under review; you can follow it here.")
        return redirect("accounts:expert_application")
    form = ExpertApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            verification.apply_as_expert(
                applicant=request.user,
                profession=data["profession"],
                specialties=data["specialties"],
                credentials=data["credentials"],
                institution=data["institution"],
                licence_number=data["licence_number"],
                licence_issuer=data["licence_issuer"],
                conflict_of_interest=data["conflict_of_interest"],
                documents=data["documents"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Thank you. A moderator will review your application.")
            return redirect("accounts:expert_application")
    if form.errors and request.FILES:
        form.add_error(None, FILES_AGAIN)
    return render(request, "accounts/expert_apply.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def expert_application(request):
    """The applicant's own page: status, the moderator's request and the reply form, the credential."""
    verification.notice_on_read(request.user)
    application = selectors.latest_application(request.user)
    awaiting_reply = application is not None and application.status == ExpertApplication.Status.MORE_INFO
    # An application from before statements were required asks for one with the reply.
    reply_form = (
        InfoReplyWithStatementForm
        if awaiting_reply and not application.conflict_of_interest
        else InfoReplyForm
    )
    form = reply_form(request.POST or None, request.FILES or None) if awaiting_reply else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "Your application is not waiting for a reply.")
            return redirect("accounts:expert_application")
        if form.is_valid():
            try:
                verification.reply_to_info_request(
                    applicant=request.user,
                    application=application,
                    reply=form.cleaned_data["reply"],
                    documents=form.cleaned_data["documents"],
                    conflict_of_interest=form.cleaned_data.get("conflict_of_interest", ""),
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Your reply is sent to the moderators.")
                return redirect("accounts:expert_application")
        if request.FILES:
            form.add_error(None, FILES_AGAIN)
    credential = ExpertCredential.objects.filter(user=request.user).select_related("specialty").first()
    return render(
        request,
        "accounts/expert_application.html",
        {"application": application, "form": form, "credential": credential},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def expert_statement(request):
    """An expert re-confirms (or rewords) their conflict-of-interest statement. The expert's profile page
    carries the same form; a refused one comes back here with what they typed."""
    credential = ExpertCredential.objects.verified().filter(user=request.user).first()
    if credential is None:
        messages.info(request, "Only a verified expert has a conflict-of-interest statement to confirm.")
        return redirect("accounts:expert_application")
    form = ReconfirmStatementForm.of(credential, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification.reconfirm_statement(
                expert=request.user, statement=form.cleaned_data["conflict_of_interest"]
            )
        except ValidationError as error:
            form.add_error("conflict_of_interest", error.messages)
        else:
            messages.success(
                request, "Thank you: your statement is confirmed and your expert badge is shown."
            )
            return redirect("people:profile", pk=request.user.pk)
    return render(
        request,
        "accounts/expert_statement.html",
        {"form": form, "credential": credential},
        status=400 if form.errors else 200,
    )


# --- Moderators ---------------------------------------------------------------------------------------------


@verifier_required
def expert_queue(request):
    return render(
        request,
        "accounts/expert_queue.html",
        {
            "applications": list(selectors.open_applications()),
            "decided": selectors.recently_decided_applications(),
        },
    )


def _history(application):
    """Audit entries about this application and the applicant's credential, newest first."""
    condition = Q(target_type=ContentType.objects.get_for_model(ExpertApplication), target_id=application.pk)
    credential = getattr(application.applicant, "expert_credential", None) if application.applicant else None
    if credential is not None:
        condition |= Q(
            target_type=ContentType.objects.get_for_model(ExpertCredential), target_id=credential.pk
        )
    return list(AuditEntry.objects.filter(condition).select_related("actor")[:50])


def _review_page(request, application, *, decision_form=None, revoke_form=None, status=200):
    try:
        credential = application.applicant.expert_credential
    except ExpertCredential.DoesNotExist:
        credential = None
    return render(
        request,
        "accounts/expert_review.html",
        {
            "application": application,
            "credential": credential,
            "history": _history(application),
            "decision_form": decision_form or ApplicationDecisionForm(),
            "revoke_form": revoke_form or RevokeForm(),
            "own": application.applicant_id == request.user.pk,
        },
        status=status,
    )


def _application_or_404(pk):
    try:
        return selectors.application_for_review(pk)
    except ExpertApplication.DoesNotExist as exc:
        raise Http404("No such application.") from exc


@verifier_required
def expert_review(request, pk):
    return _review_page(request, _application_or_404(pk))


@verifier_required
@require_POST
def expert_decide(request, pk):
    application = _application_or_404(pk)
    form = ApplicationDecisionForm(request.POST)
    if not form.is_valid():
        return _review_page(request, application, decision_form=form, status=400)
    decision, message = form.cleaned_data["decision"], form.cleaned_data["message"]
    try:
        if decision == "approve":
            credential = verification.approve_application(moderator=request.user, application=application)
            done = f"{application.applicant.public_name} is now a verified {credential.badge_label}."
        elif decision == "more_info":
            verification.request_more_info(moderator=request.user, application=application, message=message)
            done = "The applicant is asked for more information."
        else:
            verification.reject_application(moderator=request.user, application=application, reason=message)
            done = "The application is rejected; the applicant sees your reason."
    except verification.ApplicationAlreadyDecided as exc:
        messages.warning(request, str(exc))
        return redirect("accounts:expert_review", pk=application.pk)
    except ValidationError as error:
        # The services name the text "message" or "reason"; on this form it is always "message".
        field = "message" if getattr(error, "error_dict", {}).keys() & {"message", "reason"} else None
        form.add_error(field, error.messages)
        return _review_page(request, application, decision_form=form, status=400)
    messages.success(request, done)
    return redirect("accounts:expert_queue")


@verifier_required
@require_POST
def expert_revoke(request, pk):
    """Revoke the credential of the applicant of application `pk` (the page moderators work from)."""
    application = _application_or_404(pk)
    credential = get_object_or_404(ExpertCredential, user_id=application.applicant_id)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            verification.revoke_expert(
                moderator=request.user, credential=credential, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{application.applicant.public_name}'s verification is revoked.")
            return redirect("accounts:expert_review", pk=application.pk)
    return _review_page(request, application, revoke_form=form, status=400)


@uses_powers
def expert_document(request, pk):
    """A proof document, for moderators only. Everyone else gets 404, as if it did not exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_verify_experts(request.user):
        raise Http404("No such document.")
    document = get_object_or_404(ExpertDocument.objects.select_related("application__applicant"), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    verification.record_document_download(moderator=request.user, document=document)
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

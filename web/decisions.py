"""Signing decisions and answering public feedback: thin views over approvals and workflow services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.documents import decision_draft_pdf
from approvals.models import PostingFeedback
from approvals.selectors import (
    can_download_certificate,
    can_download_decision,
    certificates_visible_to,
    get_decision_for_user,
)
from approvals.services import feedback_answer as feedback_answer_service
from approvals.services import feedback_mark_spam
from nominations.selectors import get_nomination_for_user, nominations_visible_to
from organisation.policy import scope_of
from web.forms import FeedbackAnswerForm, FeedbackSpamForm, SignForm, messages_from_service
from web.params import posted_ids
from workflows.services import decision_preview
from workflows.services import decision_sign as decision_sign_service


def _chosen(request):
    """The nominations ticked on the approver's home or the nomination page, as the user may see them."""
    if not scope_of(request.user).units("sign_decision"):
        raise PermissionDenied
    ids = posted_ids(request.POST.getlist("nomination"))
    chosen = list(nominations_visible_to(request.user).filter(pk__in=ids))
    if not chosen or len(chosen) != len(set(ids)):
        return None
    return chosen


@login_required
@require_POST
def decision_confirm(request):
    """Before signing: the number, the nominees with their cash and the total, a link to the draft PDF."""
    chosen = _chosen(request)
    if chosen is None:
        messages.error(request, _("Chọn ít nhất một đề nghị để ký."))
        return redirect("nominations:home")
    form = SignForm(request.POST)
    form.is_valid()
    try:
        plan, number, cash, total = decision_preview(
            actor=request.user,
            nominations=chosen,
            title=form.cleaned_data.get("title", ""),
            register_number=form.cleaned_data.get("register_number", ""),
        )
    except ValidationError as exc:
        messages_from_service(request, exc)
        return redirect("nominations:home")
    rows = [(n, cash[n.pk]) for n in plan.rows]
    return render(
        request,
        "approvals/decision_confirm.html",
        {"plan": plan, "number": number, "rows": rows, "total": total, "form": form},
    )


@login_required
@require_POST
def decision_draft(request):
    """The draft decision PDF (watermarked DỰ THẢO) of what would be signed; nothing is stored."""
    chosen = _chosen(request)
    if chosen is None:
        raise Http404
    form = SignForm(request.POST)
    form.is_valid()
    try:
        plan, number, cash, _total = decision_preview(
            actor=request.user,
            nominations=chosen,
            title=form.cleaned_data.get("title", ""),
            register_number=form.cleaned_data.get("register_number", ""),
        )
    except ValidationError as exc:
        messages_from_service(request, exc)
        return redirect("nominations:home")
    pdf = decision_draft_pdf(
        issuer=plan.issuer,
        signer=request.user,
        rows=plan.rows,
        cash=cash,
        number=number,
        title=plan.title,
        signed_on=plan.signed_on,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="du-thao-quyet-dinh.pdf"'
    return response


@login_required
@require_POST
def decision_sign(request):
    """Sign one decision for the nominations confirmed on the confirmation page; the number is shown next."""
    chosen = _chosen(request)
    if chosen is None:
        messages.error(request, _("Chọn ít nhất một đề nghị để ký."))
        return redirect("nominations:home")
    if request.POST.get("confirmed") != "1":
        messages.error(request, _("Vui lòng xem lại và xác nhận trước khi ký."))
        return redirect("nominations:home")
    form = SignForm(request.POST)
    form.is_valid()
    try:
        decision = decision_sign_service(
            actor=request.user,
            nominations=chosen,
            title=form.cleaned_data.get("title", ""),
            register_number=form.cleaned_data.get("register_number", ""),
        )
    except ValidationError as exc:
        messages_from_service(request, exc)
        return redirect("nominations:home")
    messages.success(request, _("Đã ký quyết định số %(number)s.") % {"number": decision.number})
    return redirect("approvals:decision", pk=decision.pk)


@login_required
def decision_detail(request, pk):
    """A decision with the awardees the user may read (an unrelated user sees nothing: 404)."""
    decision = get_decision_for_user(request.user, pk)
    certificates = list(certificates_visible_to(request.user, decision))
    for certificate in certificates:
        certificate.can_download = certificate.nomination.award_type.carries_certificate and (
            can_download_certificate(request.user, certificate)
        )
    return render(
        request,
        "approvals/decision_detail.html",
        {
            "decision": decision,
            "certificates": certificates,
            "can_download": can_download_decision(request.user, decision),
        },
    )


@login_required
@require_POST
def feedback_answer(request, pk):
    """A reviewer of the deciding unit answers a piece of public feedback."""
    feedback = get_object_or_404(PostingFeedback.objects.select_related("posting"), pk=pk)
    nomination = get_nomination_for_user(request.user, feedback.posting.nomination_id)
    form = FeedbackAnswerForm(request.POST)
    form.is_valid()
    try:
        feedback_answer_service(
            feedback=feedback, actor=request.user, answer=form.cleaned_data.get("answer", "")
        )
    except ValidationError as exc:
        messages_from_service(request, exc)
    else:
        messages.success(request, _("Đã trả lời góp ý."))
    return redirect("nominations:detail", pk=nomination.pk)


@login_required
@require_POST
def feedback_spam(request, pk):
    """A reviewer of the deciding unit marks public feedback as spam (audited): it no longer blocks the vote."""
    feedback = get_object_or_404(PostingFeedback.objects.select_related("posting"), pk=pk)
    nomination = get_nomination_for_user(request.user, feedback.posting.nomination_id)
    form = FeedbackSpamForm(request.POST)
    form.is_valid()
    try:
        feedback_mark_spam(feedback=feedback, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages_from_service(request, exc)
    else:
        messages.success(request, _("Đã đánh dấu góp ý là rác."))
    return redirect("nominations:detail", pk=nomination.pk)

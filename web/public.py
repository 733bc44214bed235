"""Pages anyone may read without logging in: posted nominee lists, the honour roll, certificate verification.

They show only what the law requires to be public (name, position, unit, proposed award), never the citizen ID
or the discipline status.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.documents import decision_signature_check
from approvals.models import Certificate, Posting
from approvals.selectors import certificate_by_serial
from approvals.services import FeedbackRateLimited, feedback_receive
from audit.context import client_address
from nominations.models import Nomination, Status
from nominations.selectors import nominations_posted_publicly
from web.forms import CertificateLookupForm, FeedbackForm, errors_from_service
from web.params import YearQueryForm, query_params

PUBLIC_FIELDS = ("nominee__full_name", "nominee__position", "unit__name", "award_type__name")


def _posted(today):
    nominations = list(
        nominations_posted_publicly(today)
        .select_related("nominee", "unit", "award_type")
        .only("pk", "period_year", "achievements", *PUBLIC_FIELDS)
        .order_by("unit__name", "nominee__full_name")
    )
    postings = {}
    for posting in Posting.objects.filter(
        nomination__in=[n.pk for n in nominations], opens_on__lte=today, closes_on__gte=today
    ).order_by("opens_on"):
        postings[posting.nomination_id] = posting
    return [(n, postings.get(n.pk)) for n in nominations]


def posted_list(request, forms_override=None, status=200):
    today = timezone.localdate()
    rows = []
    for nomination, posting in _posted(today):
        form = (forms_override or {}).get(posting.pk) if posting else None
        rows.append((nomination, posting, form or FeedbackForm()))
    return render(request, "public/posted_list.html", {"rows": rows, "today": today}, status=status)


@require_POST
def feedback_send(request, posting_pk):
    """Anonymous feedback: the challenge (web.challenge) on the form, the rate limits in the service."""
    posting = get_object_or_404(Posting, pk=posting_pk, nomination__status=Status.POSTING)
    form = FeedbackForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            feedback_receive(
                posting=posting,
                sender_name=form.cleaned_data["sender_name"],
                content=form.cleaned_data["content"],
                sender_contact=form.cleaned_data["sender_contact"],
                sender_ip=client_address(request),
            )
        except FeedbackRateLimited as exc:
            errors_from_service(form, exc)
            status = 429
        except ValidationError as exc:
            errors_from_service(form, exc)
        else:
            messages.success(request, _("Cảm ơn, góp ý của bạn đã được ghi nhận."))
            return redirect("public:posted")
    form.challenge_renew()
    return posted_list(request, {posting.pk: form}, status=status)


def honour_roll(request):
    """Awarded nominations by year (sổ vàng), newest year first."""
    years = sorted(
        set(Nomination.objects.filter(status=Status.AWARDED).values_list("period_year", flat=True)),
        reverse=True,
    )
    year = query_params(request, YearQueryForm)["nam"]
    if year is None:
        year = years[0] if years else timezone.localdate().year
    queryset = (
        Nomination.objects.filter(status=Status.AWARDED, period_year=year)
        .select_related("nominee", "unit", "award_type", "certificate__decision")
        .only(
            "pk",
            "period_year",
            *PUBLIC_FIELDS,
            "certificate__verification_code",
            "certificate__decision__number",
            "certificate__decision__signed_on",
        )
        .order_by("award_type__name", "nominee__full_name")
    )
    page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    return render(request, "public/honour_roll.html", {"page": page, "year": year, "years": years})


def verify_lookup(request):
    """Look a certificate up by the serial printed on it (for whoever has the paper but no QR reader)."""
    form = CertificateLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        certificate = certificate_by_serial(form.cleaned_data["serial"])
        if certificate is not None:
            return redirect("public:verify", code=certificate.verification_code)
        form.add_error("serial", _("Không tìm thấy bằng khen, giấy khen có số hiệu này."))
    return render(request, "public/verify.html", {"lookup_form": form}, status=404 if form.errors else 200)


def verify(request, code):
    """What the QR code on a certificate opens: who holds it, for what, by which decision, and if it still stands."""
    certificate = (
        Certificate.objects.select_related(
            "decision__issuer", "nomination__nominee", "nomination__award_type", "nomination__unit"
        )
        .filter(verification_code=code)
        .first()
    )
    return render(
        request,
        "public/verify.html",
        {
            "certificate": certificate,
            "code": code,
            "lookup_form": CertificateLookupForm(),
            "signature": decision_signature_check(certificate.decision) if certificate else None,
        },
        status=200 if certificate else 404,
    )

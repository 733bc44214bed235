"""Công dân Đồng Khởi: the public golden book (sổ vàng), and the officials' screens for the annual round — open and
close it (the province's appraisers), file a nomination in it (a unit's clerk)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from nominations import honours
from nominations.models import AwardType, DossierKind, HonourRound, Route
from nominations.services import dossier_file_add
from organisation.models import Council, CouncilKind, Unit
from organisation.policy import scope_of
from web import forms
from workflows import services as workflow_services


@require_safe
def golden_book(request):
    """List every holder by year: name, title variant, position and unit, decision number, conferral day."""
    return render(request, "nominations/golden_book.html", {"years": honours.golden_book()})


def _advisory_councils(user):
    units = scope_of(user).units(honours.ROUND_PERMISSION)
    return Council.objects.filter(kind=CouncilKind.ADVISORY, unit_id__in=units).select_related("unit")


def _filing_units(user):
    return Unit.objects.filter(pk__in=scope_of(user).units("file_nomination")).order_by("code")


@login_required
def round_list(request, open_form=None):
    """The rounds by year: who runs them opens and closes them; a unit's clerk files in the open one."""
    councils = _advisory_councils(request.user)
    can_run = councils.exists()
    can_file = _filing_units(request.user).exists()
    if not (can_run or can_file):
        raise PermissionDenied
    today = timezone.localdate()
    rounds = [
        (honour_round, honours.round_window_error(honour_round, today))
        for honour_round in HonourRound.objects.select_related("council__unit").order_by("-year")
    ]
    context = {
        "rounds": rounds,
        "can_run": can_run,
        "can_file": can_file,
        "open_form": open_form or (forms.HonourRoundOpenForm(councils=councils) if can_run else None),
    }
    return render(request, "nominations/honour_rounds.html", context, status=400 if open_form else 200)


@login_required
@require_POST
def round_open(request):
    councils = _advisory_councils(request.user)
    if not councils.exists():
        raise PermissionDenied
    form = forms.HonourRoundOpenForm(request.POST, councils=councils)
    if form.is_valid():
        data = form.cleaned_data
        try:
            honour_round = honours.round_open(
                actor=request.user,
                year=data["year"],
                council=data["council"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                conferral_on=data.get("conferral_on"),
            )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(
                request, _("Đã mở đợt xét Công dân Đồng Khởi năm %(year)s.") % {"year": honour_round.year}
            )
            return redirect("honours:rounds")
    return round_list(request, open_form=form)


@login_required
@require_POST
def round_close(request, year):
    honour_round = HonourRound.objects.filter(year=year).first()
    if honour_round is None:
        raise Http404
    try:
        honours.round_close(actor=request.user, honour_round=honour_round)
    except ValidationError as exc:
        forms.messages_from_service(request, exc)
    else:
        messages.success(request, _("Đã kết thúc đợt xét năm %(year)s.") % {"year": year})
    return redirect("honours:rounds")


@login_required
def round_nominate(request, year):
    """File a Công dân Đồng Khởi nomination in the round of `year`, with its achievement report."""
    units = _filing_units(request.user)
    if not units:
        raise PermissionDenied
    honour_round = HonourRound.objects.filter(year=year).first()
    if honour_round is None:
        raise Http404
    form = forms.HonourNominationForm(request.POST or None, request.FILES or None, units=units)
    window = honours.round_window_error(honour_round)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                nomination = workflow_services.nomination_file(
                    actor=request.user,
                    unit=data["unit"],
                    award_type=AwardType.version_on(honours.DONG_KHOI_CODE),
                    nominee_data=form.nominee_data(),
                    period_year=honour_round.year,
                    achievements=data["achievements"],
                    route=Route.DONG_KHOI,
                    honour_round=honour_round,
                    variant=data["variant"],
                )
                dossier_file_add(
                    actor=request.user,
                    nomination=nomination,
                    kind=DossierKind.ACHIEVEMENT_REPORT,
                    uploaded=data["file"],
                )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã lập đề nghị #%(pk)s.") % {"pk": nomination.pk})
            return redirect("nominations:detail", pk=nomination.pk)
    return render(
        request,
        "nominations/honour_nominate.html",
        {"form": form, "round": honour_round, "window": window},
        status=400 if form.errors else 200,
    )

"""The movement's pages (issue 24): the province launches a movement and sets its targets; units register their
commitments, the tier above acknowledges them, units report results; reviewers mark exemplary models (listed on a
public page); clusters score their members and propose the leader for the Cờ thi đua; the yearly review gathers it
all into its report. Every rule is in `nominations.movement` (and `workflows.movement` for the hand-over)."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from approvals.movement_report import review_report_download
from audit.services import read_record
from nominations import movement as rules
from nominations.models import (
    ClusterScore,
    Movement,
    MovementReview,
    ProgressReport,
    RegistrationStatus,
    ReviewStatus,
)
from organisation.models import Tier, Unit
from organisation.policy import scope_of
from web import forms as web_forms
from web import movement_forms as forms
from workflows.movement import flag_propose


def _run_units(user):
    return Unit.objects.filter(pk__in=scope_of(user).units(rules.RUN_PERMISSION), tier=Tier.PROVINCE)


def _filing_units(user):
    return Unit.objects.filter(
        pk__in=scope_of(user).units(rules.PREPARE_PERMISSION), tier__in=rules.REGISTERING_TIERS
    ).order_by("code")


def _launched():
    return Movement.objects.filter(launched_on__isnull=False, launched_by__isnull=False).select_related(
        "launched_by", "predecessor"
    )


# ------------------------------------------------------------------------------------------------ movements
@login_required
def movement_list(request, launch_form=None):
    run_units = _run_units(request.user)
    context = {
        "movements": Movement.objects.select_related("launched_by", "predecessor").order_by(
            "-start_year", "code"
        ),
        "launch_form": launch_form
        or (forms.MovementLaunchForm(launching_unit=run_units.first()) if run_units.exists() else None),
    }
    return render(request, "movement/movement_list.html", context, status=400 if launch_form else 200)


@login_required
@require_POST
def movement_launch(request):
    run_units = list(_run_units(request.user))
    if not run_units:
        raise PermissionDenied
    form = forms.MovementLaunchForm(request.POST, launching_unit=run_units[0])
    if form.is_valid():
        data = form.cleaned_data
        try:
            movement = rules.movement_launch(
                actor=request.user,
                unit=run_units[0],
                code=data["code"],
                name=data["name"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                vision_year=data.get("vision_year"),
                launch_document=data["launch_document"],
                launched_on=data["launched_on"],
                predecessor=data.get("predecessor"),
                areas=data["areas"],
                description=data.get("description", ""),
                addressed_units=list(data.get("addressed_units") or []),
            )
        except ValidationError as exc:
            web_forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã phát động phong trào “%(name)s”.") % {"name": movement.name})
            return redirect("movement:detail", pk=movement.pk)
    return movement_list(request, launch_form=form)


@login_required
def movement_detail(request, pk, target_form=None):
    movement = get_object_or_404(Movement.objects.select_related("launched_by", "predecessor"), pk=pk)
    runs = rules.runs(request.user, movement)
    areas = rules.areas_in_order(movement)
    targets = {}
    for target in movement.targets.all():
        targets.setdefault(target.content_area_id, []).append(target)
    tree = [
        (
            area,
            [(c, targets.get(c.pk, [])) for c in areas if c.parent_id == area.pk],
            targets.get(area.pk, []),
        )
        for area in areas
        if area.parent_id is None
    ]
    context = {
        "movement": movement,
        "tree": tree,
        "runs": runs,
        "clusters": rules.clusters_of(movement),
        "year": timezone.localdate().year,
        "target_form": target_form or (forms.TargetForm(movement=movement) if runs else None),
    }
    return render(request, "movement/movement_detail.html", context, status=400 if target_form else 200)


@login_required
@require_POST
def target_add(request, pk):
    movement = get_object_or_404(Movement, pk=pk)
    if not rules.runs(request.user, movement):
        raise PermissionDenied
    form = forms.TargetForm(request.POST, movement=movement)
    if form.is_valid():
        try:
            rules.target_set(actor=request.user, movement=movement, **form.cleaned_data)
        except ValidationError as exc:
            web_forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã thêm chỉ tiêu."))
            return redirect("movement:detail", pk=movement.pk)
    return movement_detail(request, pk, target_form=form)


# ---------------------------------------------------------------------------------------------- registrations
@login_required
def registration_list(request, register_form=None):
    own, waiting, reviewed = rules.registrations_for(request.user)
    units = _filing_units(request.user)
    context = {
        "own": own,
        "waiting": waiting,
        "reviewed": [r for r in reviewed if r not in waiting],
        "register_form": register_form
        or (forms.RegisterForm(movements=_launched(), units=units) if units.exists() else None),
    }
    return render(request, "movement/registration_list.html", context, status=400 if register_form else 200)


@login_required
@require_POST
def registration_create(request):
    units = _filing_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = forms.RegisterForm(request.POST, movements=_launched(), units=units)
    if form.is_valid():
        try:
            registration = rules.registration_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            web_forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã lập đăng ký thi đua năm %(year)s.") % {"year": registration.year})
            return redirect("movement:registration", pk=registration.pk)
    return registration_list(request, register_form=form)


def _registration_context(request, registration, **bound):
    scope = scope_of(request.user)
    status = registration.status
    editable = status in rules.EDITABLE
    prepares = scope.can(rules.PREPARE_PERMISSION, registration.unit_id)
    signs = scope.can(rules.SIGN_PERMISSION, registration.unit_id)
    acknowledges = scope.can(rules.ACKNOWLEDGE_PERMISSION, registration.reviewer_unit_id)
    acknowledged = status == RegistrationStatus.ACKNOWLEDGED
    marks = acknowledged and rules.can_mark_exemplary(request.user, registration)
    movement = registration.movement
    return {
        "registration": registration,
        "rows": rules.registration_rows(registration),
        "results": ProgressReport.objects.filter(commitment__registration=registration).select_related(
            "commitment"
        ),
        "exemplary": registration.exemplary_models.filter(withdrawn_at__isnull=True),
        "signatories": Unit.objects.filter(pk__in=registration.signatories).order_by("code"),
        "commitment_form": bound.get("commitment_form")
        or (forms.CommitmentForm(movement=movement) if prepares and editable else None),
        "submit_form": bound.get("submit_form")
        or (
            forms.SubmitRegistrationForm(initial={"pledge": registration.pledge})
            if signs and editable
            else None
        ),
        "is_cluster": registration.unit.tier == Tier.CLUSTER,
        "can_acknowledge": acknowledges and status == RegistrationStatus.SUBMITTED,
        "return_form": bound.get("return_form") or forms.ReturnForm(),
        "result_form": bound.get("result_form")
        or (forms.ResultForm(registration=registration) if prepares and acknowledged else None),
        "exemplary_form": bound.get("exemplary_form")
        or (forms.ExemplaryForm(registration=registration) if marks else None),
        "withdraw_form": bound.get("withdraw_form")
        or (
            forms.ExemplaryWithdrawForm(registration=registration)
            if marks and registration.exemplary_models.filter(withdrawn_at__isnull=True).exists()
            else None
        ),
    }


@login_required
def registration_detail(request, pk):
    registration = rules.get_registration_for_user(request.user, pk)
    return render(request, "movement/registration_detail.html", _registration_context(request, registration))


ACTS = {"commitment", "submit", "acknowledge", "return", "exemplary", "withdraw"}


@login_required
@require_POST
def registration_act(request, pk):
    """One write per action on a registration, each through its service (which checks who may)."""
    registration = rules.get_registration_for_user(request.user, pk)
    action = request.POST.get("action")
    if action not in ACTS:
        raise Http404
    form, done = None, None
    if action == "commitment":
        form = forms.CommitmentForm(request.POST, movement=registration.movement)
        call, done = rules.commitment_add, _("Đã thêm nội dung đăng ký.")
    elif action == "submit":
        form = forms.SubmitRegistrationForm(request.POST)
        call, done = rules.registration_submit, _("Đã ký và gửi đăng ký thi đua lên cấp trên.")
    elif action == "return":
        form = forms.ReturnForm(request.POST)
        call, done = rules.registration_return, _("Đã trả lại đăng ký.")
    elif action == "exemplary":
        form = forms.ExemplaryForm(request.POST, registration=registration)
        call, done = rules.exemplary_mark, _("Đã ghi nhận điển hình tiên tiến.")
    elif action == "withdraw":
        form = forms.ExemplaryWithdrawForm(request.POST, registration=registration)
        call, done = _exemplary_withdraw, _("Đã thôi ghi nhận điển hình.")
    else:
        call, done = rules.registration_acknowledge, _("Đã ghi nhận đăng ký thi đua.")
    if form is None or form.is_valid():
        data = dict(form.cleaned_data) if form is not None else {}
        if action == "submit" and registration.unit.tier != Tier.CLUSTER:
            data.pop("pledge", None)
        try:
            call(actor=request.user, registration=registration, **data)
        except ValidationError as exc:
            if form is None:
                web_forms.messages_from_service(request, exc)
                return redirect("movement:registration", pk=pk)
            web_forms.errors_from_service(form, exc)
        else:
            messages.success(request, done)
            return redirect("movement:registration", pk=pk)
    context = _registration_context(request, registration, **{f"{action}_form": form})
    return render(request, "movement/registration_detail.html", context, status=400)


def _exemplary_withdraw(*, actor, registration, model, reason):
    return rules.exemplary_withdraw(actor=actor, model=model, reason=reason)


@login_required
@require_POST
def result_add(request, pk):
    registration = rules.get_registration_for_user(request.user, pk)
    form = forms.ResultForm(request.POST, request.FILES, registration=registration)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rules.result_report(
                actor=request.user,
                commitment=data["commitment"],
                description=data["description"],
                value=data.get("value"),
                is_met=data.get("is_met"),
                uploaded=data.get("file"),
            )
        except ValidationError as exc:
            web_forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã báo cáo kết quả thực hiện."))
            return redirect("movement:registration", pk=pk)
    context = _registration_context(request, registration, result_form=form)
    return render(request, "movement/registration_detail.html", context, status=400)


@login_required
@require_safe
def evidence_download(request, pk):
    report = get_object_or_404(ProgressReport.objects.select_related("commitment__registration"), pk=pk)
    registration = rules.get_registration_for_user(request.user, report.commitment.registration_id)
    if not report.evidence:
        raise Http404
    try:
        handle = report.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    read_record(request.user, report, None, "download", data={"registration": registration.pk})
    return FileResponse(
        handle, as_attachment=True, filename=report.evidence_name, content_type=report.evidence_type
    )


# ---------------------------------------------------------------------------------------------- clusters
def _cluster_access(user, movement, cluster, year):
    scope = scope_of(user)
    members = rules.cluster_members(cluster, year)
    scoring_units = [u for u in members if scope.can(rules.SIGN_PERMISSION, u.pk)]
    sets_criteria = rules.can_set_criteria(user, cluster, movement)
    files = scope.can("file_nomination", cluster.pk)
    if not (scoring_units or sets_criteria or files or rules.can_read_review(user, movement)):
        raise PermissionDenied
    return members, scoring_units, sets_criteria, files


@login_required
def cluster_page(request, pk, cluster_pk, year, criterion_form=None, status=200):
    movement = get_object_or_404(Movement, pk=pk)
    cluster = get_object_or_404(Unit, pk=cluster_pk, tier=Tier.CLUSTER)
    members, scoring_units, sets_criteria, files = _cluster_access(request.user, movement, cluster, year)
    criteria, ranked = rules.cluster_ranking(cluster=cluster, movement=movement, year=year)
    review = MovementReview.objects.filter(movement=movement, year=year).first()
    proposal = review.flag_proposals.filter(cluster=cluster).first() if review else None
    given = {
        (row.scorer_id, row.criterion_id, row.scored_id): row.points
        for row in ClusterScore.objects.filter(criterion__in=criteria, scorer__in=scoring_units)
    }
    sheets = [
        (
            scorer,
            [
                (
                    unit,
                    [
                        (f"points-{c.pk}-{unit.pk}", given.get((scorer.pk, c.pk, unit.pk), ""), c)
                        for c in criteria
                    ],
                )
                for unit in members
                if unit.pk != scorer.pk
            ],
        )
        for scorer in scoring_units
    ]
    context = {
        "movement": movement,
        "cluster": cluster,
        "year": year,
        "members": members,
        "criteria": criteria,
        "ranked": ranked,
        "sheets": sheets if criteria else [],
        "criterion_form": criterion_form or (forms.CriterionForm() if sets_criteria else None),
        "can_propose": files
        and review is not None
        and review.status == ReviewStatus.OPEN
        and proposal is None,
        "proposal": proposal,
    }
    return render(request, "movement/cluster.html", context, status=status)


@login_required
@require_POST
def cluster_act(request, pk, cluster_pk, year):
    movement = get_object_or_404(Movement, pk=pk)
    cluster = get_object_or_404(Unit, pk=cluster_pk, tier=Tier.CLUSTER)
    members, scoring_units, _sets, _files = _cluster_access(request.user, movement, cluster, year)
    action = request.POST.get("action")
    try:
        if action == "criterion":
            form = forms.CriterionForm(request.POST)
            if not form.is_valid():
                return cluster_page(request, pk, cluster_pk, year, criterion_form=form, status=400)
            try:
                rules.criterion_add(
                    actor=request.user, cluster=cluster, movement=movement, year=year, **form.cleaned_data
                )
            except ValidationError as exc:
                web_forms.errors_from_service(form, exc)
                return cluster_page(request, pk, cluster_pk, year, criterion_form=form, status=400)
            messages.success(request, _("Đã thêm tiêu chí chấm điểm."))
        elif action == "score":
            scorer = next((u for u in members if str(u.pk) == request.POST.get("scorer")), None)
            if scorer is None:
                raise PermissionDenied
            rules.scores_record(
                actor=request.user,
                cluster=cluster,
                movement=movement,
                year=year,
                scorer=scorer,
                points=_points(request.POST),
            )
            messages.success(request, _("Đã ghi điểm chấm của %(unit)s.") % {"unit": scorer.name})
        elif action == "propose":
            review = get_object_or_404(MovementReview, movement=movement, year=year)
            nomination = flag_propose(actor=request.user, review=review, cluster=cluster)
            messages.success(
                request,
                _("Đã lập đề nghị #%(pk)s tặng Cờ thi đua cho %(unit)s; Thủ trưởng cụm trình theo quy trình.")
                % {"pk": nomination.pk, "unit": nomination.nominee.full_name},
            )
            return redirect("nominations:detail", pk=nomination.pk)
        else:
            raise Http404
    except ValidationError as exc:
        web_forms.messages_from_service(request, exc)
    return redirect("movement:cluster", pk=pk, cluster_pk=cluster_pk, year=year)


def _points(post):
    """Read the score sheet: fields points-<criterion id>-<scored unit id>."""
    points = {}
    for key, value in post.items():
        if not key.startswith("points-") or value.strip() == "":
            continue
        try:
            _prefix, criterion_id, scored_id = key.split("-")
            points[(int(criterion_id), int(scored_id))] = Decimal(value.strip().replace(",", "."))
        except (ValueError, InvalidOperation):
            raise ValidationError({"points": _("Điểm phải là số.")}) from None
    return points


# ---------------------------------------------------------------------------------------------- reviews
def _reading_review(user, movement):
    if not rules.can_read_review(user, movement):
        raise PermissionDenied


@login_required
def review_list(request, pk, open_form=None):
    movement = get_object_or_404(Movement, pk=pk)
    _reading_review(request.user, movement)
    context = {
        "movement": movement,
        "reviews": movement.reviews.select_related("honour_round").order_by("-year"),
        "open_form": open_form or (forms.ReviewOpenForm() if rules.runs(request.user, movement) else None),
    }
    return render(request, "movement/review_list.html", context, status=400 if open_form else 200)


@login_required
@require_POST
def review_open(request, pk):
    movement = get_object_or_404(Movement, pk=pk)
    if not rules.runs(request.user, movement):
        raise PermissionDenied
    form = forms.ReviewOpenForm(request.POST)
    if form.is_valid():
        try:
            review = rules.review_open(actor=request.user, movement=movement, **form.cleaned_data)
        except ValidationError as exc:
            web_forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã mở đợt sơ kết năm %(year)s.") % {"year": review.year})
            return redirect("movement:review", pk=review.pk)
    return review_list(request, pk, open_form=form)


@login_required
def review_detail(request, pk):
    review = get_object_or_404(
        MovementReview.objects.select_related("movement__launched_by", "honour_round"), pk=pk
    )
    _reading_review(request.user, review.movement)
    context = {
        "review": review,
        "gathering": rules.review_gather(review),
        "close_form": forms.ReviewCloseForm()
        if review.status == ReviewStatus.OPEN and rules.runs(request.user, review.movement)
        else None,
    }
    return render(request, "movement/review_detail.html", context)


@login_required
@require_POST
def review_close(request, pk):
    review = get_object_or_404(MovementReview.objects.select_related("movement"), pk=pk)
    if not rules.runs(request.user, review.movement):
        raise PermissionDenied
    form = forms.ReviewCloseForm(request.POST)
    form.is_valid()
    try:
        rules.review_close(actor=request.user, review=review, summary=form.cleaned_data.get("summary", ""))
    except ValidationError as exc:
        web_forms.messages_from_service(request, exc)
    else:
        messages.success(request, _("Đã kết thúc đợt sơ kết năm %(year)s.") % {"year": review.year})
    return redirect("movement:review", pk=pk)


@login_required
@require_safe
def review_report(request, pk, kind):
    download = review_report_download(actor=request.user, review_id=pk, kind=kind)
    return FileResponse(
        download.handle, as_attachment=True, filename=download.filename, content_type=download.content_type
    )


# ---------------------------------------------------------------------------------------------- dashboard
@login_required
def dashboard(request, pk):
    movement = get_object_or_404(Movement, pk=pk)
    if not (
        rules.can_read_review(request.user, movement)
        or scope_of(request.user).units(rules.ACKNOWLEDGE_PERMISSION)
    ):
        raise PermissionDenied
    try:
        year = int(request.GET.get("nam") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    context = {
        "movement": movement,
        "year": year,
        "coverage": rules.registration_coverage(movement, year),
        "progress": rules.area_progress(movement, year),
    }
    return render(request, "movement/dashboard.html", context)


# ---------------------------------------------------------------------------------------------- public
@require_safe
def exemplary_public(request):
    """The current exemplary models by content area, for everyone to learn from (no personal data: units only)."""
    return render(request, "public/exemplary.html", {"groups": rules.exemplary_current()})

"""Pages of the nomination area. Views parse input, check access through the selectors and call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.models import PostingFeedback, ReviewRecord, VoteRecord
from audit.models import Event
from audit.services import event_record
from nominations.models import ContentArea, Movement, Nomination, Status
from nominations.process import ACTIONS_BY_STEP, Action, Step
from nominations.selectors import (
    award_types_newest,
    can_view_sensitive,
    get_dossier_file_for_user,
    get_nomination_for_user,
    nominations_search,
    nominations_visible_to,
)
from nominations.services import (
    award_types_for,
    dossier_file_add,
    dossier_missing,
    filing_dossier_kind,
    nomination_update,
)
from organisation.models import Unit
from organisation.policy import scope_of
from web import forms, statistics
from web.navigation import navigation_for
from workflows import services as workflow_services
from workflows.flows import StandardRouteFlow
from workflows.models import TaskScope
from workflows.selectors import inbox_for, task_scope_for_user

PAGE_SIZE = 50
REVIEW_STEPS = (Step.REVIEW, Step.APPRAISE)


def _paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _filter_choices():
    """Award types (one per code) and movements for the filter bars."""
    award_types = award_types_newest(in_force=False).values_list("code", "name")
    return {
        "award_type_choices": sorted(award_types, key=lambda item: item[1]),
        "movement_choices": list(Movement.objects.values_list("pk", "name")),
        "status_choices": Status.choices,
    }


def _filters(request):
    return {
        key: request.GET.get(key, "").strip() for key in ("q", "unit", "award_type", "movement", "status")
    }


def _apply_filters(queryset, filters, prefix=""):
    """Filter nominations (prefix "") or task scopes (prefix "nomination__") by the filter bar."""
    if filters["unit"].isdigit():
        queryset = queryset.filter(**{f"{prefix}unit_id": int(filters["unit"])})
    if filters["award_type"]:
        queryset = queryset.filter(**{f"{prefix}award_type__code": filters["award_type"]})
    if filters["movement"].isdigit():
        queryset = queryset.filter(**{f"{prefix}movement_id": int(filters["movement"])})
    if filters["status"] in Status.values:
        queryset = queryset.filter(**{f"{prefix}status": filters["status"]})
    if filters["q"]:
        if prefix:
            matching = nominations_search(Nomination.objects.all(), filters["q"]).values("pk")
            queryset = queryset.filter(nomination_id__in=matching)
        else:
            queryset = nominations_search(queryset, filters["q"])
    return queryset


@login_required
def home(request):
    """One home per role held: the unit's own nominations, the inbox, pending votes, signatures, inspection."""
    user = request.user
    nav = navigation_for(request)
    scope = scope_of(user)
    context = {"nav": nav, "today": timezone.localdate()}
    own_units = scope.units("file_nomination") | scope.units("submit_nomination")
    if own_units:
        mine = (
            nominations_visible_to(user)
            .filter(unit_id__in=own_units)
            .select_related("nominee", "award_type", "unit", "current_unit")
            .annotate(
                returned_first=Case(
                    When(status=Status.RETURNED, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("returned_first", "-created_at", "-id")
        )
        context["my_page"] = _paginate(request, mine)
        context["my_counts"] = _status_counts(nominations_visible_to(user).filter(unit_id__in=own_units))
        context["submittable"] = set(
            inbox_for(user, step=Step.SUBMIT).values_list("nomination_id", flat=True)
        )
        context["submit_form"] = forms.SubmitSelectedForm()
    if nav.can_review:
        filters = _filters(request)
        inbox = _apply_filters(inbox_for(user).filter(step__in=REVIEW_STEPS), filters, prefix="nomination__")
        context["inbox_page"] = _paginate(
            request, inbox.select_related("nomination__unit", "nomination__movement")
        )
        context["filters"] = filters
        context["bulk_form"] = forms.BulkReviewForm()
        context["unit_choices"] = list(
            Unit.objects.filter(
                pk__in=inbox_for(user).filter(step__in=REVIEW_STEPS).values("nomination__unit_id")
            ).values_list("pk", "name")
        )
        context.update(_filter_choices())
    if nav.can_vote:
        context["votes"] = list(inbox_for(user, step=Step.TALLY_VOTE)[:PAGE_SIZE])
    if nav.can_view_council and not (nav.can_vote or nav.can_sign):
        # Council members read what the council will vote on; the secretary records the tally.
        context["council_list"] = list(
            nominations_visible_to(user)
            .filter(status=Status.COUNCIL)
            .select_related("nominee", "award_type", "unit")
            .order_by("due_on", "pk")[:PAGE_SIZE]
        )
    if nav.can_sign:
        context["to_sign"] = list(
            inbox_for(user, step=Step.SIGN).select_related("nomination__unit")[:PAGE_SIZE]
        )
        context["sign_form"] = forms.SignForm()
    if nav.can_submit:
        context["to_resubmit"] = list(inbox_for(user, step=Step.REVISE)[:PAGE_SIZE])
    return render(request, "home.html", context)


def _status_counts(queryset):
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("id")))
    return [(label, counts.get(value, 0), value) for value, label in Status.choices if counts.get(value)]


@login_required
def nomination_list(request):
    """Every nomination the user may read, filtered and searched (accent-insensitive)."""
    filters = _filters(request)
    visible = nominations_visible_to(request.user)
    queryset = _apply_filters(visible, filters).select_related(
        "nominee", "award_type", "unit", "current_unit"
    )
    context = {
        "page": _paginate(request, queryset.order_by("-created_at", "-id")),
        "filters": filters,
        "unit_choices": list(Unit.objects.filter(pk__in=visible.values("unit_id")).values_list("pk", "name")),
        "today": timezone.localdate(),
        **_filter_choices(),
    }
    return render(request, "nominations/nomination_list.html", context)


def _filing_units(user):
    return Unit.objects.filter(pk__in=scope_of(user).units("file_nomination")).order_by("code")


@login_required
def nomination_create(request):
    units = _filing_units(request.user)
    if not units:
        raise PermissionDenied
    unit = units[0]
    chosen = request.POST.get("unit") or request.GET.get("unit")
    if chosen and chosen.isdigit():
        unit = next((u for u in units if u.pk == int(chosen)), unit)
    # The fast track (khen thưởng đột xuất) offers only the award types allowed on it; its dossier is the tờ trình.
    route = (
        "fast_track"
        if (request.POST.get("route") or request.GET.get("route")) == "fast_track"
        else "standard"
    )
    dossier_kind = filing_dossier_kind(route)
    form = forms.NominationForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        award_types=award_types_for(unit, fast_track=route == "fast_track"),
        dossier_kind=dossier_kind,
        initial={"unit": unit.pk},
    )
    if route == "fast_track":
        form.fields["unit"].widget.attrs["onchange"] = (
            "window.location.search = '?route=fast_track&unit=' + this.value"
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                nomination = workflow_services.nomination_file(
                    actor=request.user,
                    unit=data["unit"],
                    award_type=data["award_type"],
                    nominee_data=form.nominee_data(),
                    period_year=data["period_year"],
                    achievements=data["achievements"],
                    movement=data["movement"],
                    content_areas=list(data["content_areas"]),
                    route=route,
                )
                if data.get("file"):
                    dossier_file_add(
                        actor=request.user,
                        nomination=nomination,
                        kind=dossier_kind,
                        uploaded=data["file"],
                    )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã lập đề nghị #%(pk)s.") % {"pk": nomination.pk})
            return redirect("nominations:detail", pk=nomination.pk)
    return render(request, "nominations/nomination_form.html", {"form": form, "unit": unit, "route": route})


@login_required
def nomination_edit(request, pk):
    nomination = get_nomination_for_user(request.user, pk, "edit")
    nominee = nomination.nominee
    initial = {
        "full_name": nominee.full_name,
        "gender": nominee.gender,
        "birth_year": nominee.birth_year,
        "position": nominee.position,
        "period_year": nomination.period_year,
        "achievements": nomination.achievements,
    }
    form = forms.NominationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination_update(
                actor=request.user,
                nomination=nomination,
                achievements=data["achievements"],
                period_year=data["period_year"],
                nominee_data={k: data[k] for k in ("full_name", "gender", "birth_year", "position")},
            )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("nominations:detail", pk=nomination.pk)
    return render(request, "nominations/nomination_edit.html", {"form": form, "nomination": nomination})


@login_required
def nomination_detail(request, pk):
    nomination = get_nomination_for_user(request.user, pk)
    return render(request, "nominations/nomination_detail.html", _detail_context(request, nomination, {}))


def _detail_context(request, nomination, forms_override):
    user = request.user
    scope = scope_of(user)
    task = TaskScope.objects.select_related("unit").filter(nomination=nomination, is_open=True).first()
    actionable = task if task is not None and scope.can(task.permission, task.unit_id) else None
    can_edit = scope.can("file_nomination", nomination.unit_id) and nomination.status in (
        Status.DRAFT,
        Status.RETURNED,
    )
    context = {
        "nomination": nomination,
        "nominee": nomination.nominee,
        "show_sensitive": can_view_sensitive(user, nomination),
        "task": task,
        "actionable": actionable,
        "can_edit": can_edit,
        "route_chain": _route_chain(nomination),
        "flow_steps": _flow_steps(nomination, task),
        "files": list(nomination.files.all()),
        "events": list(Event.objects.filter(nomination_id=nomination.pk).order_by("id")),
        "reviews": list(ReviewRecord.objects.filter(nomination=nomination).select_related("unit", "actor")),
        "votes": list(VoteRecord.objects.filter(nomination=nomination)),
        "content_areas": list(nomination.content_areas.select_related("parent")),
        "certificate": getattr(nomination, "certificate", None)
        if nomination.status in (Status.AWARDED, Status.REVOKED)
        else None,
        "today": timezone.localdate(),
        "feedback": list(
            PostingFeedback.objects.filter(posting__nomination=nomination).order_by("received_at")
        ),
        "can_answer_feedback": scope.can("review_nomination", nomination.deciding_unit_id),
        "answer_form": forms.FeedbackAnswerForm(),
        "upload_form": forms_override.get("upload") or forms.DossierUploadForm(),
        "postings": list(nomination.postings.all()),
        "missing_files": dossier_missing(nomination) if can_edit else [],
    }
    if actionable is not None:
        step = actionable.step
        if step == Step.TALLY_VOTE:
            context["vote_form"] = forms_override.get("vote") or forms.VoteForm()
        elif step == Step.SIGN:
            context["sign_form"] = forms.SignForm()
        else:
            actions = ACTIONS_BY_STEP.get(step, [])
            context["action_form"] = forms_override.get("action") or forms.ReasonForm(actions=actions)
    return context


def _route_chain(nomination):
    """Return the tiers the nomination climbs, proposing unit first, with where it is now."""
    ids = [nomination.unit_id, *nomination.route_units, nomination.deciding_unit_id]
    ordered = list(dict.fromkeys(ids))
    units = Unit.objects.in_bulk(ordered)
    chain = []
    for unit_id in ordered:
        unit = units.get(unit_id)
        if unit is None:
            continue
        chain.append(
            {
                "unit": unit,
                "is_current": nomination.is_open and unit_id == nomination.current_unit_id,
                "is_decider": unit_id == nomination.deciding_unit_id,
            }
        )
    return chain


DIAGRAM_NODE_TYPES = {"StartHandle", "View", "Function", "Timer", "End"}


def _flow_steps(nomination, open_task):
    """Return the flow's nodes in walking order, marking the ones the process passed and the current one."""
    flow_class = workflow_services.flow_for(nomination)
    process = workflow_services.process_of(nomination)
    passed = set()
    if process is not None:
        passed = {task.flow_task.name for task in process.task_set.only("flow_task")}
    order, queue, seen = [], [flow_class.instance.start], set()
    while queue:
        node = queue.pop(0)
        if node.name in seen:
            continue
        seen.add(node.name)
        order.append(node)
        queue.extend(transition.dst for transition in node._outgoing())
    current = open_task.step if open_task else None
    # Outcomes (the End nodes) close the list whatever order the walk met them in.
    order.sort(key=lambda node: type(node).__name__ == "End")
    return [
        {
            "name": node.name,
            "title": node.task_title or node.name,
            "passed": node.name in passed,
            "current": node.name == current,
            "is_end": type(node).__name__ == "End",
        }
        for node in order
        if type(node).__name__ in DIAGRAM_NODE_TYPES
        and not (flow_class is StandardRouteFlow and node.name == "restart_route" and node.name not in passed)
    ]


@login_required
@require_POST
def nomination_act(request, pk):
    """Complete the nomination's open task with the action posted (through the workflow services)."""
    nomination = get_nomination_for_user(request.user, pk)
    task = workflow_services.open_task_of(nomination)
    if task is None:
        # "Already done" only for who could have done the last step (a double click); a mere reader is refused.
        last = TaskScope.objects.filter(nomination=nomination).order_by("-pk").first()
        if last is None or not scope_of(request.user).can(last.permission, last.unit_id):
            raise PermissionDenied
        messages.error(request, workflow_services.ALREADY_DONE)
        return redirect("nominations:detail", pk=pk)
    if task_scope_for_user(request.user, task.task_id) is None:
        raise PermissionDenied
    if task.step == Step.SIGN:
        # Signing groups nominations into one decision: it has its own page (approvals:sign).
        messages.error(request, _("Ký quyết định tại mục “Chờ ký” trên trang chủ."))
        return redirect("nominations:detail", pk=pk)
    if task.step == Step.TALLY_VOTE:
        form = forms.VoteForm(request.POST, request.FILES)
        override = {"vote": form}
    else:
        form = forms.ReasonForm(request.POST, actions=ACTIONS_BY_STEP.get(task.step, []))
        override = {"action": form}
    if form.is_valid():
        try:
            done = _complete(request.user, nomination, task, form.cleaned_data)
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(request, done)
            return redirect("nominations:detail", pk=pk)
    nomination.refresh_from_db()
    return render(
        request,
        "nominations/nomination_detail.html",
        _detail_context(request, nomination, override),
        status=400,
    )


def _complete(user, nomination, task, data):
    if task.step == Step.TALLY_VOTE:
        vote = workflow_services.vote_record(
            actor=user,
            task_id=task.task_id,
            members_total=data["members_total"],
            members_present=data["members_present"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            minutes=data.get("minutes"),
        )
        if vote.passed:
            return _("Đã ghi kết quả bỏ phiếu: đạt tỷ lệ, chuyển ký quyết định.")
        return _("Đã ghi kết quả bỏ phiếu: không đạt. %(reason)s") % {
            "reason": workflow_services.vote_outcome_reason(vote)
        }
    action, reason = data["action"], data.get("reason", "")
    if action == Action.SUBMIT:
        workflow_services.nomination_submit(actor=user, nomination=nomination)
    else:
        workflow_services.task_complete(actor=user, task_id=task.task_id, action=action, reason=reason)
    return _("Đã thực hiện: %(action)s.") % {"action": Action(action).label}


@login_required
@require_POST
def dossier_upload(request, pk):
    nomination = get_nomination_for_user(request.user, pk, "edit")
    form = forms.DossierUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            dossier_file_add(
                actor=request.user,
                nomination=nomination,
                kind=form.cleaned_data["kind"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(request, _("Đã tải lên tài liệu."))
            return redirect(reverse("nominations:detail", args=[pk]) + "#ho-so")
    return render(
        request,
        "nominations/nomination_detail.html",
        _detail_context(request, nomination, {"upload": form}),
        status=400,
    )


@login_required
def dossier_download(request, pk, file_pk):
    """Serve a dossier file to whoever may read the nomination, and record the read."""
    dossier_file = get_dossier_file_for_user(request.user, file_pk)
    if dossier_file.nomination_id != pk:  # another nomination's file under this one's URL
        raise Http404
    nomination = dossier_file.nomination
    try:
        handle = dossier_file.file.open("rb")
    except FileNotFoundError:  # lost from storage: a 404 like any other missing file, not a server error
        raise Http404
    with transaction.atomic():
        event_record(
            action="dossier.download",
            actor=request.user,
            obj=dossier_file,
            nomination_id=nomination.pk,
            unit_code=nomination.unit.code,
            data={"name": dossier_file.original_name},
        )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=dossier_file.original_name,
        content_type=dossier_file.content_type,
    )


@login_required
@require_POST
def submit_selected(request):
    """The unit head submits the chosen drafts of one unit under one cover submission."""
    if not scope_of(request.user).units("submit_nomination"):
        raise PermissionDenied
    ids = [int(value) for value in request.POST.getlist("nomination") if value.isdigit()]
    chosen = list(
        nominations_visible_to(request.user).filter(pk__in=ids).select_related("unit", "award_type")
    )
    form = forms.SubmitSelectedForm(request.POST)
    if not chosen:
        messages.error(request, _("Chọn ít nhất một đề nghị để trình."))
        return redirect("nominations:home")
    units = {n.unit_id for n in chosen}
    if len(units) != 1:
        messages.error(request, _("Một tờ trình chỉ gồm đề nghị của cùng một đơn vị."))
        return redirect("nominations:home")
    number = form.cleaned_data["number"] if form.is_valid() else ""
    try:
        submission = workflow_services.submission_create(
            actor=request.user, unit=chosen[0].unit, nominations=chosen, number=number
        )
    except ValidationError as exc:
        forms.messages_from_service(request, exc)
    else:
        messages.success(
            request,
            _("Đã trình %(n)s đề nghị (tờ trình %(number)s).")
            % {"n": len(chosen), "number": submission.number or f"#{submission.pk}"},
        )
    return redirect("nominations:home")


@login_required
@require_POST
def bulk_review(request):
    """Forward, return or reject many inbox tasks; each is applied or refused on its own."""
    scope = scope_of(request.user)
    if not (scope.units("review_nomination") or scope.units("appraise_nomination")):
        raise PermissionDenied
    form = forms.BulkReviewForm(request.POST)
    task_ids = [int(value) for value in request.POST.getlist("task") if value.isdigit()]
    if not form.is_valid() or not task_ids:
        messages.error(request, _("Chọn thao tác và ít nhất một hồ sơ."))
        return redirect("nominations:home")
    results = workflow_services.review_bulk(
        actor=request.user,
        task_ids=task_ids,
        action=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
    )
    done = [task_id for task_id, error in results.items() if error is None]
    if done:
        messages.success(request, _("Đã xử lý %(n)s hồ sơ.") % {"n": len(done)})
    for task_id, error in results.items():
        if error:
            messages.error(request, _("Công việc #%(id)s: %(error)s") % {"id": task_id, "error": error})
    return redirect("nominations:home")


@login_required
def dashboard(request):
    """Province officers' overview of what they may read: counts, time per tier, overdue tasks."""
    if not navigation_for(request).is_province_officer:
        raise PermissionDenied
    visible = nominations_visible_to(request.user)
    today = timezone.localdate()
    context = {
        "charts": statistics.nomination_counts(visible),
        "time_rows": statistics.time_per_tier(visible),
        "overdue": statistics.overdue_tasks(visible, today, limit=PAGE_SIZE),
        "today": today,
        "total": visible.count(),
        "content_area_count": ContentArea.objects.filter(parent__isnull=True).count(),
    }
    return render(request, "nominations/dashboard.html", context)

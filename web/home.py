"""Where officials start: the per-role home page, the nomination list with its filters, the dashboard."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import render
from django.utils import timezone

from approvals.selectors import return_reasons
from nominations.models import ContentArea, Movement, Nomination, Status
from nominations.process import Step
from nominations.selectors import (
    award_types_newest,
    nominations_search,
    nominations_visible_to,
)
from nominations.services import dossier_missing_many
from organisation.models import Unit
from organisation.policy import scope_of
from web import forms, statistics
from web.navigation import navigation_for
from web.params import NominationFilterForm, query_params
from web.review import bulk_kept
from workflows.selectors import inbox_for

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
    """The filter bar's values as strings (for the template); a value that cannot be read is a 400."""
    cleaned = query_params(request, NominationFilterForm, statuses=Status.values)
    return {key: "" if value is None else str(value) for key, value in cleaned.items()}


def _apply_filters(queryset, filters, prefix=""):
    """Filter nominations (prefix "") or task scopes (prefix "nomination__") by the filter bar."""
    if filters["unit"]:
        queryset = queryset.filter(**{f"{prefix}unit_id": int(filters["unit"])})
    if filters["award_type"]:
        queryset = queryset.filter(**{f"{prefix}award_type__code": filters["award_type"]})
    if filters["movement"]:
        queryset = queryset.filter(**{f"{prefix}movement_id": int(filters["movement"])})
    if filters["status"]:
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
            .select_related("nominee", "award_type", "unit", "current_unit", "certificate")
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
        context["inbox_page"] = page = _paginate(
            request, inbox.select_related("nomination__unit", "nomination__movement")
        )
        page.object_list = list(page.object_list)
        gaps = dossier_missing_many(t.nomination for t in page.object_list)
        for task in page.object_list:
            task.dossier_missing = gaps[task.nomination_id]
        context["filters"] = filters
        steps = set(
            inbox_for(user).filter(step__in=REVIEW_STEPS).order_by().values_list("step", flat=True).distinct()
        )
        kept, context["ticked"] = bulk_kept(request)
        context["bulk_form"] = forms.BulkReviewForm(initial=kept, steps=steps or REVIEW_STEPS)
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
    if nav.can_submit or nav.can_file:
        # Returned dossiers are the proposing unit's work: listed first, each with the reason it came back.
        returned = list(inbox_for(user, step=Step.REVISE)[:PAGE_SIZE])
        reasons = return_reasons(t.nomination_id for t in returned)
        context["to_resubmit"] = [(t, reasons.get(t.nomination_id)) for t in returned]
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

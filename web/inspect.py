"""Inspector pages: search, per-nomination timeline, decision trace, exports, chain verification.

Only users holding `inspect_unit` somewhere get in (anonymous users go to the login page, everyone else gets 403),
and they see only the events of nominations proposed within the units they inspect.
"""

import csv
import json
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from approvals.documents import decision_signature_check
from approvals.models import Certificate, Decision
from approvals.selectors import decisions_matching
from audit import selectors
from audit.labels import duration_label
from audit.services import event_record, read_record
from audit.verify import chain_verify
from nominations.models import DossierFile, Nomination
from nominations.selectors import award_types_newest
from organisation.models import Unit
from organisation.policy import UnitTree, members_of, scope_of
from web import excel
from web.inspect_forms import DecisionSearchForm, EventFilterForm
from web.labels import ROLE_LABELS, data_items, event_label
from web.params import DecisionNumberQueryForm, query_params

PAGE_SIZE = 50
# (key, header, width in characters) of the exports; the people-readable columns first, the raw record after.
EXPORT_COLUMNS = [
    ("id", gettext_lazy("Mã sự kiện"), 11),
    ("at", gettext_lazy("Thời gian"), 19),
    ("actor_label", gettext_lazy("Người thực hiện"), 24),
    ("role_label", gettext_lazy("Vai trò"), 22),
    ("unit_label", gettext_lazy("Đơn vị"), 30),
    ("action_label", gettext_lazy("Thao tác"), 28),
    ("nomination_id", gettext_lazy("Mã đề nghị"), 11),
    ("reason", gettext_lazy("Lý do"), 40),
    ("details", gettext_lazy("Chi tiết"), 50),
    ("on_behalf_of_name", gettext_lazy("Thay mặt"), 22),
    ("actor_name", gettext_lazy("Tên đăng nhập"), 18),
    ("unit_code", gettext_lazy("Mã đơn vị"), 20),
    ("action", gettext_lazy("Mã thao tác"), 22),
    ("object_type", gettext_lazy("Loại đối tượng"), 20),
    ("object_id", gettext_lazy("Mã đối tượng"), 12),
    ("channel", gettext_lazy("Kênh"), 10),
    ("ip", gettext_lazy("Địa chỉ IP"), 15),
    ("chain", gettext_lazy("Chuỗi"), 18),
    ("seq", gettext_lazy("STT"), 7),
    ("hash", gettext_lazy("Mã băm"), 20),
    ("data", gettext_lazy("Dữ liệu gốc"), 40),
]


class InspectorScope:
    """The units an inspector covers, as the plain ids and codes the audit selectors take."""

    def __init__(self, user):
        self.unit_ids = scope_of(user).units("inspect_unit")
        self.nominations = Nomination.objects.filter(unit_id__in=self.unit_ids)

    @property
    def unit_codes(self):
        return list(Unit.objects.filter(pk__in=self.unit_ids).values_list("code", flat=True))

    def events(self):
        # Security events carry no unit: they are scoped by the people of the inspected units.
        members = members_of(self.unit_ids)
        return selectors.events_in_scope(
            nomination_ids=self.nominations.values("pk"),
            unit_codes=self.unit_codes,
            user_ids=members,
            usernames=list(
                get_user_model().objects.filter(pk__in=members).values_list("username", flat=True)
            ),
        )

    def decisions(self):
        """The decisions issued within the inspected units or awarding one of their nominations."""
        awarded = Certificate.objects.filter(nomination__in=self.nominations).values("decision_id")
        return Decision.objects.filter(Q(issuer_id__in=self.unit_ids) | Q(pk__in=awarded))

    def nomination(self, pk):
        nomination = self.nominations.select_related("nominee", "unit", "award_type").filter(pk=pk).first()
        if nomination is None:
            raise Http404
        return nomination


def inspector_required(view):
    """Let in only users with an inspection grant; hand the view their scope."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_of(request.user).is_inspector:
            raise PermissionDenied
        return view(request, InspectorScope(request.user), *args, **kwargs)

    return wrapper


def _filtered(request, scope):
    """Return (form, events) for the search filters in the query string; no events when the form is invalid."""
    award_types = award_types_newest(in_force=False).values_list("code", "name")
    # Offer the branches of the scope (a commune is found through its district), not every one of ~1,500 units.
    branches = UnitTree().branches(scope.unit_ids)
    units = Unit.objects.filter(pk__in=branches).order_by("code").values_list("code", "name")
    form = EventFilterForm(
        request.GET or None,
        award_types=list(award_types),
        units=list(units),
        unit_codes=set(scope.unit_codes),
    )
    events = scope.events()
    if form.is_bound and not form.is_valid():
        return form, events.none()
    filters = dict(form.cleaned_data) if form.is_bound else {}
    award_code = filters.pop("award_type", "")
    nomination_ids = (
        scope.nominations.filter(award_type__code=award_code).values("pk") if award_code else None
    )
    events = selectors.events_filter(events, nomination_ids=nomination_ids, **filters)
    return form, events.order_by("-at", "-id")


def _decorate(events):
    """Give each event the names a person reads: the actor's and the represented person's full names, the role, the
    unit's name, the action and its details. One query per kind of name, whatever the number of events."""
    events = list(events)
    codes, usernames, user_ids, award_codes = set(), set(), set(), set()
    for event in events:
        data = event.data or {}
        codes.update(code for code in (event.unit_code, data.get("unit"), data.get("deciding_unit")) if code)
        usernames.update(name for name in (event.actor_name, data.get("user")) if name)
        if event.on_behalf_of_id:
            user_ids.add(event.on_behalf_of_id)
        if data.get("award_type"):
            award_codes.add(data["award_type"])
    units = dict(Unit.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    people = get_user_model().objects.filter(Q(username__in=usernames) | Q(pk__in=user_ids))
    by_username, by_id = {}, {}
    for user in people.only("pk", "username", "first_name", "last_name"):
        by_username[user.username] = by_id[user.pk] = user.get_full_name() or user.username
    award_types = (
        dict(award_types_newest(in_force=False).filter(code__in=award_codes).values_list("code", "name"))
        if award_codes
        else {}
    )
    for event in events:
        event.action_label = event_label(event.action)
        event.role_label = ROLE_LABELS.get(event.role, event.role)
        event.actor_label = by_username.get(event.actor_name, event.actor_name) or _("Hệ thống")
        event.unit_label = units.get(event.unit_code, event.unit_code)
        event.on_behalf_of_name = by_id.get(event.on_behalf_of_id, "")
        event.details = data_items(event.data, units=units, users=by_username, award_types=award_types)
    return events


@inspector_required
def event_search(request, scope):
    form, events = _filtered(request, scope)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _decorate(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/event_search.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@inspector_required
def nomination_timeline(request, scope, pk):
    nomination = scope.nomination(pk)
    events = _decorate(selectors.nomination_timeline(nomination.pk))
    for event in events:
        event.duration = duration_label(event.since_previous)
    files = DossierFile.objects.filter(nomination=nomination).order_by("uploaded_at", "id")
    return render(
        request,
        "audit/nomination_timeline.html",
        {"nomination": nomination, "events": events, "files": files},
    )


@inspector_required
def decision_trace(request, scope):
    params = query_params(request, DecisionNumberQueryForm)
    number = params["number"]
    decisions, error = [], ""
    if params["id"]:
        decisions = list(scope.decisions().filter(pk=params["id"]).select_related("issuer"))
        if not decisions:
            raise Http404
    elif "number" in request.GET:
        if not number:
            error = _("Vui lòng nhập số quyết định, ví dụ 15/QĐ-UBND.")
        else:
            decisions = list(
                Decision.objects.filter(number=number, issuer_id__in=scope.unit_ids)
                .select_related("issuer")
                .order_by("-year")
            )
            if not decisions:
                error = _("Không tìm thấy quyết định số “%(number)s” trong phạm vi thanh tra.") % {
                    "number": number
                }
    for decision in decisions:
        decision.own_events = _decorate(list(selectors.decision_events([decision.pk])))
        decision.signature = decision_signature_check(decision)
        decision.traced = []
        nominations = scope.nominations.filter(certificate__decision=decision).select_related(
            "nominee", "award_type"
        )
        for nomination in nominations.order_by("pk"):
            nomination.events = _decorate(selectors.nomination_timeline(nomination.pk))
            decision.traced.append(nomination)
    return render(
        request, "audit/decision_trace.html", {"number": number, "decisions": decisions, "error": error}
    )


@inspector_required
def decision_list(request, scope):
    form = DecisionSearchForm(request.GET or None)
    decisions = Decision.objects.none()
    if not form.is_bound or form.is_valid():
        query = form.cleaned_data if form.is_bound else {}
        decisions = decisions_matching(
            scope.decisions(),
            query.get("q", ""),
            nominations=scope.nominations.values("pk"),
            year=query.get("year"),
        ).select_related("issuer")
    page = Paginator(decisions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/decision_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def _export_rows(events, *, as_text):
    """Yield one row per event, decorated in batches; times are local, as text for CSV and as real date-times
    (without a zone, which Excel cannot hold) for Excel."""
    local = timezone.get_current_timezone()
    batch = []
    for event in events.iterator(chunk_size=2000):
        batch.append(event)
        if len(batch) == 2000:
            yield from _rows_of(_decorate(batch), local, as_text)
            batch = []
    yield from _rows_of(_decorate(batch), local, as_text)


def _rows_of(events, local, as_text):
    for event in events:
        row = []
        for name, _label, _width in EXPORT_COLUMNS:
            if name == "at":
                at = event.at.astimezone(local).replace(tzinfo=None)
                row.append(at.strftime("%d/%m/%Y %H:%M:%S") if as_text else at)
            elif name == "details":
                row.append(_inert("; ".join(f"{label}: {value}" for label, value in event.details)))
            elif name == "data":
                row.append(json.dumps(event.data, ensure_ascii=False, sort_keys=True))
            else:
                value = getattr(event, name)
                row.append("" if value is None else _inert(str(value) if name.endswith("_label") else value))
        yield row


def _inert(value):
    """Keep user-typed text such as a reason from being run as a spreadsheet formula (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _export_record(request, form, events, fmt):
    filters = {
        k: (v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v)
        for k, v in (form.cleaned_data if form.is_bound else {}).items()
        if v not in (None, "")
    }
    read_record(
        request.user, None, None, "export", data={"format": fmt, "filters": filters, "rows": events.count()}
    )


class _Echo:
    def write(self, value):
        return value


@inspector_required
def event_export_csv(request, scope):
    form, events = _filtered(request, scope)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/event_search.html", {"form": form, "page": None}, status=400)
    _export_record(request, form, events, "csv")
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so Excel opens the UTF-8 file with Vietnamese accents intact
        yield writer.writerow([str(label) for _name, label, _width in EXPORT_COLUMNS])
        for row in _export_rows(events, as_text=True):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-kiem-tra.csv"'
    return response


@inspector_required
def event_export_xlsx(request, scope):
    form, events = _filtered(request, scope)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/event_search.html", {"form": form, "page": None}, status=400)
    _export_record(request, form, events, "xlsx")
    columns = [(str(label), width) for _name, label, width in EXPORT_COLUMNS]
    formats = {1: excel.DATETIME}
    response = excel.response(
        "nhat-ky-kiem-tra.xlsx", _("Nhật ký"), columns, _export_rows(events, as_text=False), formats=formats
    )
    return response


@require_http_methods(["GET", "POST"])
@inspector_required
def verify_status(request, scope):
    result = None
    if request.method == "POST":
        chain = (request.POST.get("chain") or "").strip() or None
        result = chain_verify(chain=chain)
        event_record(
            action="audit.verify",
            actor=request.user,
            chain="audit:verify",
            data={"chain": chain or "", **result.as_dict()},
        )
    history = list(selectors.verification_history())
    return render(request, "audit/verify_status.html", {"result": result, "history": history})

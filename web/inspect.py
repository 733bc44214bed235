"""Inspector pages: search, per-nomination timeline, decision trace, exports, chain verification.

Only users holding `inspect_unit` somewhere get in (anonymous users go to the login page, everyone else gets 403),
and they see only the events of nominations proposed within the units they inspect.
"""

import csv
import io
import json
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from approvals.documents import decision_signature_check
from approvals.models import Decision
from audit import selectors
from audit.labels import duration_label
from audit.services import event_record, read_record
from audit.verify import chain_verify
from nominations.models import DossierFile, Nomination
from nominations.selectors import award_types_newest
from organisation.models import Role, Unit
from organisation.policy import members_of, scope_of
from web.inspect_forms import EventFilterForm
from web.labels import event_label

PAGE_SIZE = 50
EXPORT_COLUMNS = [
    ("id", gettext_lazy("Mã sự kiện")),
    ("at", gettext_lazy("Thời gian")),
    ("actor_name", gettext_lazy("Người thực hiện")),
    ("role", gettext_lazy("Vai trò")),
    ("unit_code", gettext_lazy("Đơn vị")),
    ("action", gettext_lazy("Thao tác")),
    ("action_label", gettext_lazy("Mô tả")),
    ("nomination_id", gettext_lazy("Mã đề nghị")),
    ("object_type", gettext_lazy("Loại đối tượng")),
    ("object_id", gettext_lazy("Mã đối tượng")),
    ("reason", gettext_lazy("Lý do")),
    ("channel", gettext_lazy("Kênh")),
    ("ip", gettext_lazy("Địa chỉ IP")),
    ("chain", gettext_lazy("Chuỗi")),
    ("seq", gettext_lazy("STT")),
    ("hash", gettext_lazy("Mã băm")),
    ("data", gettext_lazy("Dữ liệu")),
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
    form = EventFilterForm(request.GET or None, award_types=list(award_types))
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


ROLE_LABELS = dict(Role.choices)


def _decorate(events):
    """Add the Vietnamese action and role names, and the name of the person acted for."""
    events = list(events)
    behalf_ids = {e.on_behalf_of_id for e in events if e.on_behalf_of_id}
    names = (
        dict(get_user_model().objects.filter(pk__in=behalf_ids).values_list("pk", "username"))
        if behalf_ids
        else {}
    )
    for event in events:
        event.action_label = event_label(event.action)
        event.role_label = ROLE_LABELS.get(event.role, event.role)
        event.on_behalf_of_name = names.get(event.on_behalf_of_id, "")
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
    number = (request.GET.get("number") or "").strip()
    decisions, error = [], ""
    if "number" in request.GET:
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


def _export_rows(events):
    local = timezone.get_current_timezone()
    for event in events.iterator(chunk_size=2000):
        row = []
        for name, _label in EXPORT_COLUMNS:
            if name == "at":
                row.append(event.at.astimezone(local).strftime("%d/%m/%Y %H:%M:%S"))
            elif name == "action_label":
                row.append(str(event_label(event.action)))
            elif name == "data":
                row.append(json.dumps(event.data, ensure_ascii=False, sort_keys=True))
            else:
                value = getattr(event, name)
                row.append("" if value is None else _inert(value))
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
        yield writer.writerow([str(label) for _name, label in EXPORT_COLUMNS])
        for row in _export_rows(events):
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
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Nhật ký"))
    sheet.append([str(label) for _name, label in EXPORT_COLUMNS])
    for row in _export_rows(events):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-kiem-tra.xlsx"'
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

"""The integration API: each view parses input, checks access through the selectors, calls one service.

Errors are converted in `api.exceptions`; audit events come from the services, with channel "api" set by
`audit.middleware.RequestOriginMiddleware` for every /api/ request.
"""

from django.contrib.auth import authenticate
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from api import serializers as s
from api.access import nominations_for_user, task_for_user
from api.exceptions import Conflict
from api.idempotency import idempotent
from api.pagination import PagePagination
from api.parsers import BoundedJSONParser
from api.tokens import token_issue, tokens_revoke
from api.verification import as_dict, verify_all
from approvals import meetings as meeting_rules
from approvals.documents import DocumentPending, decision_document_download
from approvals.models import VoteRecord
from approvals.selectors import (
    can_download_decision,
    certificates_visible_to,
    get_decision_for_user,
    get_meeting_for_user,
    meetings_for,
)
from audit.models import Event
from nominations import honours
from nominations import movement as movement_rules
from nominations.history import (
    XLSX,
    history_add,
    history_import_load,
    history_import_preview,
    history_import_units,
    history_revoke,
    template_workbook,
)
from nominations.lists import LIST_PERMISSION, list_check
from nominations.models import AwardType, HonourRound, Movement, Nomination
from nominations.process import Action
from nominations.selectors import (
    award_types_newest,
    collective_history,
    collectives_visible_to,
    get_collective_for_user,
    get_history_entry_for_user,
    get_nomination_for_user,
    get_person_for_user,
    nominations_search,
    nominations_visible_to,
    people_visible_to,
    person_history,
    registry_search,
)
from nominations.services import award_types_for, dossier_file_add
from organisation.models import Membership, Unit
from organisation.policy import scope_of
from workflows import batch
from workflows import meetings as meeting_flow
from workflows.lists import nomination_list_import
from workflows.selectors import inbox_for, may_act_in_batch, task_ids_for_user
from workflows.services import decision_sign, nomination_file, nomination_submit, task_complete

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Retries with the same key and body replay the first response; a different body answers 422.",
)
ERRORS = {
    400: OpenApiResponse(description="Field errors: {field: [message]}"),
    401: OpenApiResponse(description="Not authenticated"),
    403: OpenApiResponse(description="Visible but not permitted"),
    404: OpenApiResponse(description="Unknown or not visible"),
}


def _query(request, serializer_class):
    """Parse query parameters like a body: bad values are field errors, never a server error."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _detail(nomination, request):
    nomination = Nomination.objects.select_related(
        "nominee", "unit", "award_type", "deciding_unit", "current_unit", "movement"
    ).get(pk=nomination.pk)
    return s.NominationDetailSerializer(nomination, context={"request": request}).data


def _moved_detail(moved, seen, request):
    """`_detail` of the nomination a transition returns (`_moved_nomination`) without reading it back: the movement,
    which no transition changes, comes from the copy the caller was shown (`seen`); read back as `_detail` does when
    the service returned anything else."""
    moved = _moved_nomination(moved, seen.pk)
    if moved is None or moved.movement_id != seen.movement_id:
        return _detail(seen, request)
    if not Nomination.movement.is_cached(moved) and Nomination.movement.is_cached(seen):
        Nomination.movement.field.set_cached_value(moved, seen.movement)
    return s.NominationDetailSerializer(moved, context={"request": request}).data


def _moved_nomination(result, nomination_id):
    """The nomination as the transition left it: the instance the service returns (itself, or a vote's), which the
    flow's nodes moved and saved (status, step, current unit, due date) with the relations the list shows loaded
    under the lock; None when the service returned something else (the caller reads it back)."""
    if isinstance(result, VoteRecord) and VoteRecord.nomination.is_cached(result):
        result = result.nomination
    return result if isinstance(result, Nomination) and result.pk == nomination_id else None


def _decision(decision, request):
    """The decision as the caller may see it: only the awardees they read, links only if they may download."""
    context = {
        "request": request,
        "certificates": certificates_visible_to(request.user, decision),
        "can_download": can_download_decision(request.user, decision),
    }
    return s.DecisionSerializer(decision, context=context).data


class TokenView(APIView):
    """Exchange a username and password for an API token (throttled per client)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=s.TokenRequestSerializer,
        responses={200: s.TokenSerializer, 400: ERRORS[400], 429: OpenApiResponse(description="Throttled")},
    )
    def post(self, request):
        serializer = s.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(request._request, "axes_locked_out", False):
            # Answer the lockout in JSON here; AxesMiddleware would otherwise swap in its HTML page.
            request._request.axes_locked_out = False
            raise exceptions.Throttled(
                detail=_("Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau.")
            )
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Tên đăng nhập hoặc mật khẩu không đúng.")]}
            )
        # A new token for each sign-in (each client holds its own), expiring after REST_KNOX["TOKEN_TTL"].
        instance, token = token_issue(user=user, client=serializer.validated_data["client"])
        return Response({"token": token, "expiry": instance.expiry})


class LogoutView(APIView):
    """End the token this request was made with."""

    @extend_schema(request=None, responses={200: s.TokenRevokedSerializer, 401: ERRORS[401]})
    def post(self, request):
        if request.auth is None or not hasattr(request.auth, "token_key"):
            # A session (the browsable API) has no token to end.
            return Response({"revoked": 0})
        return Response({"revoked": tokens_revoke(user=request.user, token=request.auth, reason="logout")})


class LogoutAllView(APIView):
    """End every token of the caller (all clients)."""

    @extend_schema(request=None, responses={200: s.TokenRevokedSerializer, 401: ERRORS[401]})
    def post(self, request):
        return Response({"revoked": tokens_revoke(user=request.user, reason="logout_all")})


class MeView(APIView):
    @extend_schema(responses={200: s.MeSerializer, 401: ERRORS[401]})
    def get(self, request):
        user = request.user
        roles = (
            Membership.objects.active()
            .filter(user=user)
            .select_related("unit")
            .order_by("unit__code", "role")
        )
        return Response(
            {
                "username": user.username,
                "full_name": user.get_full_name(),
                "roles": [{"role": m.role, "unit": m.unit.code} for m in roles],
            }
        )


class UnitListView(generics.ListAPIView):
    """The unit tree (reference data, the same for every authenticated caller)."""

    serializer_class = s.UnitSerializer
    pagination_class = PagePagination

    def get_queryset(self):
        return Unit.objects.select_related("parent").order_by("code")


class AwardTypeListView(generics.ListAPIView):
    """Award types in force today; `?unit=<code>` keeps those that unit may propose."""

    serializer_class = s.AwardTypeSerializer
    pagination_class = PagePagination

    @extend_schema(parameters=[s.UnitFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        code = _query(self.request, s.UnitFilterSerializer).get("unit")
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise exceptions.ValidationError({"unit": [_("Không có mã “%(code)s”.") % {"code": code}]})
            ids = [a.pk for a in award_types_for(unit)]
            return AwardType.objects.filter(pk__in=ids).order_by("code")
        return award_types_newest()


class MovementListView(generics.ListAPIView):
    serializer_class = s.MovementSerializer
    pagination_class = PagePagination

    def get_queryset(self):
        return Movement.objects.prefetch_related("content_areas__parent").order_by("-start_year", "code")


class NominationListCreateView(generics.ListAPIView):
    """The caller's visible nominations (filters: status, unit, award_type, q); POST files a new one."""

    serializer_class = s.NominationListSerializer
    pagination_class = PagePagination

    @extend_schema(parameters=[s.NominationFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = _query(self.request, s.NominationFilterSerializer)
        queryset = nominations_visible_to(self.request.user).select_related(
            "nominee", "unit", "award_type", "current_unit"
        )
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("unit"):
            queryset = queryset.filter(unit__code=params["unit"])
        if params.get("award_type"):
            queryset = queryset.filter(award_type__code=params["award_type"])
        if params.get("q"):
            queryset = nominations_search(queryset, params["q"])
        return queryset.order_by("-created_at", "-id")

    @extend_schema(
        request=s.NominationCreateSerializer, responses={201: s.NominationDetailSerializer, **ERRORS}
    )
    def post(self, request):
        serializer = s.NominationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        nomination = nomination_file(
            actor=request.user,
            unit=data["unit"],
            award_type=data["award_type"],
            nominee_data=dict(data["nominee"]),
            period_year=data["period_year"],
            achievements=data["achievements"],
            movement=data.get("movement"),
            content_areas=data["content_areas"],
            route=data["route"],
            event_on=data.get("event_on"),
            honour_round=data.get("round"),
            variant=data.get("variant", ""),
            members=[dict(member) for member in data["members"]],
        )
        return Response(_detail(nomination, request), status=status.HTTP_201_CREATED)


class NominationDetailView(APIView):
    @extend_schema(responses={200: s.NominationDetailSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, pk):
        nomination = get_nomination_for_user(request.user, pk)
        return Response(_detail(nomination, request))


class AttachmentView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.AttachmentCreateSerializer},
        responses={201: s.DossierFileSerializer, **ERRORS},
    )
    def post(self, request, pk):
        nomination = get_nomination_for_user(request.user, pk, "edit")
        serializer = s.AttachmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dossier_file = dossier_file_add(
            actor=request.user,
            nomination=nomination,
            kind=serializer.validated_data["kind"],
            uploaded=serializer.validated_data["file"],
        )
        return Response(s.DossierFileSerializer(dossier_file).data, status=status.HTTP_201_CREATED)


def _require_filing_staff(user):
    """Only the staff who file for some unit may send a list (the service checks the unit itself)."""
    if not scope_of(user).units(LIST_PERMISSION):
        raise exceptions.PermissionDenied()


class NominationListCheckView(APIView):
    """Check a nomination list (Excel or CSV, the web page's template): every row's errors by row and column.
    Nothing is filed."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.NominationListUploadSerializer},
        responses={200: s.ListReportSerializer, **ERRORS},
    )
    def post(self, request):
        _require_filing_staff(request.user)
        serializer = s.NominationListUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = list_check(actor=request.user, unit=data["unit"], uploaded=data["file"])
        return Response(s.ListReportSerializer(report.as_data()).data)


class NominationListImportView(APIView):
    """File a nomination list: each row becomes a draft, all under one submission (tờ trình). A file with errors
    files nothing (400, each row's message) unless `valid_rows_only`; the same file again files nothing (200)."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.NominationListImportSerializer},
        responses={
            201: s.NominationListImportResultSerializer,
            200: s.NominationListImportResultSerializer,
            **ERRORS,
        },
    )
    def post(self, request):
        _require_filing_staff(request.user)
        serializer = s.NominationListImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        batch, created = nomination_list_import(
            actor=request.user,
            unit=data["unit"],
            uploaded=data["file"],
            valid_rows_only=data["valid_rows_only"],
        )
        batch.created = created
        batch.nominations = list(
            Nomination.objects.filter(submission_id=batch.submission_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        body = s.NominationListImportResultSerializer(batch).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class NominationSubmitView(APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            200: s.NominationDetailSerializer,
            409: OpenApiResponse(description="Not at this step"),
            422: OpenApiResponse(description="Idempotency-Key reused"),
            **ERRORS,
        },
    )
    @idempotent("nomination.submit", transition=True)
    def post(self, request, pk):
        nomination = get_nomination_for_user(request.user, pk)
        moved = nomination_submit(actor=request.user, nomination=nomination)
        return Response(_moved_detail(moved, nomination, request))


class NominationAuditView(generics.ListAPIView):
    """The audit events of one visible nomination, oldest first."""

    serializer_class = s.EventSerializer
    pagination_class = PagePagination

    def get_queryset(self):
        nomination = get_nomination_for_user(self.request.user, self.kwargs["pk"])
        return Event.objects.filter(nomination_id=nomination.pk).order_by("id")


class TaskListView(generics.ListAPIView):
    """The caller's actionable tasks, earliest due first; `?step=` narrows to one step."""

    serializer_class = s.TaskSerializer
    pagination_class = PagePagination

    @extend_schema(parameters=[s.StepFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return inbox_for(
            self.request.user, step=_query(self.request, s.StepFilterSerializer).get("step") or None
        )


class TaskCompleteView(APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=s.TaskCompleteSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            200: s.TaskResultSerializer,
            409: OpenApiResponse(description="Task already handled"),
            422: OpenApiResponse(description="Idempotency-Key reused"),
            **ERRORS,
        },
    )
    @idempotent("task.complete", transition=True)
    def post(self, request, pk):
        row = task_for_user(request.user, pk)
        serializer = s.TaskCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not row.is_open:
            raise Conflict()
        result = task_complete(
            actor=request.user,
            task_id=row.task_id,
            action=serializer.validated_data["action"],
            **serializer.service_kwargs(),
        )
        nomination = _moved_nomination(result, row.nomination_id) or Nomination.objects.select_related(
            "nominee", "unit", "award_type", "current_unit"
        ).get(pk=row.nomination_id)
        vote = None
        if serializer.validated_data["action"] == Action.RECORD_VOTE:
            vote = {"quorum_met": result.quorum_met, "passed": result.passed}
        return Response(
            {
                "task": row.task_id,
                "action": serializer.validated_data["action"],
                "nomination": s.NominationListSerializer(nomination).data,
                "vote": vote,
            }
        )


class TaskBatchView(APIView):
    """Forward, approve, return or reject many inbox tasks, or submit many drafts, in one call: forwarding,
    approving and submitting run as one set-based step (workflows.batch), each task applied or refused on its own
    with the reason; a task the caller cannot see is reported as not found, like an unknown id."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=s.TaskBatchSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            200: s.TaskBatchResultSerializer,
            422: OpenApiResponse(description="Idempotency-Key reused"),
            **ERRORS,
        },
    )
    @idempotent("task.batch")
    def post(self, request):
        if not may_act_in_batch(request.user):
            raise exceptions.PermissionDenied()
        serializer = s.TaskBatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action, reason = serializer.validated_data["action"], serializer.validated_data["reason"]
        wanted = list(dict.fromkeys(serializer.validated_data["tasks"]))
        visible = task_ids_for_user(request.user, wanted)
        results = {
            task_id: _("Không tìm thấy công việc này.") for task_id in wanted if task_id not in visible
        }
        mine = [task_id for task_id in wanted if task_id in visible]
        if mine:
            results |= batch.tasks_act(actor=request.user, task_ids=mine, action=action, reason=reason)
        rows = [
            {"task": task_id, "done": results[task_id] is None, "error": results[task_id]}
            for task_id in wanted
        ]
        done = sum(row["done"] for row in rows)
        return Response({"action": action, "done": done, "refused": len(rows) - done, "results": rows})


class DecisionCreateView(APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=s.DecisionCreateSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: s.DecisionSerializer,
            422: OpenApiResponse(description="Idempotency-Key reused"),
            **ERRORS,
        },
    )
    @idempotent("decision.sign", transition=True)
    def post(self, request):
        serializer = s.DecisionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = set(serializer.validated_data["nominations"])
        nominations = nominations_for_user(request.user, ids)
        if len(nominations) != len(ids):
            # Unknown and invisible ids answer alike, so ids of other units cannot be probed.
            raise exceptions.ValidationError({"nominations": [_("Có đề nghị không tồn tại.")]})
        decision = decision_sign(
            actor=request.user,
            nominations=nominations,
            title=serializer.validated_data["title"],
            register_number=serializer.validated_data["register_number"],
        )
        return Response(_decision(decision, request), status=status.HTTP_201_CREATED)


class DecisionDetailView(APIView):
    @extend_schema(responses={200: s.DecisionSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, pk):
        decision = get_decision_for_user(request.user, pk)
        return Response(_decision(decision, request))


class AnyMediaRenderer(BaseRenderer):
    """Let a download be asked for with any Accept header; errors still come out as JSON."""

    media_type = "*/*"
    format = "bin"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


class DecisionDocumentView(APIView):
    """Download the decision's signed document (pdf or docx): the same rule and the same audited read as the web's
    `documents:decision_pdf` (the issuing unit's signers and reviewers, inspectors above it; everyone else 404)."""

    renderer_classes = [JSONRenderer, AnyMediaRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            202: OpenApiResponse(description="Đang tạo văn bản (the worker has not rendered it yet)"),
            401: ERRORS[401],
            404: ERRORS[404],
        }
    )
    def get(self, request, pk, kind):
        try:
            download = decision_document_download(actor=request.user, decision_id=pk, kind=kind)
        except DocumentPending:
            return Response(
                {"detail": _("Đang tạo văn bản, vui lòng thử lại sau."), "status": "rendering"},
                status=status.HTTP_202_ACCEPTED,
            )
        return FileResponse(
            download.handle,
            as_attachment=True,
            content_type=download.content_type,
            filename=download.filename,
        )


class AuditVerifyView(APIView):
    """Recompute every audit chain (inspectors only)."""

    @extend_schema(responses={200: s.VerifySerializer, 401: ERRORS[401], 403: ERRORS[403]})
    def get(self, request):
        if not scope_of(request.user).is_inspector:
            raise exceptions.PermissionDenied()
        return Response(as_dict(verify_all()))


class HonourRoundListView(APIView):
    """The Công dân Đồng Khởi rounds; the province's appraisers open one (nominations.honours.round_open)."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(responses={200: s.HonourRoundSerializer(many=True), 401: ERRORS[401]})
    def get(self, request):
        return Response(s.HonourRoundSerializer(HonourRound.objects.order_by("-year"), many=True).data)

    @extend_schema(request=s.HonourRoundOpenSerializer, responses={201: s.HonourRoundSerializer, **ERRORS})
    def post(self, request):
        serializer = s.HonourRoundOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        honour_round = honours.round_open(
            actor=request.user,
            year=data["year"],
            council=data["council"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            conferral_on=data.get("conferral_on"),
        )
        return Response(s.HonourRoundSerializer(honour_round).data, status=status.HTTP_201_CREATED)


class HonourRoundCloseView(APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(request=None, responses={200: s.HonourRoundSerializer, **ERRORS})
    def post(self, request, year):
        honour_round = HonourRound.objects.filter(year=year).first()
        if honour_round is None:
            raise exceptions.NotFound()
        honour_round = honours.round_close(actor=request.user, honour_round=honour_round)
        return Response(s.HonourRoundSerializer(honour_round).data)


# ------------------------------------------------------------------------------------------------ council meetings
def _meeting(meeting, user):
    """The meeting with its agenda and dossiers as `user` reads it (the same helpers as the meeting page)."""
    meeting = get_meeting_for_user(user, meeting.pk)  # fresh: status and counts after a write
    viewer = meeting_rules.viewer_of(user, meeting)
    meeting.members_present, meeting.written_opinions = meeting_rules.attendance_counts(meeting)
    casts = meeting_rules.cast_counts(meeting)
    meeting.agenda = list(
        meeting.items.select_related(
            "nomination__nominee", "nomination__award_type", "nomination__unit", "vote"
        )
        .prefetch_related("nomination__files")
        .order_by("order")
    )
    for item in meeting.agenda:
        item.votes_cast = casts.get(item.pk, 0)
        item.voted_by_me = item.pk in viewer.voted_item_ids
        item.passed = item.vote.passed if item.vote_id else None
    meeting.me = {
        "is_secretary": viewer.is_secretary,
        "position": viewer.seat.position if viewer.seat is not None else None,
        "is_present": viewer.is_present,
        "can_vote": viewer.can_vote,
    }
    return s.MeetingDetailSerializer(meeting).data


def _run_by_caller(user, pk):
    """The meeting if `user` runs it (its council's secretary); a member who does not: 403; anyone else: 404."""
    meeting = get_meeting_for_user(user, pk)
    if not meeting_rules.can_run_meeting(user, meeting.council):
        raise exceptions.PermissionDenied()
    return meeting


def _rows_refused(exc, rows):
    """Put the service's refusal of each agenda item on the request's row that named it, keyed by the row's index
    as DRF keys a list's field errors: `{"items": {"1": {"votes_for": ["…"]}}}`."""
    return exceptions.ValidationError(
        {"items": {index: exc.rows[row["item"]] for index, row in enumerate(rows) if row["item"] in exc.rows}}
    )


class MeetingListView(generics.ListAPIView):
    """The council meetings the caller runs (the council's secretary) or sits in, newest first."""

    serializer_class = s.MeetingSerializer
    pagination_class = PagePagination

    def get_queryset(self):
        return meetings_for(self.request.user)


class MeetingDetailView(APIView):
    """One meeting: attendance counts, the caller's part in it, and the agenda with each dossier (read-only)."""

    @extend_schema(responses={200: s.MeetingDetailSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, pk):
        return Response(_meeting(get_meeting_for_user(request.user, pk), request.user))


class MeetingTotalsView(APIView):
    """The secretary enters the paper ballots' totals of any number of items at once (with device ballots, only the
    written opinions of absent members); a bad row refuses all, each row with its own field errors."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=s.TotalsSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            200: s.MeetingDetailSerializer,
            422: OpenApiResponse(description="Idempotency-Key reused"),
            **ERRORS,
        },
    )
    @idempotent("meeting.totals")
    def post(self, request, pk):
        meeting = _run_by_caller(request.user, pk)
        serializer = s.TotalsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = serializer.validated_data["items"]
        try:
            meeting_rules.totals_record(
                actor=request.user,
                meeting=meeting,
                rows={row["item"]: {key: row.get(key) for key in meeting_rules.TOTAL_FIELDS} for row in rows},
            )
        except meeting_rules.RowErrors as exc:
            raise _rows_refused(exc, rows) from exc
        return Response(_meeting(meeting, request.user))


class MeetingBallotView(APIView):
    """A member present at an open meeting with device ballots casts their secret ballots: one per item, ever."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=s.BallotSerializer,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            201: s.BallotResultSerializer,
            422: OpenApiResponse(description="Idempotency-Key reused"),
            **ERRORS,
        },
    )
    @idempotent("meeting.ballot")
    def post(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        serializer = s.BallotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cast = meeting_rules.ballot_cast(
            actor=request.user,
            meeting=meeting,
            choices={row["item"]: row["choice"] for row in serializer.validated_data["items"]},
        )
        return Response({"cast": cast}, status=status.HTTP_201_CREATED)


class MeetingCloseView(APIView):
    """The secretary closes the ballot: every item is counted and moves its nomination on (passed → signature,
    failed → not approved), all or nothing; an item that cannot be counted is named in the errors."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_HEADER],
        responses={
            200: s.MeetingDetailSerializer,
            422: OpenApiResponse(description="Idempotency-Key reused"),
            **ERRORS,
        },
    )
    @idempotent("meeting.close")
    def post(self, request, pk):
        meeting = _run_by_caller(request.user, pk)
        meeting_flow.meeting_close(actor=request.user, meeting=meeting)
        return Response(_meeting(meeting, request.user))


# -- registry of people and collectives (issue 15): the selectors and services of web.registry ------------------


class PersonListView(generics.ListAPIView):
    """The people of the caller's registry scope (their filing, reviewing or inspecting units' subtrees), merged
    records left out. `?q=` searches names without accents; `?citizen_id=` finds the one person with that ID in
    the scope — a person of another unit is never found, exactly as if the ID were unknown."""

    serializer_class = s.PersonSerializer
    pagination_class = PagePagination

    @extend_schema(parameters=[s.PersonSearchSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = _query(self.request, s.PersonSearchSerializer)
        people = people_visible_to(self.request.user).filter(merged_into__isnull=True)
        return registry_search(people, q=params.get("q"), citizen_id=params.get("citizen_id")).select_related(
            "unit"
        )


class PersonDetailView(APIView):
    @extend_schema(responses={200: s.PersonDetailSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, pk):
        person = get_person_for_user(request.user, pk)
        return Response(s.PersonDetailSerializer(person).data)


class _HistoryView(generics.ListAPIView):
    """GET: the record's awards, newest first, each with its source. POST: back-fill one award (the units whose
    filing staff may write the record: 403 for who only sees it, 404 for everyone else)."""

    serializer_class = s.HistoryEntrySerializer
    pagination_class = PagePagination
    parser_classes = [BoundedJSONParser]
    subject = "person"  # the keyword of history_add, and which selectors read the record

    def record(self, perm="view"):
        get_record = get_person_for_user if self.subject == "person" else get_collective_for_user
        return get_record(self.request.user, self.kwargs["pk"], perm)

    def get_queryset(self):
        record = self.record()
        return person_history(record) if self.subject == "person" else collective_history(record)

    @extend_schema(
        request=s.HistoryEntryCreateSerializer, responses={201: s.HistoryEntrySerializer, **ERRORS}
    )
    def post(self, request, pk):
        record = self.record("edit")
        serializer = s.HistoryEntryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = history_add(actor=request.user, **{self.subject: record}, **serializer.validated_data)
        return Response(s.HistoryEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class PersonHistoryView(_HistoryView):
    subject = "person"


class CollectiveListView(generics.ListAPIView):
    """The collectives of the caller's registry scope (units of the tree and named collectives under them), merged
    records left out; `?q=` searches names without accents."""

    serializer_class = s.CollectiveSerializer
    pagination_class = PagePagination

    @extend_schema(parameters=[s.RegistrySearchSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = _query(self.request, s.RegistrySearchSerializer)
        collectives = collectives_visible_to(self.request.user).filter(merged_into__isnull=True)
        return registry_search(collectives, q=params.get("q")).select_related("unit")


class CollectiveDetailView(APIView):
    @extend_schema(responses={200: s.CollectiveSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, pk):
        return Response(s.CollectiveSerializer(get_collective_for_user(request.user, pk)).data)


class CollectiveHistoryView(_HistoryView):
    subject = "collective"


class HistoryRevokeView(APIView):
    """Mark a back-filled award revoked (a paper decision revoked it): it stops counting for later awards. Awards
    of decisions signed here are revoked by a revocation decision, not here."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(request=s.HistoryRevokeSerializer, responses={200: s.HistoryEntrySerializer, **ERRORS})
    def post(self, request, pk):
        entry = get_history_entry_for_user(request.user, pk)
        serializer = s.HistoryRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = history_revoke(actor=request.user, entry=entry, reason=serializer.validated_data["reason"])
        return Response(s.HistoryEntrySerializer(entry).data)


class HistoryTemplateView(APIView):
    """The Excel template of the history import (the same file as the web's), for who may import somewhere."""

    renderer_classes = [JSONRenderer, AnyMediaRenderer]

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY, 401: ERRORS[401], 403: ERRORS[403]})
    def get(self, request):
        if not history_import_units(request.user):
            raise exceptions.PermissionDenied()
        response = HttpResponse(template_workbook(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="mau-lich-su-khen-thuong.xlsx"'
        return response


def _import_report(result, sha256, name):
    errors = [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors]
    return {
        "file_name": name,
        "sha256": sha256,
        "rows_total": result.total,
        "rows_valid": len(result.rows),
        "bad_rows": result.bad_rows,
        "errors": errors,
        "can_load": bool(result.rows) and not result.errors,
        "can_load_valid_rows": bool(result.rows) and bool(result.errors),
    }


class HistoryImportCheckView(APIView):
    """Step 1 of the history import: validate the file and answer its report (every row's errors by row and column).
    Nothing is written; load it with POST history-imports/load/, naming the report's sha256."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.HistoryImportUploadSerializer},
        responses={200: s.HistoryImportReportSerializer, **ERRORS},
    )
    def post(self, request):
        serializer = s.HistoryImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result, sha256, name = history_import_preview(
            actor=request.user,
            unit=serializer.validated_data["unit"],
            uploaded=serializer.validated_data["file"],
        )
        return Response(_import_report(result, sha256, name))


class HistoryImportLoadView(APIView):
    """Step 2: load the checked file. A file with errors writes nothing unless `valid_rows_only` is set (then only
    its valid rows); the load is audited with the file's hash."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": s.HistoryImportCommitSerializer},
        responses={201: s.HistoryImportSerializer, **ERRORS},
    )
    def post(self, request):
        serializer = s.HistoryImportCommitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        batch = history_import_load(
            actor=request.user,
            unit=data["unit"],
            uploaded=data["file"],
            valid_rows_only=data["valid_rows_only"],
            expected_sha256=data["sha256"],
        )
        return Response(s.HistoryImportSerializer(batch).data, status=status.HTTP_201_CREATED)


# ------------------------------------------------------------------------------------------------ movement (issue 24)
class RegistrationListView(APIView):
    """Emulation registrations (đăng ký thi đua): the caller's own units', those waiting for their acknowledgement
    and those they acknowledged; a unit's clerk or head starts one (nominations.movement.registration_create)."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(responses={200: s.RegistrationSerializer(many=True), 401: ERRORS[401]})
    def get(self, request):
        own, waiting, reviewed = movement_rules.registrations_for(request.user)
        rows = list(dict.fromkeys([*own, *waiting, *reviewed]))
        return Response(s.RegistrationSerializer(rows, many=True).data)

    @extend_schema(
        request=s.RegistrationCreateSerializer, responses={201: s.RegistrationSerializer, **ERRORS}
    )
    def post(self, request):
        serializer = s.RegistrationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        registration = movement_rules.registration_create(actor=request.user, **serializer.validated_data)
        return Response(s.RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class RegistrationDetailView(APIView):
    @extend_schema(responses={200: s.RegistrationSerializer, 401: ERRORS[401], 404: ERRORS[404]})
    def get(self, request, pk):
        registration = movement_rules.get_registration_for_user(request.user, pk)
        return Response(s.RegistrationSerializer(registration).data)


class CommitmentCreateView(APIView):
    """Add a commitment to a registration being prepared (its unit's clerk or head)."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(request=s.CommitmentCreateSerializer, responses={201: s.CommitmentSerializer, **ERRORS})
    def post(self, request, pk):
        registration = movement_rules.get_registration_for_user(request.user, pk)
        serializer = s.CommitmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        area = registration.movement.content_areas.filter(code=data["content_area"]).first()
        if area is None:
            raise exceptions.ValidationError(
                {"content_area": [_("Nội dung thi đua không thuộc phong trào này.")]}
            )
        target = (
            registration.movement.targets.filter(pk=data.get("target")).first()
            if data.get("target")
            else None
        )
        commitment = movement_rules.commitment_add(
            actor=request.user,
            registration=registration,
            content_area=area,
            target=target,
            description=data["description"],
            kind=data["kind"],
            value=data.get("value"),
            actions=data.get("actions", ""),
        )
        return Response(s.CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)


REGISTRATION_ACTIONS = {"submit", "acknowledge", "return"}


class RegistrationActionView(APIView):
    """submit (the unit's head signs; a cluster with its pledge), acknowledge or return (the tier above)."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(
        operation_id="v1_registrations_action",
        request=s.RegistrationActionSerializer,
        responses={200: s.RegistrationSerializer, **ERRORS},
    )
    def post(self, request, pk, action):
        if action not in REGISTRATION_ACTIONS:
            raise exceptions.NotFound()
        registration = movement_rules.get_registration_for_user(request.user, pk)
        serializer = s.RegistrationActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if action == "submit":
            registration = movement_rules.registration_submit(
                actor=request.user, registration=registration, pledge=data.get("pledge")
            )
        elif action == "acknowledge":
            registration = movement_rules.registration_acknowledge(
                actor=request.user, registration=registration
            )
        else:
            registration = movement_rules.registration_return(
                actor=request.user, registration=registration, reason=data.get("reason", "")
            )
        return Response(s.RegistrationSerializer(registration).data)


class ResultCreateView(APIView):
    """Report a result against a commitment, with an evidence file checked like a dossier file."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": s.ResultCreateSerializer},
        responses={201: s.ProgressReportSerializer, **ERRORS},
    )
    def post(self, request, pk):
        registration = movement_rules.get_registration_for_user(request.user, pk)
        serializer = s.ResultCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        commitment = registration.commitments.filter(pk=data["commitment"]).first()
        if commitment is None:
            raise exceptions.ValidationError({"commitment": [_("Chỉ tiêu không thuộc đăng ký này.")]})
        report = movement_rules.result_report(
            actor=request.user,
            commitment=commitment,
            description=data["description"],
            value=data.get("value"),
            is_met=data.get("is_met"),
            uploaded=data.get("file"),
        )
        return Response(s.ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)

"""Request parsing and response shapes. No rule lives here: serializers only turn codes into rows and back."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.documents import CONTENT_TYPES as DOCUMENT_KINDS
from approvals.models import BallotChoice, BallotMode, Decision, Meeting, MeetingStatus
from audit.models import Event
from nominations.honours import Variant
from nominations.models import (
    AwardType,
    Commitment,
    ContentArea,
    DisciplineLevel,
    DossierFile,
    DossierKind,
    Gender,
    HistorySource,
    HonourRound,
    Movement,
    Nomination,
    ProgressReport,
    Registration,
    Route,
    Status,
    SubjectType,
    TargetKind,
)
from nominations.process import ACTIONS_BY_STEP, Action, Step
from organisation.models import Council, Role, Tier, Unit

FILING_ROUTES = [
    (Route.STANDARD.value, Route.STANDARD.label),
    (Route.FAST_TRACK.value, Route.FAST_TRACK.label),
]
# Signing groups nominations into one decision (POST /decisions/), so it is no action of a single task.
TASK_ACTIONS = [
    (action.value, action.label)
    for action in (
        Action.FORWARD,
        Action.RETURN,
        Action.REJECT,
        Action.APPROVE,
        Action.RECORD_VOTE,
        Action.RESUBMIT,
        Action.SUBMIT,
    )
]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=4096)
    client = serializers.CharField(
        max_length=100,
        required=False,
        default="",
        help_text=_("Tên ứng dụng/máy khách xin mã (ghi vào nhật ký); mỗi lần đăng nhập cấp một mã riêng"),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Gửi trong tiêu đề Authorization: Token <mã>"))
    expiry = serializers.DateTimeField(help_text=_("Thời điểm mã hết hạn"))


class TokenRevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text=_("Số mã đã thu hồi"))


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    unit = serializers.CharField(help_text=_("Mã đơn vị"))


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = RoleSerializer(many=True)


class UnitSerializer(serializers.ModelSerializer):
    tier = serializers.ChoiceField(choices=Tier.choices)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "tier", "parent"]


class AwardTypeSerializer(serializers.ModelSerializer):
    subject_types = serializers.ListField(child=serializers.ChoiceField(choices=SubjectType.choices))

    class Meta:
        model = AwardType
        fields = [
            "code",
            "name",
            "kind",
            "subject_types",
            "deciding_tier",
            "requires_council_vote",
            "requires_public_posting",
            "allowed_on_fast_track",
            "effective_from",
            "effective_to",
            "legal_basis",
        ]


class ContentAreaSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = ContentArea
        fields = ["code", "name", "parent"]


class MovementSerializer(serializers.ModelSerializer):
    content_areas = ContentAreaSerializer(many=True, read_only=True)

    class Meta:
        model = Movement
        fields = ["code", "name", "start_year", "end_year", "content_areas"]


class NominationFilterSerializer(serializers.Serializer):
    """Query parameters of the nomination list (CharField refuses NUL characters, which PostgreSQL cannot store)."""

    status = serializers.ChoiceField(choices=Status.choices, required=False)
    unit = serializers.CharField(required=False, max_length=50)
    award_type = serializers.CharField(required=False, max_length=50)
    q = serializers.CharField(required=False, max_length=200)


class UnitFilterSerializer(serializers.Serializer):
    unit = serializers.CharField(required=False, max_length=50)


class StepFilterSerializer(serializers.Serializer):
    step = serializers.CharField(required=False, max_length=40)


class NomineeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubjectType.choices)
    full_name = serializers.CharField(max_length=255)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)
    position = serializers.CharField(required=False, allow_blank=True, max_length=255)
    citizen_id = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text=_("Số CCCD (12 chữ số), nếu biết")
    )


class MemberInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=255)
    completed_tasks = serializers.BooleanField(default=True)
    is_advanced_worker = serializers.BooleanField(default=False)
    is_grassroots_emulation_fighter = serializers.BooleanField(default=False)
    discipline_level = serializers.ChoiceField(
        choices=DisciplineLevel.choices, required=False, allow_null=True
    )


class CodeField(serializers.SlugRelatedField):
    """A reference by code; an unknown code is a field error, in the caller's language."""

    default_error_messages = {
        "does_not_exist": _("Không có mã “{value}”."),
        "invalid": _("Mã không hợp lệ."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        # PostgreSQL cannot compare a string holding a NUL byte (psycopg raises DataError, not ValueError): refuse it
        # here, as CharField's own validator does, rather than answer 500.
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class NominationCreateSerializer(serializers.Serializer):
    unit = CodeField(queryset=Unit.objects.all())
    award_type = serializers.CharField(max_length=50, help_text=_("Mã loại hình khen thưởng"))
    movement = CodeField(queryset=Movement.objects.all(), required=False, allow_null=True)
    content_areas = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, default=list
    )
    period_year = serializers.IntegerField(min_value=1, max_value=9999)
    achievements = serializers.CharField(max_length=20000, allow_blank=True)
    nominee = NomineeInputSerializer()
    members = MemberInputSerializer(many=True, required=False, default=list)
    route = serializers.ChoiceField(choices=FILING_ROUTES, default=Route.STANDARD)
    event_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Ngày lập thành tích (bắt buộc khi khen thưởng đột xuất)"),
    )
    round = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Năm của đợt xét Công dân Đồng Khởi (đề nghị theo tuyến Công dân Đồng Khởi)"),
    )
    variant = serializers.ChoiceField(choices=Variant.choices, required=False, allow_blank=True, default="")

    def validate_round(self, year):
        if year is None:
            return None
        honour_round = HonourRound.objects.filter(year=year).first()
        if honour_round is None:
            raise serializers.ValidationError(_("Không có đợt xét năm %(year)s.") % {"year": year})
        return honour_round

    def validate_award_type(self, code):
        """Take the version of the award type in force today."""
        award_type = AwardType.version_on(code)
        if award_type is None:
            raise serializers.ValidationError(
                _("Không có loại hình khen thưởng “%(code)s” đang có hiệu lực.") % {"code": code}
            )
        return award_type

    def validate(self, attrs):
        if attrs.get("round") is not None:
            # A nomination in a round goes the Công dân Đồng Khởi route (nominations.honours checks the rest).
            attrs["route"] = Route.DONG_KHOI
        codes = attrs.get("content_areas") or []
        if codes:
            movement = attrs.get("movement")
            if movement is None:
                raise serializers.ValidationError(
                    {"movement": _("Chọn phong trào để chọn nội dung thi đua.")}
                )
            areas = list(ContentArea.objects.filter(movement=movement, code__in=codes))
            unknown = sorted(set(codes) - {area.code for area in areas})
            if unknown:
                raise serializers.ValidationError(
                    {
                        "content_areas": _("Nội dung thi đua không thuộc phong trào đã chọn: %(codes)s.")
                        % {"codes": ", ".join(unknown)}
                    }
                )
            attrs["content_areas"] = areas
        return attrs


class NomineeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    full_name = serializers.CharField()
    gender = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    position = serializers.CharField()


class DossierFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")

    class Meta:
        model = DossierFile
        fields = ["id", "kind", "name", "content_type", "size", "sha256", "uploaded_at"]


class AttachmentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DossierKind.choices)
    file = serializers.FileField()


class DecisionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    date = serializers.DateField()
    serial = serializers.CharField()


class NominationListSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    award_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    nominee = NomineeSerializer(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices)
    status_display = serializers.CharField(source="get_status_display")
    current_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "status",
            "status_display",
            "route",
            "unit",
            "award_type",
            "period_year",
            "nominee",
            "current_step",
            "current_unit",
            "due_on",
            "created_at",
        ]


class EligibilityResultSerializer(serializers.Serializer):
    rule = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["pass", "fail", "confirm"])
    reason = serializers.CharField()
    basis = serializers.CharField(help_text=_("Điều khoản, văn bản làm căn cứ"))


class NominationDetailSerializer(NominationListSerializer):
    movement = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    content_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    deciding_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    route_units = serializers.SerializerMethodField()
    files = DossierFileSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()
    rule_set = serializers.CharField(read_only=True, help_text=_("Bộ tiêu chuẩn áp dụng khi xét điều kiện"))
    eligibility = EligibilityResultSerializer(many=True, read_only=True)

    class Meta(NominationListSerializer.Meta):
        fields = [
            *NominationListSerializer.Meta.fields,
            "movement",
            "content_areas",
            "achievements",
            "deciding_unit",
            "route_units",
            "is_ad_hoc",
            "received_on",
            "revision_count",
            "files",
            "decision",
            "rule_set",
            "eligibility",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_route_units(self, nomination):
        codes = dict(Unit.objects.filter(pk__in=nomination.route_units).values_list("pk", "code"))
        return [codes[pk] for pk in nomination.route_units if pk in codes]

    @extend_schema_field(DecisionRefSerializer(allow_null=True))
    def get_decision(self, nomination):
        certificate = getattr(nomination, "certificate", None)
        if certificate is None:
            return None
        decision = certificate.decision
        return {
            "id": decision.pk,
            "number": decision.number,
            "date": decision.signed_on,
            "serial": certificate.serial,
        }


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="task_id")
    nomination = serializers.IntegerField(source="nomination_id")
    nominee = serializers.CharField(source="nomination.nominee.full_name")
    award_type = serializers.CharField(source="nomination.award_type.code")
    step = serializers.ChoiceField(choices=Step.choices)
    unit = serializers.CharField(source="unit.code")
    due_at = serializers.DateField(source="due_on", allow_null=True)
    is_overdue = serializers.BooleanField()
    actions = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Action.choices)))
    def get_actions(self, row):
        return ACTIONS_BY_STEP.get(row.step, [])


class TaskCompleteSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=TASK_ACTIONS)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    members_total = serializers.IntegerField(required=False, min_value=0, max_value=10000)
    members_present = serializers.IntegerField(required=False, min_value=0, max_value=10000)
    votes_for = serializers.IntegerField(required=False, min_value=0, max_value=10000)
    votes_against = serializers.IntegerField(required=False, min_value=0, max_value=10000)

    VOTE_FIELDS = ("members_total", "members_present", "votes_for", "votes_against")

    def validate(self, attrs):
        if attrs["action"] == Action.RECORD_VOTE:
            missing = {
                name: [_("Trường này là bắt buộc khi ghi kết quả bỏ phiếu.")]
                for name in self.VOTE_FIELDS
                if attrs.get(name) is None
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs

    def service_kwargs(self):
        data = self.validated_data
        if data["action"] == Action.RECORD_VOTE:
            return {name: data[name] for name in self.VOTE_FIELDS}
        return {"reason": data["reason"]}


class VoteResultSerializer(serializers.Serializer):
    quorum_met = serializers.BooleanField()
    passed = serializers.BooleanField()


class TaskResultSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    action = serializers.ChoiceField(choices=TASK_ACTIONS)
    nomination = NominationListSerializer()
    vote = VoteResultSerializer(allow_null=True, required=False)


BATCH_ACTIONS = [(value, label) for value, label in TASK_ACTIONS if value != Action.RECORD_VOTE]
MAX_BATCH_TASKS = 1000


class TaskBatchSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=BATCH_ACTIONS)
    tasks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        min_length=1,
        max_length=MAX_BATCH_TASKS,
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class TaskBatchItemSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    done = serializers.BooleanField()
    error = serializers.CharField(allow_null=True)


class TaskBatchResultSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=BATCH_ACTIONS)
    done = serializers.IntegerField()
    refused = serializers.IntegerField()
    results = TaskBatchItemSerializer(many=True)


class DecisionCreateSerializer(serializers.Serializer):
    nominations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**53), min_length=1, max_length=500
    )
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    register_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)


class DecisionItemSerializer(serializers.Serializer):
    nomination = serializers.IntegerField(source="nomination_id")
    nominee = serializers.CharField(source="nomination.nominee.full_name")
    award_type = serializers.CharField(source="nomination.award_type.code")
    serial = serializers.CharField()
    verification_code = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=0)
    amount_basis = serializers.CharField()
    is_revoked = serializers.BooleanField()


class DecisionSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="signed_on")
    issuer = serializers.SlugRelatedField(slug_field="code", read_only=True)
    signer = serializers.SlugRelatedField(slug_field="username", read_only=True)
    legal_basis = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    items = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    documents_status = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "date",
            "title",
            "issuer",
            "signer",
            "signer_title",
            "is_ad_hoc",
            "legal_basis",
            "total_amount",
            "base_salary",
            "is_digitally_signed",
            "documents_status",
            "items",
            "documents",
        ]

    @extend_schema_field(DecisionItemSerializer(many=True))
    def get_items(self, decision):
        """The awardees the caller may read (`approvals.selectors.certificates_visible_to`, given by the view)."""
        return DecisionItemSerializer(self.context["certificates"], many=True).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_documents_status(self, decision):
        """'rendering' while the worker makes the documents (their links are null), then 'ready'."""
        return "ready" if decision.pdf and decision.docx else "rendering"

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_documents(self, decision):
        """Links to the rendered documents: null until the document task has produced them, and null for a caller
        who may read the decision but not download its documents (`can_download` from the view)."""
        request = self.context.get("request")
        links = {}
        for kind in DOCUMENT_KINDS:
            url = reverse("api:decision-document", kwargs={"pk": decision.pk, "kind": kind})
            shown = self.context["can_download"] and getattr(decision, kind)
            links[kind] = (request.build_absolute_uri(url) if request else url) if shown else None
        return links


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name")

    class Meta:
        model = Event
        fields = [
            "id",
            "chain",
            "seq",
            "at",
            "actor",
            "role",
            "unit_code",
            "action",
            "object_type",
            "object_id",
            "reason",
            "channel",
            "data",
            "prev_hash",
            "hash",
        ]


class VerifySerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    events_checked = serializers.IntegerField()
    first_break = serializers.DictField(allow_null=True)


class HonourRoundSerializer(serializers.ModelSerializer):
    council = serializers.IntegerField(source="council_id", read_only=True)
    status = serializers.CharField(read_only=True, help_text="planned | open | closed")

    class Meta:
        model = HonourRound
        fields = ["year", "opens_on", "closes_on", "conferral_on", "status", "council"]


class HonourRoundOpenSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2021)
    council = serializers.PrimaryKeyRelatedField(queryset=Council.objects.all())
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    conferral_on = serializers.DateField(required=False, allow_null=True)


# ------------------------------------------------------------------------------------------------ council meetings
ID_MAX = 2**31 - 1  # a larger id is no row: refused as a field error before any query


class MeetingSerializer(serializers.ModelSerializer):
    council = serializers.IntegerField(source="council_id", read_only=True)
    council_name = serializers.CharField(source="council.name", read_only=True)
    unit = serializers.CharField(source="council.unit.code", read_only=True)
    status = serializers.ChoiceField(choices=MeetingStatus.choices, read_only=True)
    ballot_mode = serializers.ChoiceField(choices=BallotMode.choices, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "council",
            "council_name",
            "unit",
            "held_on",
            "place",
            "ballot_mode",
            "status",
            "members_total",
            "closed_at",
        ]


class AgendaDossierFileSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DossierKind.choices)
    name = serializers.CharField(source="original_name")


class AgendaItemSerializer(serializers.Serializer):
    """One agenda item with its dossier as the members read it: never the nominee's citizen ID or discipline."""

    id = serializers.IntegerField(source="pk")
    order = serializers.IntegerField()
    nomination = serializers.IntegerField(source="nomination_id")
    award_type = serializers.CharField(source="nomination.award_type.code")
    award_type_name = serializers.CharField(source="nomination.award_type.name")
    unit = serializers.CharField(source="nomination.unit.code")
    unit_name = serializers.CharField(source="nomination.unit.name")
    period_year = serializers.IntegerField(source="nomination.period_year")
    nominee = NomineeSerializer(source="nomination.nominee")
    achievements = serializers.CharField(source="nomination.achievements")
    files = AgendaDossierFileSerializer(source="nomination.files.all", many=True)
    votes_for = serializers.IntegerField(allow_null=True)
    votes_against = serializers.IntegerField(allow_null=True)
    written_for = serializers.IntegerField()
    written_against = serializers.IntegerField()
    votes_cast = serializers.IntegerField(
        help_text="Members who voted on their device (never who, never how)"
    )
    voted_by_me = serializers.BooleanField()
    passed = serializers.BooleanField(allow_null=True, help_text="The result once the ballot is closed")


class MeetingViewerSerializer(serializers.Serializer):
    is_secretary = serializers.BooleanField()
    position = serializers.CharField(allow_null=True, help_text="The caller's seat in the council, if any")
    is_present = serializers.BooleanField()
    can_vote = serializers.BooleanField()


class MeetingDetailSerializer(MeetingSerializer):
    members_present = serializers.IntegerField(read_only=True)
    written_opinions = serializers.IntegerField(read_only=True)
    me = MeetingViewerSerializer(read_only=True)
    items = AgendaItemSerializer(source="agenda", many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "members_present", "written_opinions", "me", "items"]


class _UniqueItems:
    """Refuse a list naming one agenda item twice (the row would be ambiguous)."""

    def validate_items(self, rows):
        return self._unique(rows)

    def _unique(self, rows):
        seen = set()
        for row in rows:
            if row["item"] in seen:
                raise serializers.ValidationError(
                    _("Đề nghị %(item)s có mặt hai lần trong danh sách.") % {"item": row["item"]}
                )
            seen.add(row["item"])
        return rows


class TotalsRowSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    votes_for = serializers.IntegerField(
        min_value=0,
        max_value=100000,
        required=False,
        allow_null=True,
        help_text="Not used with device ballots",
    )
    votes_against = serializers.IntegerField(min_value=0, max_value=100000, required=False, allow_null=True)
    written_for = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    written_against = serializers.IntegerField(min_value=0, max_value=100000, default=0)


class TotalsSerializer(_UniqueItems, serializers.Serializer):
    items = TotalsRowSerializer(many=True, allow_empty=False)


class BallotChoiceSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    choice = serializers.ChoiceField(choices=BallotChoice.choices)


class BallotSerializer(_UniqueItems, serializers.Serializer):
    items = BallotChoiceSerializer(many=True, allow_empty=False)


class BallotResultSerializer(serializers.Serializer):
    cast = serializers.IntegerField(help_text="Secret ballots recorded for the caller")


# -- registry of people and collectives (issue 15) ---------------------------------------------------------------


class RegistrySearchSerializer(serializers.Serializer):
    """Query parameters of the registry lists: both narrow the caller's own scope, never widen it."""

    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_("Tìm theo tên, không phân biệt dấu: “nguyen van” tìm “Nguyễn Văn”"),
    )


class PersonSearchSerializer(RegistrySearchSerializer):
    citizen_id = serializers.RegexField(
        r"^[0-9]{12}$",
        required=False,
        error_messages={"invalid": _("Số CCCD phải gồm đúng 12 chữ số.")},
        help_text=_("Tra cứu đúng số CCCD (12 chữ số), chỉ trong phạm vi đơn vị của người gọi"),
    )


class PersonNameSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    source = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    """A person of the caller's scope. The citizen ID and discipline are not returned (personal data)."""

    id = serializers.IntegerField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    gender = serializers.ChoiceField(choices=[("", ""), *Gender.choices])
    unit = serializers.CharField(source="unit.code", help_text=_("Mã đơn vị công tác"))
    merged_into = serializers.IntegerField(
        source="merged_into_id", allow_null=True, help_text=_("Hồ sơ đã được hợp nhất vào hồ sơ này")
    )


class PersonDetailSerializer(PersonSerializer):
    names = PersonNameSerializer(many=True, help_text=_("Tên trước đây"))


class CollectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=SubjectType.choices)
    unit = serializers.CharField(source="unit.code", help_text=_("Mã đơn vị"))
    is_unit = serializers.BooleanField(help_text=_("Tập thể là chính đơn vị này trong cây tổ chức"))
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    """One award held, with its source: a decision signed here, an entry by hand, or a row of an imported file."""

    id = serializers.IntegerField()
    award_code = serializers.CharField()
    year = serializers.IntegerField()
    decision_number = serializers.CharField()
    decided_on = serializers.DateField(allow_null=True)
    issuer = serializers.CharField()
    source = serializers.ChoiceField(choices=HistorySource.choices)
    nomination = serializers.IntegerField(source="nomination_id", allow_null=True)
    import_file = serializers.SerializerMethodField(help_text=_("Tên tệp Excel đã nhập (nguồn nhập từ tệp)"))
    is_ad_hoc = serializers.BooleanField()
    is_revoked = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()

    def get_import_file(self, entry) -> str | None:
        return entry.batch.file_name if entry.batch_id else None


class HistoryEntryCreateSerializer(serializers.Serializer):
    """One back-filled award (nominations.history.history_add checks the catalogue, the year and the rest)."""

    award_code = serializers.CharField(max_length=50)
    year = serializers.IntegerField(min_value=1, max_value=9999)
    decision_number = serializers.CharField(max_length=50)
    decided_on = serializers.DateField(required=False, allow_null=True, default=None)
    issuer = serializers.CharField(max_length=255)
    is_ad_hoc = serializers.BooleanField(required=False, default=False)


class HistoryImportUploadSerializer(serializers.Serializer):
    unit = CodeField(queryset=Unit.objects.all(), help_text=_("Mã đơn vị nhập lịch sử"))
    file = serializers.FileField(help_text=_("Tệp Excel (.xlsx) theo mẫu"))


class HistoryImportCommitSerializer(HistoryImportUploadSerializer):
    sha256 = serializers.RegexField(
        r"^[0-9a-f]{64}$",
        help_text=_("Mã băm SHA-256 của tệp trong báo cáo kiểm tra: chỉ nhập đúng tệp đã kiểm tra"),
    )
    valid_rows_only = serializers.BooleanField(
        required=False, default=False, help_text=_("Chỉ nhập các dòng hợp lệ khi tệp có dòng lỗi")
    )


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("Số dòng trong tệp (dòng tiêu đề là 1)"))
    column = serializers.CharField(help_text=_("Tên cột"))
    message = serializers.CharField()


class HistoryImportReportSerializer(serializers.Serializer):
    """The validation report of a file: nothing has been written."""

    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    rows_total = serializers.IntegerField()
    rows_valid = serializers.IntegerField()
    bad_rows = serializers.ListField(child=serializers.IntegerField())
    errors = RowErrorSerializer(many=True)
    can_load = serializers.BooleanField(help_text=_("Tệp hợp lệ toàn bộ: có thể nhập"))
    can_load_valid_rows = serializers.BooleanField(
        help_text=_("Tệp có dòng lỗi và có dòng hợp lệ: có thể nhập riêng các dòng hợp lệ")
    )


class HistoryImportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    sha256 = serializers.CharField()
    rows_total = serializers.IntegerField()
    rows_loaded = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    created_at = serializers.DateTimeField()


class HistoryRevokeSerializer(serializers.Serializer):
    # Optional here so that who may not revoke hears 403 before any field error; the service requires it.
    reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Căn cứ thu hồi (bắt buộc)"),
    )


class NominationListUploadSerializer(serializers.Serializer):
    unit = CodeField(queryset=Unit.objects.all(), help_text=_("Mã đơn vị đề nghị"))
    file = serializers.FileField(help_text=_("Danh sách theo mẫu (.xlsx hoặc .csv, UTF-8)"))


class NominationListImportSerializer(NominationListUploadSerializer):
    valid_rows_only = serializers.BooleanField(
        default=False, help_text=_("Chỉ lập đề nghị cho các dòng hợp lệ khi tệp còn dòng lỗi")
    )


class ListRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("Số dòng trong tệp (dòng 1 là tiêu đề)"))
    column = serializers.CharField()
    message = serializers.CharField()
    text = serializers.CharField(help_text=_("Thông báo đầy đủ: dòng, cột và lý do"))


class ListReportSerializer(serializers.Serializer):
    file = serializers.CharField()
    sha256 = serializers.CharField()
    rows = serializers.IntegerField()
    valid = serializers.IntegerField()
    already_imported = serializers.BooleanField()
    errors = ListRowErrorSerializer(many=True)


class NominationListImportResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    submission = serializers.IntegerField(source="submission_id")
    file = serializers.CharField(source="file_name")
    sha256 = serializers.CharField()
    rows = serializers.IntegerField(source="rows_total")
    filed = serializers.IntegerField(source="rows_loaded")
    created_at = serializers.DateTimeField()
    created = serializers.BooleanField(
        help_text=_("Sai khi tệp này đã được nhập trước đó (không lập thêm đề nghị)")
    )
    nominations = serializers.ListField(child=serializers.IntegerField())


# ------------------------------------------------------------------------------------------------ movement (issue 24)
class ProgressReportSerializer(serializers.ModelSerializer):
    commitment = serializers.IntegerField(source="commitment_id", read_only=True)
    evidence = serializers.CharField(source="evidence_name", read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "commitment",
            "reported_on",
            "value",
            "is_met",
            "description",
            "evidence",
            "evidence_sha256",
        ]


class CommitmentSerializer(serializers.ModelSerializer):
    content_area = serializers.CharField(source="content_area.code", read_only=True)
    results = ProgressReportSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "content_area", "target", "description", "kind", "value", "actions", "results"]


class RegistrationSerializer(serializers.ModelSerializer):
    movement = serializers.CharField(source="movement.code", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    reviewer_unit = serializers.CharField(source="reviewer_unit.code", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft | submitted | returned | acknowledged")
    commitments = CommitmentSerializer(many=True, read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "movement",
            "unit",
            "year",
            "reviewer_unit",
            "status",
            "pledge",
            "signatories",
            "signed_at",
            "acknowledged_at",
            "return_reason",
            "commitments",
        ]


class RegistrationCreateSerializer(serializers.Serializer):
    movement = serializers.SlugRelatedField(slug_field="code", queryset=Movement.objects.all())
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    pledge = serializers.CharField(required=False, allow_blank=True, default="")


class CommitmentCreateSerializer(serializers.Serializer):
    content_area = serializers.CharField(
        help_text="the content area's code within the registration's movement"
    )
    target = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=ID_MAX)
    description = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(choices=TargetKind.choices)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    actions = serializers.CharField(required=False, allow_blank=True, default="")


class RegistrationActionSerializer(serializers.Serializer):
    pledge = serializers.CharField(
        required=False, allow_blank=True, help_text="submit: a cluster's joint pledge"
    )
    reason = serializers.CharField(required=False, allow_blank=True, help_text="return: why")


class ResultCreateSerializer(serializers.Serializer):
    commitment = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    description = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    is_met = serializers.BooleanField(required=False, allow_null=True, default=None)
    file = serializers.FileField(required=False)

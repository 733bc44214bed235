"""The movement's own life (phong trào thi đua "Đồng khởi mới"): the province launches it with content areas and
targets; each unit registers its commitments for a year (đăng ký thi đua), signed by its head and acknowledged by
the tier above; units report results with evidence; reviewers mark exemplary models (điển hình); clusters (cụm,
khối thi đua) score their members to find the leader proposed for the province's Cờ thi đua; and every year at the
Đồng Khởi anniversary (17/1) the province holds its review (sơ kết; tổng kết at the period's end).

A registration's review is a small state machine here, not a viewflow flow: it has one step (the tier above
acknowledges or returns it), no deadline, council or decision, and the inbox, deadline and notification machinery
(`workflows.TaskScope`) is keyed on a nomination. The permission policy is the nominations' own: the unit's clerk
and head prepare (`file_nomination`), the head signs (`submit_nomination`), the reviewers of the unit that reviews
the unit's nominations acknowledge (`review_nomination`), the province's emulation office runs the movement
(`appraise_nomination` at the launching unit, as for the Công dân Đồng Khởi round).

Legal frame: Luật Thi đua, khen thưởng 06/2022/QH15 Điều 6–7 (organising movements: launch, registration,
review, exemplary models — "phát hiện, bồi dưỡng, nhân rộng điển hình"); Cờ thi đua cấp tỉnh to the collectives
leading their cluster or block (Điều 27); the movement's own frame is Chỉ thị 01-CT/TU of 17/10/2020.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import event_record
from nominations.models import (
    ClusterCriterion,
    ClusterScore,
    Commitment,
    ContentArea,
    ExemplaryModel,
    FlagProposal,
    HonourRound,
    Movement,
    MovementReview,
    MovementTarget,
    Nomination,
    ProgressReport,
    Registration,
    RegistrationStatus,
    ReviewKind,
    ReviewStatus,
    TargetKind,
)
from nominations.uploads import inspect_upload
from organisation.models import ClusterMember, Tier, Unit
from organisation.policy import UnitTree, scope_of

# The province's emulation office (its reviewers) launches the movement, sets targets and runs the review.
RUN_PERMISSION = "appraise_nomination"
# Who prepares a unit's registration and reports its results; who signs it; who acknowledges it above.
PREPARE_PERMISSION = "file_nomination"
SIGN_PERMISSION = "submit_nomination"
ACKNOWLEDGE_PERMISSION = "review_nomination"
# The tiers that register (the province launches; it does not register with itself).
REGISTERING_TIERS = (Tier.DISTRICT, Tier.DEPARTMENT, Tier.BASE, Tier.CLUSTER)
# The Cờ thi đua of the province chair goes to the unit leading its cluster (Luật 06/2022/QH15 Điều 27).
FLAG_AWARD_CODE = "co_thi_dua_tinh"
MEASURED = (TargetKind.NUMBER, TargetKind.PERCENT)


def review_day(year):
    """The day the review of `year` is held: the Đồng Khởi anniversary, 17 January of the next year."""
    return date(year + 1, 1, 17)


def runs(actor, movement):
    return movement.launched_by_id is not None and scope_of(actor).can(
        RUN_PERMISSION, movement.launched_by_id
    )


def _check_runs(actor, movement):
    if not runs(actor, movement):
        raise PermissionDenied


def _year_in_period(movement, year):
    return movement.start_year <= year <= (movement.end_year or movement.vision_year or year)


def areas_in_order(movement):
    """The movement's content areas in tree order: each top-level area followed by its children."""
    return movement.content_areas.select_related("parent").order_by(
        Coalesce("parent__order", "order"), F("parent_id").asc(nulls_first=True), "order"
    )


def reviewer_unit_for(unit):
    """Return the unit whose reviewers acknowledge `unit`'s registration: the tier above that reviews its
    nominations (the nearest ancestor that is not an emulation cluster), or None for the province."""
    for ancestor in unit.ancestors():
        if ancestor.tier != Tier.CLUSTER:
            return ancestor
    return None


def cluster_members(cluster, year):
    """Return the units seated in `cluster` at some time in `year`, by code."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    seats = ClusterMember.objects.filter(cluster=cluster, valid_from__lte=last).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )
    return list(Unit.objects.filter(pk__in=seats.values("unit_id")).order_by("code"))


# ---------------------------------------------------------------------------------------------------- launch
@transaction.atomic
def movement_launch(
    *,
    actor,
    unit,
    code,
    name,
    start_year,
    end_year,
    launch_document,
    launched_on,
    description="",
    vision_year=None,
    predecessor=None,
    areas=(),
    addressed_units=(),
):
    """Launch a movement (phát động) at `unit` for its period, with its content-area tree: `areas` is a list of
    (code, name, parent code or ""); without it, a successor takes its predecessor's tree. The addressed units
    (none: every unit under `unit`) are the ones asked to register."""
    if not scope_of(actor).can(RUN_PERMISSION, unit.pk):
        raise PermissionDenied
    errors = {}
    code = (code or "").strip()
    if not code:
        errors["code"] = _("Vui lòng nhập mã phong trào.")
    elif Movement.objects.filter(code=code).exists():
        errors["code"] = _("Mã phong trào “%(code)s” đã có.") % {"code": code}
    if not (name or "").strip():
        errors["name"] = _("Vui lòng nhập tên phong trào.")
    if not (launch_document or "").strip():
        errors["launch_document"] = _("Vui lòng nhập văn bản phát động (số, ngày, cơ quan ban hành).")
    if end_year is not None and end_year < start_year:
        errors["end_year"] = _("Năm kết thúc phải từ năm bắt đầu trở về sau.")
    if vision_year is not None and end_year is not None and vision_year < end_year:
        errors["vision_year"] = _("Năm tầm nhìn phải sau năm kết thúc giai đoạn.")
    if predecessor is not None:
        if predecessor.end_year is None or start_year <= predecessor.end_year:
            errors["start_year"] = _(
                "Giai đoạn mới phải bắt đầu sau khi giai đoạn “%(name)s” kết thúc (năm %(end)s)."
            ) % {"name": predecessor.name, "end": predecessor.end_year or "?"}
    outside = [u.name for u in addressed_units if not u.is_within(unit)]
    if outside:
        errors["addressed_units"] = _("Đơn vị không thuộc phạm vi phát động: %(units)s.") % {
            "units": ", ".join(outside)
        }
    if not areas and predecessor is None:
        errors["areas"] = _("Vui lòng nhập các nội dung thi đua hoặc chọn phong trào giai đoạn trước.")
    if errors:
        raise ValidationError(errors)
    movement = Movement.objects.create(
        code=code,
        name=name.strip(),
        start_year=start_year,
        end_year=end_year,
        vision_year=vision_year,
        description=description,
        launched_by=unit,
        launch_document=launch_document.strip(),
        launched_on=launched_on,
        predecessor=predecessor,
    )
    movement.addressed_units.set(addressed_units)
    if not areas:
        # Parents before their children (a NULL parent sorts last on PostgreSQL, so order in Python).
        inherited = sorted(
            predecessor.content_areas.select_related("parent"),
            key=lambda a: (a.parent_id is not None, a.parent.order if a.parent_id else a.order, a.order),
        )
        areas = [(area.code, area.name, area.parent.code if area.parent_id else "") for area in inherited]
    created = {}
    for order, (area_code, area_name, parent_code) in enumerate(areas, start=1):
        parent = created.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            raise ValidationError(
                {
                    "areas": _("Nội dung “%(code)s” có nội dung cha “%(parent)s” chưa khai báo trước nó.")
                    % {"code": area_code, "parent": parent_code}
                }
            )
        if area_code in created:
            raise ValidationError({"areas": _("Mã nội dung “%(code)s” bị trùng.") % {"code": area_code}})
        created[area_code] = ContentArea.objects.create(
            movement=movement, code=area_code, name=area_name, parent=parent, order=order
        )
    event_record(
        action="movement.launch",
        actor=actor,
        obj=movement,
        role="reviewer",
        unit_code=unit.code,
        data={
            "code": code,
            "period": [start_year, end_year],
            "vision_year": vision_year,
            "launch_document": movement.launch_document,
            "launched_on": launched_on.isoformat() if launched_on else None,
            "predecessor": predecessor.code if predecessor else None,
            "areas": len(created),
            "addressed_units": sorted(u.code for u in addressed_units),
        },
    )
    return movement


def _value_errors(kind, value, field_name="value"):
    if kind not in TargetKind.values:
        return {"kind": _("Loại chỉ tiêu không hợp lệ.")}
    if kind in MEASURED and value is None:
        return {field_name: _("Chỉ tiêu định lượng phải có giá trị.")}
    if value is not None and value < 0:
        return {field_name: _("Giá trị không được âm.")}
    if kind == TargetKind.PERCENT and value is not None and value > 100:
        return {field_name: _("Tỷ lệ không được vượt quá 100%.")}
    return {}


@transaction.atomic
def target_set(*, actor, movement, content_area, description, kind, value=None, unit_label="", year=None):
    """Add a target for a content area: for the period (no year) or one year (the review sets next year's)."""
    _check_runs(actor, movement)
    errors = _value_errors(kind, value)
    if content_area.movement_id != movement.pk:
        errors["content_area"] = _("Nội dung thi đua không thuộc phong trào này.")
    if not (description or "").strip():
        errors["description"] = _("Vui lòng nhập chỉ tiêu.")
    if year is not None and not _year_in_period(movement, year):
        errors["year"] = _("Năm %(year)s nằm ngoài giai đoạn của phong trào.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    target = MovementTarget.objects.create(
        movement=movement,
        content_area=content_area,
        description=description.strip(),
        kind=kind,
        value=value if kind != TargetKind.YES_NO else None,
        unit_label=unit_label,
        year=year,
    )
    event_record(
        action="movement.target",
        actor=actor,
        obj=target,
        role="reviewer",
        unit_code=movement.launched_by.code,
        data={
            "movement": movement.code,
            "area": content_area.code,
            "kind": kind,
            "value": str(value) if value is not None else None,
            "year": year,
        },
    )
    return target


# ---------------------------------------------------------------------------------------------- registration
def is_addressed(movement, unit):
    """Whether `movement` asks `unit` to register: a unit under the launching unit, among (or under) the addressed
    units when the launch names some."""
    if movement.launched_by_id is None or not unit.is_within(movement.launched_by):
        return False
    addressed = set(movement.addressed_units.values_list("pk", flat=True))
    return not addressed or any(u.pk in addressed for u in unit.lineage())


def _check_open(movement, year):
    errors = {}
    if movement.launched_on is None:
        errors["movement"] = _("Phong trào chưa được phát động.")
    elif not _year_in_period(movement, year):
        errors["year"] = _("Năm %(year)s nằm ngoài giai đoạn của phong trào.") % {"year": year}
    elif MovementReview.objects.filter(movement=movement, year=year, status=ReviewStatus.CLOSED).exists():
        errors["year"] = _("Năm %(year)s đã sơ kết, không nhận thêm đăng ký hoặc kết quả.") % {"year": year}
    return errors


@transaction.atomic
def registration_create(*, actor, movement, unit, year, pledge=""):
    """Start `unit`'s registration for `year` (its clerk or head); a cluster's lists its members as signatories."""
    if not scope_of(actor).can(PREPARE_PERMISSION, unit.pk):
        raise PermissionDenied
    errors = _check_open(movement, year)
    reviewer_unit = reviewer_unit_for(unit)
    if unit.tier not in REGISTERING_TIERS or reviewer_unit is None:
        errors["unit"] = _("Đơn vị cấp tỉnh phát động phong trào, không đăng ký thi đua.")
    elif not unit.is_active:
        errors["unit"] = _("Đơn vị đã ngừng hoạt động.")
    elif not is_addressed(movement, unit):
        errors["unit"] = _("Phong trào không phát động đến “%(unit)s”.") % {"unit": unit.name}
    signatories = []
    if unit.tier == Tier.CLUSTER and not errors:
        signatories = [member.pk for member in cluster_members(unit, year)]
        if not signatories:
            errors["unit"] = _("Cụm, khối chưa có đơn vị thành viên trong năm %(year)s.") % {"year": year}
    if not errors and Registration.objects.filter(movement=movement, unit=unit, year=year).exists():
        errors["year"] = _("“%(unit)s” đã đăng ký thi đua năm %(year)s.") % {"unit": unit.name, "year": year}
    if errors:
        raise ValidationError(errors)
    registration = Registration.objects.create(
        movement=movement,
        unit=unit,
        year=year,
        reviewer_unit=reviewer_unit,
        pledge=pledge.strip(),
        signatories=signatories,
        created_by=actor,
    )
    event_record(
        action="registration.create",
        actor=actor,
        obj=registration,
        chain=f"registration:{registration.pk}",
        role="unit",
        unit_code=unit.code,
        data={"movement": movement.code, "year": year, "signatories": signatories},
    )
    return registration


def _locked(registration):
    return Registration.objects.select_for_update().select_related("unit", "movement").get(pk=registration.pk)


EDITABLE = (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)


@transaction.atomic
def commitment_add(
    *, actor, registration, content_area, description, kind, value=None, actions="", target=None
):
    """Add a commitment to a registration being prepared: the content area taken up, the unit's own target and the
    actions it will take."""
    registration = _locked(registration)
    if not scope_of(actor).can(PREPARE_PERMISSION, registration.unit_id):
        raise PermissionDenied
    errors = _value_errors(kind, value)
    if registration.status not in EDITABLE:
        errors["registration"] = _("Chỉ sửa đăng ký khi đang soạn hoặc bị trả lại.")
    if content_area.movement_id != registration.movement_id:
        errors["content_area"] = _("Nội dung thi đua không thuộc phong trào này.")
    if target is not None and target.content_area_id != content_area.pk:
        errors["target"] = _("Chỉ tiêu của tỉnh không thuộc nội dung đã chọn.")
    if not (description or "").strip():
        errors["description"] = _("Vui lòng nhập chỉ tiêu đăng ký.")
    if errors:
        raise ValidationError(errors)
    commitment = Commitment.objects.create(
        registration=registration,
        content_area=content_area,
        target=target,
        description=description.strip(),
        kind=kind,
        value=value if kind != TargetKind.YES_NO else None,
        actions=(actions or "").strip(),
    )
    event_record(
        action="registration.commitment",
        actor=actor,
        obj=commitment,
        chain=f"registration:{registration.pk}",
        role="unit",
        unit_code=registration.unit.code,
        data={"area": content_area.code, "kind": kind, "value": str(value) if value is not None else None},
    )
    return commitment


@transaction.atomic
def registration_submit(*, actor, registration, pledge=None):
    """The unit's head signs the registration (a cluster's head signs the joint pledge) and sends it to the tier
    above."""
    registration = _locked(registration)
    if not scope_of(actor).can(SIGN_PERMISSION, registration.unit_id):
        raise PermissionDenied
    if pledge is not None:
        registration.pledge = pledge.strip()
    errors = {}
    if registration.status not in EDITABLE:
        errors["registration"] = _("Đăng ký đã được trình.")
    elif not registration.commitments.exists():
        errors["registration"] = _("Đăng ký chưa có nội dung, chỉ tiêu nào.")
    if registration.unit.tier == Tier.CLUSTER and not registration.pledge:
        errors["pledge"] = _("Cụm, khối thi đua phải ký giao ước thi đua.")
    if errors:
        raise ValidationError(errors)
    registration.status = RegistrationStatus.SUBMITTED
    registration.signed_by, registration.signed_at = actor, timezone.now()
    registration.return_reason = ""
    registration.save(update_fields=["status", "signed_by", "signed_at", "return_reason", "pledge"])
    event_record(
        action="registration.submit",
        actor=actor,
        obj=registration,
        chain=f"registration:{registration.pk}",
        role="unit_head",
        unit_code=registration.unit.code,
        data={
            "to": registration.reviewer_unit.code,
            "commitments": registration.commitments.count(),
            **({"pledge": True} if registration.pledge else {}),
        },
    )
    return registration


def _check_acknowledges(actor, registration):
    if not scope_of(actor).can(ACKNOWLEDGE_PERMISSION, registration.reviewer_unit_id):
        raise PermissionDenied
    errors = {}
    if registration.status != RegistrationStatus.SUBMITTED:
        errors["registration"] = _("Đăng ký không ở trạng thái chờ ghi nhận.")
    elif registration.signed_by_id == actor.pk:
        # Four eyes: whoever signed a registration does not acknowledge it too.
        errors["registration"] = _("Người ký đăng ký không thể tự ghi nhận.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def registration_acknowledge(*, actor, registration):
    """The tier above acknowledges the registration: its commitments stand for the year."""
    registration = _locked(registration)
    _check_acknowledges(actor, registration)
    registration.status = RegistrationStatus.ACKNOWLEDGED
    registration.acknowledged_by, registration.acknowledged_at = actor, timezone.now()
    registration.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    event_record(
        action="registration.acknowledge",
        actor=actor,
        obj=registration,
        chain=f"registration:{registration.pk}",
        role="reviewer",
        unit_code=registration.reviewer_unit.code,
        data={"unit": registration.unit.code, "year": registration.year},
    )
    return registration


@transaction.atomic
def registration_return(*, actor, registration, reason):
    """The tier above sends the registration back for the unit to complete, saying why."""
    registration = _locked(registration)
    _check_acknowledges(actor, registration)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Vui lòng nêu lý do trả lại.")})
    registration.status = RegistrationStatus.RETURNED
    registration.return_reason = reason.strip()
    registration.save(update_fields=["status", "return_reason"])
    event_record(
        action="registration.return",
        actor=actor,
        obj=registration,
        chain=f"registration:{registration.pk}",
        role="reviewer",
        unit_code=registration.reviewer_unit.code,
        reason=reason.strip(),
        data={"unit": registration.unit.code, "year": registration.year},
    )
    return registration


# ------------------------------------------------------------------------------------------ results, models
@transaction.atomic
def result_report(
    *, actor, commitment, description, value=None, is_met=None, uploaded=None, reported_on=None
):
    """Report a result against an acknowledged commitment, with an evidence file checked like a dossier file
    (type by content, size, name)."""
    registration = _locked(commitment.registration)
    if not scope_of(actor).can(PREPARE_PERMISSION, registration.unit_id):
        raise PermissionDenied
    reported_on = reported_on or timezone.localdate()
    errors = _check_open(registration.movement, registration.year)
    if registration.status != RegistrationStatus.ACKNOWLEDGED:
        errors["registration"] = _("Chỉ báo cáo kết quả khi đăng ký đã được cấp trên ghi nhận.")
    if not (description or "").strip():
        errors["description"] = _("Vui lòng nêu kết quả thực hiện.")
    if commitment.kind in MEASURED:
        errors.update(_value_errors(commitment.kind, value))
    if commitment.kind == TargetKind.YES_NO and is_met is None:
        errors["is_met"] = _("Vui lòng cho biết đạt hay không đạt.")
    if reported_on.year < registration.year or reported_on > timezone.localdate():
        errors["reported_on"] = _("Ngày báo cáo phải trong năm đăng ký và không sau hôm nay.")
    if errors:
        raise ValidationError(errors)
    if commitment.kind in MEASURED and is_met is None and commitment.value is not None:
        is_met = value >= commitment.value
    report = ProgressReport(
        commitment=commitment,
        reported_on=reported_on,
        value=value if commitment.kind in MEASURED else None,
        is_met=is_met,
        description=description.strip(),
        reported_by=actor,
    )
    data = {"commitment": commitment.pk, "value": str(value) if value is not None else None, "is_met": is_met}
    if uploaded is not None:
        name, content_type, size, sha256 = inspect_upload(uploaded)
        uploaded.name = name
        report.evidence = uploaded
        report.evidence_name, report.evidence_type = name, content_type
        report.evidence_size, report.evidence_sha256 = size, sha256
        data.update({"file": name, "size": size, "sha256": sha256})
    report.save()
    event_record(
        action="registration.result",
        actor=actor,
        obj=report,
        chain=f"registration:{registration.pk}",
        role="unit",
        unit_code=registration.unit.code,
        data=data,
    )
    return report


def can_mark_exemplary(actor, registration):
    scope = scope_of(actor)
    return scope.can(ACKNOWLEDGE_PERMISSION, registration.reviewer_unit_id) or runs(
        actor, registration.movement
    )


@transaction.atomic
def exemplary_mark(*, actor, registration, content_area, title, description):
    """Mark a unit's work in a content area it took up as an exemplary model (điển hình) of the year: its
    reviewers above or the province's emulation office."""
    registration = _locked(registration)
    if not can_mark_exemplary(actor, registration):
        raise PermissionDenied
    errors = {}
    if registration.status != RegistrationStatus.ACKNOWLEDGED:
        errors["registration"] = _("Chỉ chọn điển hình từ đăng ký đã được ghi nhận.")
    elif not registration.commitments.filter(content_area=content_area).exists():
        errors["content_area"] = _("Đơn vị không đăng ký nội dung thi đua này.")
    if not (title or "").strip():
        errors["title"] = _("Vui lòng nhập tên mô hình, điển hình.")
    if not (description or "").strip():
        errors["description"] = _("Vui lòng mô tả ngắn điển hình.")
    if errors:
        raise ValidationError(errors)
    model = ExemplaryModel.objects.create(
        movement=registration.movement,
        content_area=content_area,
        unit=registration.unit,
        registration=registration,
        year=registration.year,
        title=title.strip(),
        description=description.strip(),
        marked_by=actor,
    )
    event_record(
        action="exemplary.mark",
        actor=actor,
        obj=model,
        role="reviewer",
        unit_code=registration.unit.code,
        data={"area": content_area.code, "year": registration.year, "title": model.title},
    )
    return model


@transaction.atomic
def exemplary_withdraw(*, actor, model, reason):
    """Take an exemplary model off the public list (it stays on record), saying why."""
    model = (
        ExemplaryModel.objects.select_for_update(of=("self",))
        .select_related("registration", "movement")
        .get(pk=model.pk)
    )
    if model.registration is None or not can_mark_exemplary(actor, model.registration):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Vui lòng nêu lý do.")})
    if model.withdrawn_at is None:
        model.withdrawn_at = timezone.now()
        model.save(update_fields=["withdrawn_at"])
        event_record(
            action="exemplary.withdraw",
            actor=actor,
            obj=model,
            role="reviewer",
            unit_code=model.unit.code,
            reason=reason.strip(),
        )
    return model


def exemplary_current(movement=None):
    """Return {content area: [exemplary models]} of the movements in force (or `movement`), newest year first, for
    the public page."""
    models_ = ExemplaryModel.objects.filter(withdrawn_at__isnull=True).select_related(
        "content_area__parent", "unit", "movement"
    )
    if movement is not None:
        models_ = models_.filter(movement=movement)
    else:
        year = timezone.localdate().year
        models_ = models_.filter(movement__start_year__lte=year).filter(
            Q(movement__end_year__isnull=True) | Q(movement__end_year__gte=year - 1)
        )
    grouped = {}
    for model in models_.order_by("movement__start_year", "content_area__order", "-year", "pk"):
        grouped.setdefault(model.content_area, []).append(model)
    return grouped


# ---------------------------------------------------------------------------------------------- clusters
def can_set_criteria(actor, cluster, movement):
    return scope_of(actor).can(SIGN_PERMISSION, cluster.pk) or runs(actor, movement)


def _review_closed(movement, year):
    return MovementReview.objects.filter(movement=movement, year=year, status=ReviewStatus.CLOSED).exists()


@transaction.atomic
def criterion_add(*, actor, cluster, movement, year, name, max_points):
    """Add a scoring criterion of `cluster` for `year` (the cluster head or the province's office), before any
    member has scored."""
    if cluster.tier != Tier.CLUSTER:
        raise ValidationError({"cluster": _("Chỉ cụm, khối thi đua mới có tiêu chí chấm điểm.")})
    if not can_set_criteria(actor, cluster, movement):
        raise PermissionDenied
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Vui lòng nhập tên tiêu chí.")
    if max_points is None or max_points <= 0:
        errors["max_points"] = _("Điểm tối đa phải lớn hơn 0.")
    if ClusterScore.objects.filter(criterion__cluster=cluster, criterion__year=year).exists():
        errors["name"] = _("Các đơn vị đã bắt đầu chấm điểm; không thêm tiêu chí được nữa.")
    if not _year_in_period(movement, year) or _review_closed(movement, year):
        errors["year"] = _("Năm %(year)s không nhận chấm điểm.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    order = ClusterCriterion.objects.filter(cluster=cluster, year=year).count() + 1
    criterion = ClusterCriterion.objects.create(
        cluster=cluster, movement=movement, year=year, name=name.strip(), max_points=max_points, order=order
    )
    event_record(
        action="cluster.criterion",
        actor=actor,
        obj=criterion,
        unit_code=cluster.code,
        data={"year": year, "name": criterion.name, "max_points": str(max_points)},
    )
    return criterion


@transaction.atomic
def scores_record(*, actor, cluster, movement, year, scorer, points):
    """Record the points `scorer` (a member of the cluster, by its head) gives the other members: `points` is
    {(criterion id, scored unit id): Decimal}. A new sheet replaces the scorer's earlier one until the flag is
    proposed."""
    if not scope_of(actor).can(SIGN_PERMISSION, scorer.pk):
        raise PermissionDenied
    members = {unit.pk: unit for unit in cluster_members(cluster, year)}
    criteria = {
        c.pk: c for c in ClusterCriterion.objects.filter(cluster=cluster, movement=movement, year=year)
    }
    errors = {}
    if scorer.pk not in members:
        errors["scorer"] = _("“%(unit)s” không là thành viên cụm, khối năm %(year)s.") % {
            "unit": scorer.name,
            "year": year,
        }
    if not criteria:
        errors["points"] = _("Cụm, khối chưa có tiêu chí chấm điểm.")
    if (
        _review_closed(movement, year)
        or FlagProposal.objects.filter(cluster=cluster, review__movement=movement, review__year=year).exists()
    ):
        errors["points"] = _("Đã đề nghị Cờ thi đua của cụm, khối; không chấm lại được.")
    for (criterion_id, scored_id), value in points.items():
        criterion = criteria.get(criterion_id)
        if criterion is None or scored_id not in members or scored_id == scorer.pk:
            errors["points"] = _("Chỉ chấm các đơn vị khác trong cụm theo tiêu chí của cụm.")
        elif value is None or value < 0 or value > criterion.max_points:
            errors[f"points-{criterion_id}-{scored_id}"] = _("Điểm phải từ 0 đến %(max)s.") % {
                "max": criterion.max_points
            }
    if errors:
        raise ValidationError(errors)
    for (criterion_id, scored_id), value in points.items():
        ClusterScore.objects.update_or_create(
            criterion_id=criterion_id,
            scorer=scorer,
            scored_id=scored_id,
            defaults={"points": value, "scored_by": actor, "scored_at": timezone.now()},
        )
    event_record(
        action="cluster.score",
        actor=actor,
        obj=cluster,
        chain=f"cluster:{cluster.pk}:{year}",
        role="unit_head",
        unit_code=scorer.code,
        data={
            "year": year,
            "scorer": scorer.code,
            "points": {f"{c}:{members[s].code}": str(v) for (c, s), v in sorted(points.items())},
        },
    )


@dataclass
class Ranked:
    unit: object
    points: Decimal
    scorers: int
    by_criterion: list = field(default_factory=list)


def cluster_ranking(*, cluster, movement, year):
    """Return the members ranked by their average points (the mean of what the others gave them on each
    criterion, summed over the criteria), highest first; ties keep the unit code order (the province decides)."""
    members = cluster_members(cluster, year)
    criteria = list(ClusterCriterion.objects.filter(cluster=cluster, movement=movement, year=year))
    rows = ClusterScore.objects.filter(criterion__in=criteria).values(
        "criterion_id", "scored_id", "scorer_id", "points"
    )
    given = {}
    for row in rows:
        given.setdefault((row["criterion_id"], row["scored_id"]), []).append(row)
    ranked = []
    for unit in members:
        by_criterion, total, scorers = [], Decimal(0), set()
        for criterion in criteria:
            marks = given.get((criterion.pk, unit.pk), [])
            scorers |= {m["scorer_id"] for m in marks}
            mean = sum((m["points"] for m in marks), Decimal(0)) / len(marks) if marks else Decimal(0)
            by_criterion.append(mean.quantize(Decimal("0.01")))
            total += mean
        ranked.append(
            Ranked(
                unit=unit,
                points=total.quantize(Decimal("0.01")),
                scorers=len(scorers),
                by_criterion=by_criterion,
            )
        )
    ranked.sort(key=lambda r: -r.points)
    return criteria, ranked


def clusters_of(movement):
    """Return the cluster units under the movement's launching unit that are active."""
    if movement.launched_by_id is None:
        return []
    subtree = UnitTree().subtree([movement.launched_by_id])
    return list(Unit.objects.filter(pk__in=subtree, tier=Tier.CLUSTER).order_by("code"))


@transaction.atomic
def flag_proposal_record(*, actor, review, cluster, nomination):
    """Record the cluster's leader of the review year as proposed for the Cờ thi đua, with the nomination filed for
    it (called by `workflows.movement.flag_propose`, which files the nomination in the same transaction)."""
    if review.status != ReviewStatus.OPEN:
        raise ValidationError({"review": _("Đợt sơ kết đã kết thúc.")})
    _criteria, ranked = cluster_ranking(cluster=cluster, movement=review.movement, year=review.year)
    leader = ranked[0] if ranked and ranked[0].scorers else None
    if (
        leader is None
        or nomination.nominee.collective is None
        or nomination.nominee.unit_id != leader.unit.pk
    ):
        raise ValidationError({"cluster": _("Cụm, khối chưa có kết quả chấm điểm.")})
    try:
        with transaction.atomic():
            proposal = FlagProposal.objects.create(
                review=review,
                cluster=cluster,
                unit=leader.unit,
                points=leader.points,
                nomination=nomination,
                proposed_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"cluster": _("Cụm, khối đã đề nghị Cờ thi đua năm này.")}) from None
    event_record(
        action="cluster.flag_propose",
        actor=actor,
        obj=proposal,
        nomination_id=nomination.pk,
        unit_code=cluster.code,
        data={"year": review.year, "unit": leader.unit.code, "points": str(leader.points)},
    )
    return proposal


def flag_leader(*, review, cluster):
    """Return the Ranked leader of `cluster` in the review year, or raise ValidationError (nobody scored yet, or
    the cluster already proposed)."""
    if FlagProposal.objects.filter(review=review, cluster=cluster).exists():
        raise ValidationError({"cluster": _("Cụm, khối đã đề nghị Cờ thi đua năm này.")})
    _criteria, ranked = cluster_ranking(cluster=cluster, movement=review.movement, year=review.year)
    if not ranked or not ranked[0].scorers:
        raise ValidationError({"cluster": _("Cụm, khối chưa có kết quả chấm điểm.")})
    if len(ranked) > 1 and ranked[1].points == ranked[0].points:
        raise ValidationError(
            {
                "cluster": _("“%(a)s” và “%(b)s” bằng điểm; cụm, khối phải bình xét lại trước khi đề nghị.")
                % {"a": ranked[0].unit.name, "b": ranked[1].unit.name}
            }
        )
    return ranked[0]


# ---------------------------------------------------------------------------------------------- the review
@transaction.atomic
def review_open(*, actor, movement, year, opened_on=None, held_on=None, kind=None):
    """Open the review of `year` before the Đồng Khởi anniversary (17/1 of the next year): sơ kết, or tổng kết
    for the period's last year. The Công dân Đồng Khởi round of the year belongs to it."""
    _check_runs(actor, movement)
    opened_on = opened_on or timezone.localdate()
    held_on = held_on or review_day(year)
    kind = kind or (ReviewKind.FINAL if year == movement.end_year else ReviewKind.INTERIM)
    errors = {}
    if not _year_in_period(movement, year):
        errors["year"] = _("Năm %(year)s nằm ngoài giai đoạn của phong trào.") % {"year": year}
    if opened_on >= held_on:
        errors["held_on"] = _("Đợt sơ kết phải mở trước ngày tổ chức (%(day)s).") % {
            "day": f"{held_on:%d/%m/%Y}"
        }
    if opened_on.year < year:
        errors["year"] = _("Chưa thể sơ kết năm %(year)s.") % {"year": year}
    if MovementReview.objects.filter(movement=movement, year=year).exists():
        errors["year"] = _("Đã mở đợt sơ kết năm %(year)s.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    review = MovementReview.objects.create(
        movement=movement,
        year=year,
        kind=kind,
        opened_on=opened_on,
        held_on=held_on,
        honour_round=HonourRound.objects.filter(year=year).first(),
        opened_by=actor,
    )
    event_record(
        action="movement_review.open",
        actor=actor,
        obj=review,
        role="reviewer",
        unit_code=movement.launched_by.code,
        data={
            "movement": movement.code,
            "year": year,
            "kind": kind,
            "held_on": held_on.isoformat(),
            "honour_round": review.honour_round.year if review.honour_round else None,
        },
    )
    return review


@transaction.atomic
def review_close(*, actor, review, summary=""):
    """End the review: the year's registrations, results and scoring are closed."""
    review = (
        MovementReview.objects.select_for_update(of=("self",))
        .select_related("movement__launched_by")
        .get(pk=review.pk)
    )
    _check_runs(actor, review.movement)
    if review.status != ReviewStatus.OPEN:
        raise ValidationError({"review": _("Đợt sơ kết đã kết thúc.")})
    review.status, review.closed_at = ReviewStatus.CLOSED, timezone.now()
    if summary:
        review.summary = summary.strip()
    if review.honour_round_id is None:
        review.honour_round = HonourRound.objects.filter(year=review.year).first()
    review.save(update_fields=["status", "closed_at", "summary", "honour_round"])
    event_record(
        action="movement_review.close",
        actor=actor,
        obj=review,
        role="reviewer",
        unit_code=review.movement.launched_by.code,
        data={"year": review.year, "flags": review.flag_proposals.count()},
    )
    return review


def can_read_review(actor, movement):
    """The province's office, its signers and its inspectors read the review and its report."""
    if movement.launched_by_id is None:
        return False
    scope = scope_of(actor)
    return any(
        scope.can(codename, movement.launched_by_id)
        for codename in (RUN_PERMISSION, "sign_decision", "inspect_unit")
    )


# ---------------------------------------------------------------------------------------------- reads
@dataclass
class UnitSummary:
    registration: object
    commitments: list
    met: int
    reported: int


@dataclass
class ReviewGathering:
    review: object
    units: list
    exemplary: list
    clusters: list
    nominations: list
    honours: list
    next_targets: list


def _latest_results(commitments):
    latest = {}
    for report in ProgressReport.objects.filter(commitment__in=commitments).order_by("reported_on", "pk"):
        latest[report.commitment_id] = report
    return latest


def registration_rows(registration):
    """Return [(commitment, latest result or None)] of a registration."""
    commitments = list(registration.commitments.select_related("content_area", "target"))
    latest = _latest_results(commitments)
    return [(c, latest.get(c.pk)) for c in commitments]


def review_gather(review):
    """Gather what the review of the year weighs: per unit its commitments against its latest results, the
    exemplary models, each cluster's ranking and flag proposal, the nominations of the year under the movement and
    the Công dân Đồng Khởi round's nominations."""
    movement, year = review.movement, review.year
    registrations = list(
        Registration.objects.filter(movement=movement, year=year)
        .select_related("unit", "reviewer_unit")
        .order_by("unit__tier", "unit__code")
    )
    units = []
    for registration in registrations:
        rows = registration_rows(registration)
        units.append(
            UnitSummary(
                registration=registration,
                commitments=rows,
                met=sum(1 for _c, r in rows if r is not None and r.is_met),
                reported=sum(1 for _c, r in rows if r is not None),
            )
        )
    exemplary = list(
        ExemplaryModel.objects.filter(movement=movement, year=year, withdrawn_at__isnull=True)
        .select_related("content_area", "unit")
        .order_by("content_area__order", "pk")
    )
    proposals = {p.cluster_id: p for p in review.flag_proposals.select_related("unit", "nomination")}
    clusters = []
    for cluster in clusters_of(movement):
        criteria, ranked = cluster_ranking(cluster=cluster, movement=movement, year=year)
        if criteria:
            clusters.append((cluster, criteria, ranked, proposals.get(cluster.pk)))
    nominations = list(
        Nomination.objects.filter(movement=movement, period_year=year)
        .select_related("nominee", "award_type", "unit")
        .order_by("award_type__name", "pk")
    )
    honours = []
    if review.honour_round_id:
        honours = list(review.honour_round.nominations.select_related("nominee", "unit").order_by("pk"))
    next_targets = list(
        MovementTarget.objects.filter(movement=movement, year=year + 1).select_related("content_area")
    )
    return ReviewGathering(
        review=review,
        units=units,
        exemplary=exemplary,
        clusters=clusters,
        nominations=nominations,
        honours=honours,
        next_targets=next_targets,
    )


@dataclass
class TierCoverage:
    tier: str
    label: str
    addressed: int
    by_status: dict


def registration_coverage(movement, year):
    """Return, per registering tier, how many active addressed units there are and how many registrations stand
    at each status (registration coverage by tier)."""
    subtree = UnitTree().subtree([movement.launched_by_id]) if movement.launched_by_id else set()
    today = timezone.localdate()
    units = [
        u
        for u in Unit.objects.filter(pk__in=subtree, tier__in=REGISTERING_TIERS).valid_on(today)
        if is_addressed(movement, u)
    ]
    counts = {}
    for tier, status, number in (
        Registration.objects.filter(movement=movement, year=year)
        .values_list("unit__tier", "status")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(tier, {})[status] = number
    rows = []
    for tier in REGISTERING_TIERS:
        addressed = sum(1 for u in units if u.tier == tier)
        rows.append(
            TierCoverage(
                tier=tier, label=Tier(tier).label, addressed=addressed, by_status=counts.get(tier, {})
            )
        )
    return rows


@dataclass
class AreaProgress:
    area: object
    targets: list
    commitments: int
    reported: int
    met: int
    committed_value: Decimal
    achieved_value: Decimal
    exemplary: int


def area_progress(movement, year):
    """Return, per content area, the province's targets, the commitments taken, how many reported and met, the sum
    of committed and achieved values (number targets) and the exemplary models (results vs targets)."""
    commitments = list(
        Commitment.objects.filter(registration__movement=movement, registration__year=year).select_related(
            "content_area"
        )
    )
    latest = _latest_results(commitments)
    targets = {}
    for target in MovementTarget.objects.filter(movement=movement).filter(
        Q(year=year) | Q(year__isnull=True)
    ):
        targets.setdefault(target.content_area_id, []).append(target)
    exemplary = dict(
        ExemplaryModel.objects.filter(movement=movement, year=year, withdrawn_at__isnull=True)
        .values_list("content_area_id")
        .annotate(n=Count("pk"))
    )
    rows = []
    for area in areas_in_order(movement):
        mine = [c for c in commitments if c.content_area_id == area.pk]
        reports = [latest[c.pk] for c in mine if c.pk in latest]
        rows.append(
            AreaProgress(
                area=area,
                targets=targets.get(area.pk, []),
                commitments=len(mine),
                reported=len(reports),
                met=sum(1 for r in reports if r.is_met),
                committed_value=sum(
                    (c.value for c in mine if c.kind == TargetKind.NUMBER and c.value), Decimal(0)
                ),
                achieved_value=sum(
                    (
                        r.value
                        for r in reports
                        if r.value is not None and r.commitment.kind == TargetKind.NUMBER
                    ),
                    Decimal(0),
                ),
                exemplary=exemplary.get(area.pk, 0),
            )
        )
    rows.sort(
        key=lambda r: (
            r.area.parent.order if r.area.parent_id else r.area.order,
            r.area.parent_id is not None,
            r.area.order,
        )
    )
    return rows


def registrations_for(actor, movement=None):
    """Return (the registrations of the actor's own units, those waiting for the actor's acknowledgement, those the
    actor acknowledged or may mark exemplary models in)."""
    scope = scope_of(actor)
    own_units = scope.units(PREPARE_PERMISSION) | scope.units(SIGN_PERMISSION)
    review_units = scope.units(ACKNOWLEDGE_PERMISSION)
    base = Registration.objects.select_related("unit", "movement", "reviewer_unit")
    if movement is not None:
        base = base.filter(movement=movement)
    own = base.filter(unit_id__in=own_units)
    waiting = base.filter(reviewer_unit_id__in=review_units, status=RegistrationStatus.SUBMITTED)
    reviewed = base.filter(reviewer_unit_id__in=review_units).exclude(status=RegistrationStatus.DRAFT)
    run = [m.pk for m in Movement.objects.filter(launched_by_id__in=scope.units(RUN_PERMISSION))]
    if run:
        reviewed = reviewed | base.filter(movement_id__in=run).exclude(status=RegistrationStatus.DRAFT)
    return list(own), list(waiting), list(reviewed.distinct())


def get_registration_for_user(actor, pk):
    """Return the registration when the actor prepares, signs, acknowledges it or runs its movement; 404 otherwise
    (an outsider does not learn it exists)."""
    registration = (
        Registration.objects.select_related("unit", "movement__launched_by", "reviewer_unit")
        .filter(pk=pk)
        .first()
    )
    if registration is None:
        raise Http404
    scope = scope_of(actor)
    if (
        scope.can(PREPARE_PERMISSION, registration.unit_id)
        or scope.can(SIGN_PERMISSION, registration.unit_id)
        or (registration.status != RegistrationStatus.DRAFT and can_mark_exemplary(actor, registration))
        or scope.can("inspect_unit", registration.unit_id)
    ):
        return registration
    raise Http404

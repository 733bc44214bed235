"""The movement's own life (issue 24): the extra cast (heads of two districts and of the cluster) and a launched
successor movement with its cluster, shared by the service, page and browser tests."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from nominations import movement as rules
from nominations.models import Movement, TargetKind
from tests.factories import unit
from workflows import demo


def movement_cast():
    """The demo's movement heads (of three districts and of the cluster), the districts seated in Cụm thi đua các
    huyện; return {username: user}."""
    return demo.movement_people()


def launch_successor(people, code="dong_khoi_moi_2026_2030"):
    """The province launches the 2026–2030 movement, continuing 2020–2025 (its content areas), with a target."""
    predecessor = Movement.objects.get(code="dong_khoi_moi_2020_2025")
    movement = rules.movement_launch(
        actor=people.province_reviewer,
        unit=unit("BT"),
        code=code,
        name="Đồng khởi mới 2026–2030",
        start_year=2026,
        end_year=2030,
        vision_year=2035,
        launch_document="Chỉ thị 05-CT/TU ngày 17/01/2026 của Ban Thường vụ Tỉnh ủy",
        launched_on=date(2026, 1, 17),
        predecessor=predecessor,
    )
    area = movement.content_areas.get(code="chan_2.1")
    rules.target_set(
        actor=people.province_reviewer,
        movement=movement,
        content_area=area,
        description="Xã đạt chuẩn nông thôn mới nâng cao",
        kind=TargetKind.NUMBER,
        value=Decimal(20),
        unit_label="xã",
    )
    return movement


def this_year():
    return timezone.localdate().year


def registered(movement, unit_code, preparer, head, reviewer, *, area_code="chan_2.1", value=Decimal(3)):
    """A registration of `unit_code` for this year with one commitment, signed and acknowledged above."""
    registration = rules.registration_create(
        actor=preparer, movement=movement, unit=unit(unit_code), year=this_year()
    )
    rules.commitment_add(
        actor=preparer,
        registration=registration,
        content_area=movement.content_areas.get(code=area_code),
        description="Xã đạt chuẩn nông thôn mới nâng cao",
        kind=TargetKind.NUMBER,
        value=value,
        actions="Huy động nguồn lực xã hội hóa làm đường giao thông nông thôn.",
    )
    rules.registration_submit(actor=head, registration=registration)
    rules.registration_acknowledge(actor=reviewer, registration=registration)
    registration.refresh_from_db()
    return registration

"""The yearly figures of forms 0604.N/0605.N: only the province's reviewers and signers enter them, the checks of
the form hold, a new entry replaces the unit's lines and the audit event keeps both versions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals import reports
from approvals.models import StatisticsFigure
from approvals.services import statistics_figures_record
from audit.models import Event
from organisation.models import Unit
from workflows import demo

ORGANISATIONS = {"02": (0, 0), "03": (0, 0), "04": (1, 0), "05": (2, 0)}


@pytest.fixture
def office(people):
    return Unit.objects.get(code="BT.SNV")


@pytest.mark.parametrize("persona", ["inspector", "district_reviewer", "clerk", "head", "outsider"])
def test_only_the_provinces_reviewers_and_signers_enter_figures(people, office, persona):
    with pytest.raises(PermissionDenied):
        statistics_figures_record(
            actor=getattr(people, persona), number="0604", unit=office, year=2025, figures=ORGANISATIONS
        )
    assert not StatisticsFigure.objects.exists()


def test_a_unit_outside_the_province_is_refused(people):
    with pytest.raises(PermissionDenied):
        statistics_figures_record(
            actor=people.province_reviewer,
            number="0604",
            unit=Unit.objects.get(code="VL"),
            year=2025,
            figures=ORGANISATIONS,
        )


def test_a_new_entry_replaces_the_units_lines_and_the_event_keeps_both(people, office):
    statistics_figures_record(
        actor=people.province_reviewer, number="0604", unit=office, year=2025, figures=ORGANISATIONS
    )
    statistics_figures_record(
        actor=people.chairman, number="0604", unit=office, year=2025, figures={"05": (3, 0)}
    )
    assert reports.entered_figures("0604", office.pk, 2025) == {
        "02": (0, 0),
        "03": (0, 0),
        "04": (0, 0),
        "05": (3, 0),
    }
    event = Event.objects.filter(action="statistics.record").order_by("-seq").first()
    assert event.object_id == "0604/BT.SNV/2025" and event.unit_code == "BT.SNV"
    assert event.data["previous"]["04"] == [1, 0] and event.data["figures"]["05"] == [3, 0]
    _form, cells = reports.statistical_form("0604", {office.pk}, 2025)
    assert cells["01"] == [3]


def test_the_checks_of_form_0605_hold(people, office):
    figures = dict(demo.DEMO_CIVIL_SERVANTS)
    figures["03"] = (4, 2)  # ages now add up to 10, the total says 9
    figures["11"] = (6, 7)  # more women than people
    with pytest.raises(ValidationError) as refused:
        statistics_figures_record(
            actor=people.province_reviewer, number="0605", unit=office, year=2025, figures=figures
        )
    errors = refused.value.message_dict
    assert errors["02"] == ["Cộng các dòng 02–07 (10) phải bằng tổng số dòng 01 (9)."]
    assert errors["women_11"] == ["Số nữ không được lớn hơn tổng số."]
    assert not StatisticsFigure.objects.exists()


def test_unknown_lines_and_forms_are_refused(people, office):
    with pytest.raises(ValidationError) as refused:
        statistics_figures_record(
            actor=people.province_reviewer, number="0604", unit=office, year=2025, figures={"01": (3, 0)}
        )
    assert "01" in str(refused.value)  # the total of 0604 is derived, never typed
    with pytest.raises(ValidationError):
        statistics_figures_record(
            actor=people.province_reviewer, number="0603", unit=office, year=2025, figures={}
        )


def test_the_form_of_a_subtree_sums_its_units(people, office):
    district = Unit.objects.get(code="BT.MCN")
    for unit, count in ((office, 2), (district, 1)):
        statistics_figures_record(
            actor=people.province_reviewer, number="0604", unit=unit, year=2025, figures={"05": (count, 0)}
        )
    province = reports.report_units(people.province_reviewer)
    assert reports.statistical_form("0604", province, 2025)[1]["05"] == [3]
    assert reports.statistical_form("0604", {district.pk}, 2025)[1]["05"] == [1]
    assert reports.statistical_form("0604", province, 2024)[1]["01"] == [0]

"""Vietnamese first, English available: catalogues, language negotiation, date formats and the CI check."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from viewflow.workflow.status import STATUS

from approvals.services import vote_evaluate
from nominations.models import Status
from workflows import services as workflow_services

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
# An alias, so `makemessages` (which scans tests/) does not collect the English msgids below into locale/en.
translate = translation.gettext


def _load_check():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "i18n_check", Path(settings.BASE_DIR) / "scripts" / "i18n_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


i18n_check = _load_check()


# Vietnamese catalogue: viewflow and guardian ship no "vi", ours provides it.


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (STATUS.NEW, "Mới"),
        (STATUS.ASSIGNED, "Đã nhận"),
        (STATUS.STARTED, "Đang xử lý"),
        (STATUS.DONE, "Hoàn thành"),
        (STATUS.CANCELED, "Đã hủy"),
        (STATUS.ERROR, "Lỗi"),
    ],
)
def test_viewflow_task_status_labels_are_vietnamese(status, label):
    with translation.override("vi"):
        assert str(status.label) == label
    with translation.override("en"):
        assert str(status.label) == status.name.capitalize()


def test_viewflow_menu_and_guardian_admin_strings_are_vietnamese():
    with translation.override("vi"):
        assert translate("Inbox") == "Hộp thư"
        assert translate("Queue") == "Hàng chờ"
        assert translate("Archive") == "Lưu trữ"
        assert translate("Object permissions") == "Quyền trên đối tượng"
        assert translate("Task {task} has been completed.").format(task="#7") == (
            "Đã hoàn thành công việc #7."
        )


def test_vietnamese_source_strings_render_as_written():
    with translation.override("vi"):
        assert translate("Phải nêu lý do trả lại hồ sơ.") == "Phải nêu lý do trả lại hồ sơ."
        assert str(Status.AWARDED.label) == "Đã khen thưởng"


# English catalogue: our Vietnamese msgids translated.


def test_service_error_constant_renders_in_english():
    with translation.override("en"):
        assert str(translation.gettext(workflow_services.ALREADY_DONE)) == (
            "This task has already been handled or is no longer valid."
        )


def test_vote_tally_errors_follow_the_active_language():
    tally = {"award_type": None, "members_total": 0, "members_present": 0, "votes_for": 0, "votes_against": 0}
    with translation.override("en"), pytest.raises(ValidationError) as english:
        vote_evaluate(**tally)
    with translation.override("vi"), pytest.raises(ValidationError) as vietnamese:
        vote_evaluate(**tally)
    assert english.value.message_dict["members_total"] == [
        "The total number of members must be greater than 0."
    ]
    assert vietnamese.value.message_dict["members_total"] == ["Tổng số thành viên phải lớn hơn 0."]


def test_return_without_reason_is_refused_in_english(people):
    from tests.factories import file_nomination

    nomination = file_nomination(people.clerk)
    workflow_services.nomination_submit(actor=people.head, nomination=nomination)
    scope = workflow_services.open_task_of(nomination)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        workflow_services.review_return(actor=people.district_reviewer, task_id=scope.task_id, reason=" ")
    assert excinfo.value.message_dict["reason"] == ["A reason for returning the dossier is required."]


def test_placeholders_survive_translation():
    msgid = "Số phiếu đồng ý chưa đạt tỷ lệ %(pct)s%% trên tổng số thành viên Hội đồng."
    with translation.override("en"):
        assert (
            translation.gettext(msgid) % {"pct": 66}
            == "Votes in favor do not reach 66% of all council members."
        )


def test_model_choice_labels_in_english():
    with translation.override("en"):
        assert str(Status.AWARDED.label) == "Awarded"
        assert str(Status.RETURNED.label) == "Returned for completion"


# Language negotiation on a real page.


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default_and_for_vietnamese_browsers(client):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "vi-VN,vi;q=0.9,en;q=0.5"}):
        response = client.get(reverse("login"), **headers)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Đăng nhập" in page and "Log in" not in page
        assert '<html lang="vi">' in page


@pytest.mark.django_db
def test_login_page_is_english_for_english_browsers(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert "Log in" in page and "Đăng nhập" not in page
    assert "Emulation and Commendation" in page
    assert '<html lang="en">' in page


@pytest.mark.django_db
def test_language_cookie_overrides_the_browser(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Log in" in page and "Đăng nhập" not in page


# Dates: Vietnamese offices read dd/mm/yyyy whatever the interface language.


@pytest.mark.parametrize("language", ["vi", "en"])
def test_short_date_is_day_month_year_in_both_languages(language):
    with translation.override(language):
        assert date_format(date(2026, 1, 17), "SHORT_DATE_FORMAT") == "17/01/2026"
        assert date_format(date(2026, 1, 17)) == "17/01/2026"


# The CI check (scripts/i18n_check.py).


def test_committed_catalogues_pass_the_check():
    report = i18n_check.check(LOCALE_DIR)
    assert set(map(str, report)) >= {"locale/vi/LC_MESSAGES/django.po", "locale/en/LC_MESSAGES/django.po"}
    assert {str(path): problems for path, problems in report.items() if problems} == {}


@pytest.fixture
def locale_copy(tmp_path):
    target = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, target)
    return target


def _append(po_path, text):
    with po_path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def test_check_reports_untranslated_fuzzy_and_stale_entries(locale_copy, capsys):
    en_po = locale_copy / "en/LC_MESSAGES/django.po"
    _append(
        en_po,
        '\nmsgid "Chuỗi mới chưa dịch."\nmsgstr ""\n'
        '\n#, fuzzy\nmsgid "Chuỗi được đoán."\nmsgstr "A guess."\n'
        '\nmsgid "Chuỗi đã dịch sau khi biên dịch."\nmsgstr "Translated after compiling."\n',
    )
    assert i18n_check.main(["--locale-dir", str(locale_copy)]) == 1
    out = capsys.readouterr().out
    assert "'Chuỗi mới chưa dịch.' is untranslated" in out
    assert "'Chuỗi được đoán.' is fuzzy" in out
    assert "en/LC_MESSAGES/django.mo is stale" in out
    assert "locale/vi/LC_MESSAGES/django.po: ok" in out


def test_check_reports_an_app_level_english_catalogue(locale_copy, capsys):
    # makemessages without --ignore=*/locale writes an app's strings to <app>/locale/en, beside locale/en.
    stray = locale_copy.parent / "api/locale/en/LC_MESSAGES/django.po"
    stray.parent.mkdir(parents=True)
    stray.write_text('msgid "API tích hợp"\nmsgstr "Integration API"\n', encoding="utf-8")
    assert i18n_check.main(["--locale-dir", str(locale_copy)]) == 1
    assert "api/locale/en/LC_MESSAGES/django.po: app-level English catalogue" in capsys.readouterr().out


def test_check_reports_a_missing_compiled_catalogue(locale_copy, capsys):
    (locale_copy / "en/LC_MESSAGES/django.mo").unlink()
    assert i18n_check.main(["--locale-dir", str(locale_copy)]) == 1
    assert "django.mo is missing" in capsys.readouterr().out


def test_check_reports_changed_placeholders(locale_copy, capsys):
    _append(
        locale_copy / "en/LC_MESSAGES/django.po",
        '\n#, python-format\nmsgid "Tệp %(name)s đã tải lên."\nmsgstr "File %(nmae)s uploaded."\n',
    )
    assert i18n_check.main(["--locale-dir", str(locale_copy)]) == 1
    assert "has placeholders ['nmae'], msgid has ['name']" in capsys.readouterr().out


def test_check_reports_viewflow_strings_lost_from_the_vietnamese_catalogue(locale_copy, capsys):
    # What `makemessages -l vi` would do: third-party msgids are not in our source, so they turn obsolete.
    vi_po = locale_copy / "vi/LC_MESSAGES/django.po"
    text = vi_po.read_text(encoding="utf-8")
    entry = 'msgid "Inbox"\nmsgstr "Hộp thư"\n'
    assert entry in text
    vi_po.write_text(text.replace(entry, '#~ msgid "Inbox"\n#~ msgstr "Hộp thư"\n'), encoding="utf-8")
    assert i18n_check.main(["--locale-dir", str(locale_copy)]) == 1
    out = capsys.readouterr().out
    assert "missing viewflow msgid 'Inbox'" in out
    assert "vi/LC_MESSAGES/django.mo is stale" in out

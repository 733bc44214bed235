"""Award history back-filled from before the system: one entry by form, or an Excel file (template, per-row
validation, preview, then load all or only the valid rows), every load audited with the file's hash.

Decisions signed here write their history in `services.history_record`; revocations mark it revoked.
"""

import hashlib
import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from audit.services import event_record
from nominations.models import (
    AwardHistory,
    AwardType,
    Collective,
    HistoryImport,
    HistorySource,
    Person,
    SubjectType,
)
from nominations.rows import Column, choice, citizen_id, optional_date, read_rows, required_text, text, year
from nominations.selectors import can_edit_registry_record
from organisation.models import Unit
from organisation.policy import registry_scope, scope_of
from organisation.text import fold

# Who back-fills a unit's history: its own clerks and heads (they hold the paper records).
HISTORY_PERMISSION = "file_nomination"
MAX_IMPORT_BYTES = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 1945  # the oldest award year a back-filled entry may carry (as the Excel column checks)
SUBJECTS = {SubjectType.INDIVIDUAL.value: "Cá nhân", SubjectType.COLLECTIVE.value: "Tập thể"}


def award_codes():
    return dict(AwardType.objects.order_by("code").values_list("code", "name"))


def history_columns():
    return [
        Column("subject", "Đối tượng", choice(SUBJECTS), "Cá nhân"),
        Column("name", "Họ tên / tên tập thể", required_text, "Nguyễn Văn A"),
        Column("citizen_id", "Số CCCD", lambda v: citizen_id(v) if text(v) else "", "083090001234"),
        Column("birth_year", "Năm sinh", lambda v: year(v) if text(v) else None, "1980"),
        Column("award_code", "Mã khen thưởng", choice(award_codes()), "chien_si_thi_dua_co_so"),
        Column("year", "Năm", year, "2023"),
        Column("decision_number", "Số quyết định", required_text, "123/QĐ-UBND"),
        Column("decided_on", "Ngày quyết định", optional_date, "15/01/2024"),
        Column("issuer", "Cơ quan ban hành", required_text, "UBND huyện Mỏ Cày Nam"),
        Column("is_ad_hoc", "Đột xuất (có/không)", choice({"khong": "không", "co": "có", "": ""}), "không"),
    ]


def template_workbook():
    """Return the bytes of the import template: the header row, one example row and the award codes sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lịch sử khen thưởng"
    columns = history_columns()
    sheet.append([column.header for column in columns])
    sheet.append([column.example for column in columns])
    codes = workbook.create_sheet("Mã khen thưởng")
    codes.append(["Mã", "Tên"])
    for code, name in award_codes().items():
        codes.append([code, name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def history_import_units(user):
    """Return the units `user` may back-fill history for from a file."""
    return Unit.objects.filter(pk__in=scope_of(user).units(HISTORY_PERMISSION)).order_by("code")


def _check_may_record(actor, unit):
    if not scope_of(actor).can(HISTORY_PERMISSION, unit.pk):
        raise PermissionDenied


def _row_rules(cleaned):
    problems = []
    if (
        cleaned["subject"] == SubjectType.INDIVIDUAL
        and not cleaned["citizen_id"]
        and not cleaned["birth_year"]
    ):
        problems.append(("citizen_id", _("cá nhân cần số CCCD hoặc năm sinh để nhận diện.")))
    if cleaned["decided_on"] and cleaned["decided_on"].year < cleaned["year"]:
        problems.append(("decided_on", _("ngày quyết định trước năm được khen.")))
    return problems


def history_import_preview(*, actor, unit, uploaded):
    """Validate an uploaded workbook for `unit` (who may back-fill there only); return (ReadResult, sha256, name).
    Nothing is written: the preview both channels show before the load."""
    _check_may_record(actor, unit)
    return history_import_read(uploaded)


def history_import_read(uploaded):
    """Read and validate an uploaded workbook; return (ReadResult, sha256, name). Nothing is written."""
    data = uploaded.read()
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("Tệp quá lớn (tối đa 10 MB).")})
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, Exception):  # noqa: BLE001 — any unreadable file
        raise ValidationError({"file": _("Không đọc được tệp: hãy dùng tệp Excel (.xlsx) theo mẫu.")})
    sheet = workbook.worksheets[0]
    result = read_rows(sheet, history_columns(), check_row=_row_rules)
    workbook.close()
    return result, hashlib.sha256(data).hexdigest(), getattr(uploaded, "name", "")


class _Registry:
    """The unit subtree's people and collectives, held in memory for one import (one query each, not per row);
    the records the file introduces are created together (bulk) before the history rows."""

    def __init__(self, unit):
        self.unit = unit
        scope = registry_scope(unit)
        self.by_citizen_id, self.by_name = {}, {}
        for person in Person.objects.filter(unit_id__in=scope, merged_into__isnull=True).order_by("-pk"):
            if person.citizen_id:
                self.by_citizen_id[person.citizen_id] = person
            self.by_name[(person.name_folded, person.birth_year)] = person
        live_collectives = Collective.objects.filter(unit_id__in=scope, merged_into__isnull=True).order_by(
            "-pk"
        )
        self.collectives = {c.name_folded: c for c in live_collectives if not c.is_unit}
        self.unit_collectives = {c.unit_id: c for c in live_collectives if c.is_unit}
        # A collective row naming a unit of the subtree is that unit itself, as registry.unit_named decides: this
        # unit first, then units in operation, then the oldest (the preferred one is written last, so it wins).
        self.units = {}
        for found in sorted(
            Unit.objects.filter(pk__in=scope).only("pk", "name", "short_name", "valid_from", "valid_to"),
            key=lambda u: (u.pk != unit.pk, not u.is_active, u.pk),
            reverse=True,
        ):
            for label in (found.name, found.short_name):
                if label:
                    self.units[fold(label)] = found
        self.new_people, self.new_collectives = [], []

    def person(self, row):
        """Return the person of `row`, known or new (unsaved until `save_new`)."""
        folded = fold(row["name"])
        found = self.by_citizen_id.get(row["citizen_id"]) if row["citizen_id"] else None
        found = found or self.by_name.get((folded, row["birth_year"]))
        if found is None:
            found = Person(
                full_name=row["name"],
                name_folded=folded,
                citizen_id=row["citizen_id"],
                birth_year=row["birth_year"],
                unit=self.unit,
            )
            self.new_people.append(found)
            if found.citizen_id:
                self.by_citizen_id[found.citizen_id] = found
            self.by_name[(folded, found.birth_year)] = found
        return found

    def collective(self, row):
        folded = fold(row["name"])
        named = self.units.get(folded)
        if named is not None:
            found = self.unit_collectives.get(named.pk)
            if found is None:
                found = Collective(name=named.name, name_folded=fold(named.name), unit=named, is_unit=True)
                self.new_collectives.append(found)
                self.unit_collectives[named.pk] = found
            return found
        found = self.collectives.get(folded)
        if found is None:
            found = Collective(name=row["name"], name_folded=folded, unit=self.unit)
            self.new_collectives.append(found)
            self.collectives[folded] = found
        return found

    def save_new(self):
        # bulk_create skips save(): name_folded is filled above. PostgreSQL and SQLite return the new ids.
        Person.objects.bulk_create(self.new_people, batch_size=1000)
        Collective.objects.bulk_create(self.new_collectives, batch_size=1000)


@transaction.atomic
def history_import_load(*, actor, unit, uploaded, valid_rows_only=False, expected_sha256=None):
    """Load a validated file: every row, or (when the user accepted it) only the valid rows. A file with errors
    and no acceptance writes nothing and raises with each row's message. `expected_sha256` is the hash of the
    file the user previewed: another file is refused."""
    _check_may_record(actor, unit)
    result, sha256, name = history_import_read(uploaded)
    if expected_sha256 is not None and sha256 != expected_sha256:
        raise ValidationError({"sha256": _("Tệp không phải tệp đã được kiểm tra: hãy kiểm tra lại tệp này.")})
    if result.errors and not (valid_rows_only and result.rows):
        raise ValidationError({"file": [str(error) for error in result.errors[:200]]})
    if not result.rows:
        raise ValidationError({"file": _("Tệp không có dòng dữ liệu nào.")})
    batch = HistoryImport.objects.create(
        file_name=name[:255],
        sha256=sha256,
        rows_total=result.total,
        rows_loaded=len(result.rows),
        unit=unit,
        created_by=actor,
    )
    registry = _Registry(unit)
    now = timezone.now()
    entries = []
    for _number, row in result.rows:
        is_person = row["subject"] == SubjectType.INDIVIDUAL
        entries.append(
            AwardHistory(
                person=registry.person(row) if is_person else None,
                collective=None if is_person else registry.collective(row),
                award_code=row["award_code"],
                year=row["year"],
                decision_number=row["decision_number"],
                decided_on=row["decided_on"],
                issuer=row["issuer"],
                is_ad_hoc=row["is_ad_hoc"] == "co",
                source=HistorySource.IMPORT,
                batch=batch,
                recorded_by=actor,
                recorded_at=now,
            )
        )
    registry.save_new()  # bulk_create below takes the new records' ids from the saved objects
    AwardHistory.objects.bulk_create(entries, batch_size=1000)
    event_record(
        action="history.import",
        actor=actor,
        obj=batch,
        unit_code=unit.code,
        data={
            "file": name,
            "sha256": sha256,
            "rows": result.total,
            "loaded": len(entries),
            "skipped_rows": result.bad_rows,
        },
    )
    return batch


def history_entry_errors(*, award_code, year, decision_number, decided_on, issuer):
    """Return {field: message} for one award entered by hand (the form and the API show them by field)."""
    errors = {}
    if award_code not in award_codes():
        errors["award_code"] = _("Mã khen thưởng không có trong danh mục.")
    if not (FIRST_YEAR <= int(year) <= timezone.localdate().year):
        errors["year"] = _("Năm phải từ %(first)s đến năm nay.") % {"first": FIRST_YEAR}
    if not decision_number.strip():
        errors["decision_number"] = _("Vui lòng nhập số quyết định.")
    if not issuer.strip():
        errors["issuer"] = _("Vui lòng nhập cơ quan ban hành.")
    if decided_on is not None and "year" not in errors and decided_on.year < int(year):
        errors["decided_on"] = _("Ngày quyết định trước năm được khen.")
    return errors


@transaction.atomic
def history_add(
    *,
    actor,
    person=None,
    collective=None,
    award_code,
    year,
    decision_number,
    decided_on,
    issuer,
    is_ad_hoc=False,
):
    """Back-fill one award of a registry record of the actor's filing units' subtrees."""
    subject = person or collective
    if subject is None or (person is not None and collective is not None):
        raise ValueError("history_add takes a person or a collective")
    if not can_edit_registry_record(actor, subject):
        raise PermissionDenied
    errors = history_entry_errors(
        award_code=award_code,
        year=year,
        decision_number=decision_number,
        decided_on=decided_on,
        issuer=issuer,
    )
    if errors:
        raise ValidationError(errors)
    entry = AwardHistory.objects.create(
        person=person,
        collective=collective,
        award_code=award_code,
        year=year,
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        issuer=issuer.strip(),
        is_ad_hoc=is_ad_hoc,
        source=HistorySource.BACKFILL,
        recorded_by=actor,
    )
    event_record(
        action="history.add",
        actor=actor,
        obj=entry,
        unit_code=subject.unit.code,
        data={
            "person": entry.person_id,
            "collective": entry.collective_id,
            "award_code": award_code,
            "year": year,
            "decision_number": entry.decision_number,
        },
    )
    return entry


@transaction.atomic
def history_revoke(*, actor, entry, reason):
    """Mark a back-filled award revoked (a decision revoking it on paper); it stops counting for later awards."""
    entry = AwardHistory.objects.select_for_update().get(pk=entry.pk)
    subject = entry.person or entry.collective
    if not can_edit_registry_record(actor, subject):
        raise PermissionDenied
    if not entry.is_backfilled:
        raise ValidationError(
            {"reason": _("Khen thưởng theo quyết định ký trên hệ thống được thu hồi bằng quyết định.")}
        )
    if entry.is_revoked:
        raise ValidationError({"reason": _("Khen thưởng này đã được đánh dấu thu hồi.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Vui lòng nhập căn cứ thu hồi.")})
    entry.is_revoked = True
    entry.save(update_fields=["is_revoked"])
    event_record(
        action="history.revoke",
        actor=actor,
        obj=entry,
        unit_code=subject.unit.code,
        data={"reason": reason.strip()},
    )
    return entry

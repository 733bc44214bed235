"""Filing a unit's nomination list: the valid rows of a checked file become drafts, each with its process, in one
transaction, grouped under one submission (tờ trình) and audited with the file's hash.

The rows are read and checked by `nominations.lists.list_check`; each draft is filed by `services.nomination_file`,
the path of a single filing (its own checks, registry record, eligibility, audit event and process), so a list adds
no rule.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.services import event_record
from nominations.lists import list_check, problems_of, row_errors
from nominations.models import Nomination, NominationImport, Submission
from organisation.policy import registry_scopes_held
from workflows import notifications
from workflows.services import nomination_file

MAX_REPORTED_ERRORS = 200


def _refuse(errors):
    raise ValidationError({"file": [str(error) for error in errors[:MAX_REPORTED_ERRORS]]})


@transaction.atomic
def nomination_list_import(*, actor, unit, uploaded, valid_rows_only=False):
    """File the list in `uploaded` for `unit`; return (NominationImport, created).

    A file with errors files nothing and raises with each row's message, unless the user accepted filing only the
    valid rows. The same file uploaded again by the same unit files nothing and returns the first import.

    The rules that read the registry (the record, the eligibility rules) are applied by each row's filing rather
    than checked first and again: a row they refuse is rolled back to its savepoint and reported by row and column
    as the preview (`list_check`) reports it, and the whole list is rolled back unless the valid rows were accepted.
    """
    report = list_check(actor=actor, unit=unit, uploaded=uploaded, registry=False)
    if report.existing is not None:
        return report.existing, False
    if report.errors and not (valid_rows_only and report.valid_rows):
        _refuse(report.errors)
    submission = Submission.objects.create(unit=unit, submitted_by=actor)
    try:
        with transaction.atomic():
            batch = NominationImport.objects.create(
                file_name=report.name[:255],
                sha256=report.sha256,
                rows_total=report.total,
                unit=unit,
                submission=submission,
                created_by=actor,
            )
    except IntegrityError:  # the same file, imported meanwhile by a concurrent upload
        return NominationImport.objects.get(unit=unit, sha256=report.sha256), False
    ids = []
    # One notification write and one e-mail task per recipient for the whole list, not one per row.
    with registry_scopes_held(), notifications.notifications_collected():
        for row in report.valid_rows:
            try:
                ids.append(nomination_file(actor=actor, **row.filing(unit)).pk)
            except ValidationError as exc:
                row.errors.extend(row_errors(row.number, problems_of(exc)))
    if report.errors and not (valid_rows_only and ids):
        _refuse(report.errors)
    batch.rows_loaded = len(ids)
    batch.save(update_fields=["rows_loaded"])
    Nomination.objects.filter(pk__in=ids).update(submission=submission)
    event_record(
        action="nomination.list_import",
        actor=actor,
        obj=batch,
        role="unit",
        unit_code=unit.code,
        data={
            "file": report.name,
            "sha256": report.sha256,
            "rows": report.total,
            "filed": len(ids),
            "skipped_rows": report.bad_rows,
            "submission": submission.pk,
            "nominations": ids,
        },
    )
    return batch, True

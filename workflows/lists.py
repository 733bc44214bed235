"""Filing a unit's nomination list: the valid rows of a checked file become drafts, each with its process, in one
transaction, grouped under one submission (tờ trình) and audited with the file's hash.

The rows are read and checked by `nominations.lists.list_check` with the single filing's rules (its checks, the
registry record, eligibility), inside the import's transaction; the drafts it passed are filed together by
`workflows.batch.nominations_file_batch`, which leaves the rows `services.nomination_file` leaves for each (registry
record, nominee, nomination, process and task, notifications, audit events) in a few statements. A list adds no rule.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.services import event_record
from nominations.lists import list_check
from nominations.models import NominationImport, Submission
from workflows.batch import nominations_file_batch

MAX_REPORTED_ERRORS = 200


def _refuse(errors):
    raise ValidationError({"file": [str(error) for error in errors[:MAX_REPORTED_ERRORS]]})


@transaction.atomic
def nomination_list_import(*, actor, unit, uploaded, valid_rows_only=False):
    """File the list in `uploaded` for `unit`; return (NominationImport, created).

    A file with errors files nothing and raises with each row's message, unless the user accepted filing only the
    valid rows. The same file uploaded again by the same unit files nothing and returns the first import.

    The file is checked again here, in the transaction that files it, so what is filed is what the rules say now
    (another filing may have named the same person since the preview).
    """
    report = list_check(actor=actor, unit=unit, uploaded=uploaded)
    if report.existing is not None:
        return report.existing, False
    if report.errors and not (valid_rows_only and report.valid_rows):
        _refuse(report.errors)
    submission = Submission.objects.create(unit=unit, submitted_by=actor)
    drafts = [row.draft for row in report.valid_rows]
    try:
        with transaction.atomic():
            batch = NominationImport.objects.create(
                file_name=report.name[:255],
                sha256=report.sha256,
                rows_total=report.total,
                rows_loaded=len(drafts),  # every draft is filed, or the transaction files nothing
                unit=unit,
                submission=submission,
                created_by=actor,
            )
    except IntegrityError:  # the same file, imported meanwhile by a concurrent upload
        return NominationImport.objects.get(unit=unit, sha256=report.sha256), False
    for draft in drafts:
        draft.submission = submission
    ids = [nomination.pk for nomination in nominations_file_batch(actor=actor, unit=unit, drafts=drafts)]
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

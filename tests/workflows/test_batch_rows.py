"""The batch filing leaves exactly the rows the one-at-a-time filing leaves (issues 16 and 21).

The same checked list is filed twice from the same database state — once row by row through
`services.nomination_file` (the single filing's path), rolled back, then once through
`batch.nominations_file_batch` — and every table either path writes is compared row by row: registry records (a
person found by citizen ID under a new name, one found by name and birth year, a new one whose citizen ID another
commune's record bears, one new person named by two rows, a new collective), name history, duplicate flags,
nominees, nominations (eligibility results included), viewflow processes, tasks and their `previous` links, task
scopes, notifications and audit events chain by chain. Primary keys and timestamps differ between the runs and are
replaced by names; the chains verify.
"""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from audit.models import Event
from audit.verify import chain_verify
from nominations.lists import list_check
from nominations.models import (
    AwardHistory,
    Collective,
    DuplicateFlag,
    HistorySource,
    Nomination,
    Nominee,
    Person,
    PersonName,
)
from organisation.policy import registry_scopes_held
from tests.factories import unit
from tests.workflows.test_list_import import _row, _xlsx
from workflows import notifications
from workflows.batch import nominations_file_batch
from workflows.models import Notification, TaskScope
from workflows.services import nomination_file

COMMUNE = "BT.MCN.DINHTHUY"
OTHER_COMMUNE = "BT.BATRI.ANNGAITRUNG"
NAMED_BY_ORDINAL = (Person, PersonName, DuplicateFlag, Collective, Nominee, Nomination, Notification)


class Rollback(Exception):
    pass


def _registry(people):
    """Records the list names: one with two years of CSTĐ cơ sở (its Bằng khen passes the streak rule), one without
    a citizen ID, and another commune's record bearing a citizen ID the list gives a new person."""
    year = timezone.localdate().year
    known = Person.objects.create(full_name="Trần Văn Cũ", citizen_id="083100000001", unit=unit(COMMUNE))
    for back in (1, 2):
        AwardHistory.objects.create(
            person=known,
            award_code="chien_si_thi_dua_co_so",
            year=year - back,
            source=HistorySource.BACKFILL,
        )
    Person.objects.create(full_name="Lê Thị Tên", birth_year=1980, unit=unit(COMMUNE))
    Person.objects.create(full_name="Võ Văn Xa", citizen_id="083100000003", unit=unit(OTHER_COMMUNE))


def _rows():
    return [
        _row(
            1,
            **{
                "Họ tên / tên tập thể": "Trần Văn Mới",
                "Số CCCD": "083100000001",
                "Mã khen thưởng": "bang_khen_tinh",
            },
        ),
        _row(
            2, **{"Họ tên / tên tập thể": "Lê Thị Tên", "Năm sinh": 1980, "Số CCCD": None, "Giới tính": "Nữ"}
        ),
        _row(3, **{"Họ tên / tên tập thể": "Võ Văn Gần", "Số CCCD": "083100000003"}),
        _row(4, **{"Họ tên / tên tập thể": "Phạm Thị Mới", "Số CCCD": "083100000004", "Giới tính": "Nữ"}),
        _row(
            5,
            **{
                "Họ tên / tên tập thể": "Phạm Thị Mới",
                "Số CCCD": "083100000004",
                "Mã khen thưởng": "bang_khen_tinh",
            },
        ),
        _row(
            6,
            **{
                "Đối tượng": "Tập thể",
                "Họ tên / tên tập thể": "Tổ dân phố số 3",
                "Giới tính": None,
                "Năm sinh": None,
                "Số CCCD": None,
            },
        ),
        _row(7, **{"Họ tên / tên tập thể": "Đỗ Văn Bảy", "Số CCCD": "083100000007"}),
    ]


def _checked(people):
    report = list_check(actor=people.clerk, unit=unit(COMMUNE), uploaded=_xlsx(_rows()))
    assert not report.errors, [str(error) for error in report.errors]
    return report


def _file_one_by_one(people, report):
    with registry_scopes_held(), notifications.notifications_collected():
        for row in report.valid_rows:
            nomination_file(actor=people.clerk, **row.filing(unit(COMMUNE)))


def _file_batch(people, report):
    nominations_file_batch(
        actor=people.clerk, unit=unit(COMMUNE), drafts=[row.draft for row in report.valid_rows]
    )


def _marks():
    models_ = (*NAMED_BY_ORDINAL, Process, Task, TaskScope, Event)
    return {
        model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for model in models_
    }


def _snapshot(marks):
    """The rows written since `marks`, keys replaced by names: ordinals for the registry and nomination rows (both
    paths create them in the list's order), the nomination's name for its process, tasks and scope rows."""
    names = {}
    for model in NAMED_BY_ORDINAL:
        for index, pk in enumerate(
            model.objects.filter(pk__gt=marks[model]).order_by("pk").values_list("pk", flat=True)
        ):
            names[model._meta.label_lower, pk] = f"{model.__name__}#{index}"
    processes = Process.objects.filter(pk__gt=marks[Process])
    for process in processes:
        names["viewflow.process", process.pk] = (
            f"process of {names['nominations.nomination', int(process.artifact_object_id)]}"
        )
    tasks = Task.objects.filter(pk__gt=marks[Task]).select_related("process")
    for task in tasks:
        names["viewflow.task", task.pk] = (
            f"{names['viewflow.process', task.process_id]}/{task.flow_task.name}"
        )
        names["workflows.taskscope", task.pk] = names["viewflow.task", task.pk]  # a scope row's key is its task

    def value(field, obj):
        raw = field.value_from_object(obj)
        if isinstance(field, models.ForeignKey):
            return names.get((field.related_model._meta.label_lower, raw), raw)
        if obj._meta.label_lower == "viewflow.process" and field.name == "artifact_object_id":
            return names["nominations.nomination", int(raw)]
        return raw if isinstance(raw, (str, int, float, bool, list, dict, type(None))) else str(raw)

    def rows(queryset, skip=()):
        model = queryset.model
        label = model._meta.label_lower
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and not isinstance(f, models.DateTimeField) and f.name not in skip
        ]
        return sorted(
            (
                [names.get((label, obj.pk), f"{label}:{obj.pk}"), {f.name: value(f, obj) for f in fields}]
                for obj in queryset
            ),
            key=lambda row: json.dumps(row, sort_keys=True, default=str),
        )

    def renamed(text):
        for (label, pk), name in names.items():
            if label == "viewflow.task":
                text = text.replace(f"task:{pk}:", f"task:{name}:")
            if label == "nominations.nomination":
                text = text.replace(f"/{pk}/", f"/{name}/")
        return text

    events = {}
    for event in Event.objects.filter(pk__gt=marks[Event]).order_by("chain", "seq"):
        kind, _, key = event.chain.partition(":")
        chain = (
            f"{kind}:{names.get(('nominations.nomination', int(key)), key)}"
            if kind == "nomination"
            else event.chain
        )
        events.setdefault(chain, []).append(
            [
                event.seq,
                event.action,
                event.object_type,
                names.get((event.object_type, int(event.object_id)), event.object_id)
                if event.object_id
                else "",
                names.get(("nominations.nomination", event.nomination_id)),
                event.actor_name,
                event.role,
                event.unit_code,
                event.channel,
                event.data,
            ]
        )
    notices = [
        [row[0], {**row[1], "url": renamed(row[1]["url"]), "dedupe_key": renamed(row[1]["dedupe_key"])}]
        for row in rows(Notification.objects.filter(pk__gt=marks[Notification]))
    ]
    previous = sorted(
        [names["viewflow.task", link.from_task_id], names["viewflow.task", link.to_task_id]]
        for link in Task.previous.through.objects.filter(from_task_id__in=[t.pk for t in tasks])
    )
    return {
        "people": rows(Person.objects.filter(pk__gt=marks[Person])),
        "renamed": rows(Person.objects.filter(pk__lte=marks[Person])),
        "person_names": rows(PersonName.objects.filter(pk__gt=marks[PersonName])),
        "flags": rows(DuplicateFlag.objects.filter(pk__gt=marks[DuplicateFlag])),
        "collectives": rows(Collective.objects.filter(pk__gt=marks[Collective])),
        "nominees": rows(Nominee.objects.filter(pk__gt=marks[Nominee])),
        "nominations": rows(Nomination.objects.filter(pk__gt=marks[Nomination])),
        "processes": rows(processes),
        "tasks": rows(tasks),
        "previous": previous,
        "scopes": rows(TaskScope.objects.filter(pk__gt=marks[TaskScope])),
        "notifications": notices,
        "events": events,
    }


@pytest.mark.django_db
def test_batch_filing_leaves_the_rows_of_filing_one_by_one(people):
    _registry(people)
    marks = _marks()
    try:
        with transaction.atomic():
            _file_one_by_one(people, _checked(people))
            one_by_one = _snapshot(marks)
            raise Rollback
    except Rollback:
        pass
    assert not Nomination.objects.filter(pk__gt=marks[Nomination]).exists()
    _file_batch(people, _checked(people))
    batch = _snapshot(marks)
    assert len(batch["nominations"]) == 7 and len(batch["people"]) == 3 and len(batch["flags"]) == 1
    assert len(batch["collectives"]) == 1 and len(batch["person_names"]) == 1
    assert len(batch["events"]) == 7 and all(len(chain) == 2 for chain in batch["events"].values())
    assert batch["notifications"], "the unit's heads are told of each new draft"
    for key in one_by_one:
        assert batch[key] == one_by_one[key], json.dumps([key, one_by_one[key], batch[key]], ensure_ascii=False, default=str)
    assert chain_verify().ok


def test_batch_filing_refuses_a_clerk_of_another_unit(people):
    report = _checked(people)
    with pytest.raises(PermissionDenied):
        nominations_file_batch(
            actor=people.district_reviewer,
            unit=unit(COMMUNE),
            drafts=[row.draft for row in report.valid_rows],
        )
    assert not Nomination.objects.exists()

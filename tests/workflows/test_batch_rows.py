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
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from approvals.models import AgendaItem, Certificate, Decision, Meeting, Posting, ReviewRecord, VoteRecord
from audit.models import Event
from audit.verify import chain_verify
from nominations.lists import list_check
from nominations.models import (
    AwardHistory,
    Collective,
    DuplicateFlag,
    HistorySource,
    Nomination,
    NominationGroupObjectPermission,
    Nominee,
    Person,
    PersonName,
)
from organisation.policy import registry_scopes_held
from tests.factories import VOTED_COLLECTIVE, file_nomination, unit
from tests.workflows.test_list_import import _row, _xlsx
from workflows import bulk, notifications
from workflows import services as services_module
from workflows.batch import nominations_file_batch, tasks_complete_batch
from workflows.models import Notification, TaskScope
from workflows.services import decision_sign, nomination_file, nomination_submit, review_bulk

COMMUNE = "BT.MCN.DINHTHUY"
OTHER_COMMUNE = "BT.BATRI.ANNGAITRUNG"
NAMED_BY_ORDINAL = (
    AwardHistory,
    Decision,
    Certificate,
    Person,
    PersonName,
    DuplicateFlag,
    Collective,
    Nominee,
    Nomination,
    Notification,
    Posting,
    VoteRecord,
)


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
    # The processes touched (new ones, or older ones with new tasks), all their tasks, each named by its
    # nomination, its node and how many times the process went through that node before.
    touched = set(Task.objects.filter(pk__gt=marks[Task]).values_list("process_id", flat=True))
    processes = Process.objects.filter(Q(pk__gt=marks[Process]) | Q(pk__in=touched))
    for process in processes:
        nomination = int(process.artifact_object_id)
        names["viewflow.process", process.pk] = (
            f"process of {names.get(('nominations.nomination', nomination), f'nomination {nomination}')}"
        )
    tasks = Task.objects.filter(process__in=processes).select_related("process").order_by("pk")
    seen = {}
    for task in tasks:
        key = (task.process_id, task.flow_task.name)
        seen[key] = seen.get(key, 0) + 1
        name = f"{names['viewflow.process', task.process_id]}/{task.flow_task.name}#{seen[key]}"
        names["viewflow.task", task.pk] = names["workflows.taskscope", task.pk] = (
            name  # a scope row's key is its task
        )
    nomination_ids = {int(process.artifact_object_id) for process in processes}

    def value(field, obj):
        raw = field.value_from_object(obj)
        if isinstance(field, models.DateTimeField):
            return raw is not None  # when differs between runs; whether is the same
        if isinstance(field, models.ForeignKey):
            return names.get((field.related_model._meta.label_lower, raw), raw)
        if obj._meta.label_lower == "viewflow.process" and field.name == "artifact_object_id":
            return names.get(("nominations.nomination", int(raw)), raw)
        return raw if isinstance(raw, (str, int, float, bool, list, dict, type(None))) else str(raw)

    def rows(queryset, skip=()):
        model = queryset.model
        label = model._meta.label_lower
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in skip]
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
        labels = {"nomination": "nominations.nomination", "decision": "approvals.decision"}
        chain = f"{kind}:{names.get((labels[kind], int(key)), key)}" if kind in labels else event.chain
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
        for link in Task.previous.through.objects.filter(from_task__process__in=processes)
    )
    return {
        "people": rows(Person.objects.filter(pk__gt=marks[Person])),
        "history": rows(AwardHistory.objects.filter(pk__gt=marks[AwardHistory])),
        "renamed": rows(Person.objects.filter(pk__lte=marks[Person])),
        "person_names": rows(PersonName.objects.filter(pk__gt=marks[PersonName])),
        "flags": rows(DuplicateFlag.objects.filter(pk__gt=marks[DuplicateFlag])),
        "collectives": rows(Collective.objects.filter(pk__gt=marks[Collective])),
        "nominees": rows(Nominee.objects.filter(pk__gt=marks[Nominee])),
        "nominations": rows(
            Nomination.objects.filter(Q(pk__gt=marks[Nomination]) | Q(pk__in=nomination_ids))
        ),
        "reviews": sorted(
            [
                names.get(("nominations.nomination", r.nomination_id), r.nomination_id),
                names["viewflow.task", r.task_id],
                r.step,
                r.unit_id,
                r.action,
                r.reason,
                r.actor_id,
            ]
            for r in ReviewRecord.objects.filter(nomination_id__in=nomination_ids)
        ),
        "view_grants": sorted(
            [names.get(("nominations.nomination", n), n), g]
            for n, g in NominationGroupObjectPermission.objects.filter(
                content_object_id__in=nomination_ids
            ).values_list("content_object_id", "group__name")
        ),
        "processes": rows(processes),
        "tasks": rows(tasks),
        "previous": previous,
        "scopes": rows(TaskScope.objects.filter(task__process__in=processes)),
        "notifications": notices,
        "votes": rows(VoteRecord.objects.filter(pk__gt=marks[VoteRecord])),
        "agenda": rows(AgendaItem.objects.filter(nomination_id__in=nomination_ids)),
        "meetings": rows(Meeting.objects.filter(items__nomination_id__in=nomination_ids).distinct()),
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
        assert batch[key] == one_by_one[key], json.dumps(
            [key, one_by_one[key], batch[key]], ensure_ascii=False, default=str
        )
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


# -- submitting, forwarding and approving many tasks at once --------------------------------------------------------


def _filed(people):
    """Nominations of one commune on three routes: a district award (appraised at the district), a provincial one
    (reviewed at the district, appraised at the province), a flag whose appraisal opens the public posting and its
    timer, and one without its dossier (refused at submission, by both)."""
    filed = [
        file_nomination(people.clerk, award_code="giay_khen", full_name="Nguyễn Văn Một"),
        file_nomination(people.clerk, award_code="bang_khen_tinh", full_name="Trần Thị Hai"),
        file_nomination(people.clerk, award_code="giay_khen", full_name="Lê Văn Ba"),
        file_nomination(
            people.clerk, award_code=VOTED_COLLECTIVE, full_name="Tổ dân phố số 4", kind="collective"
        ),
        file_nomination(
            people.clerk, award_code="bang_khen_tinh", full_name="Phạm Văn Thiếu", with_dossier=False
        ),
    ]
    return [nomination.pk for nomination in filed]


def _open_tasks(ids, step):
    return list(
        TaskScope.objects.filter(nomination_id__in=ids, is_open=True, step=step)
        .order_by("nomination_id")
        .values_list("task_id", flat=True)
    )


def _one_by_one(actor, task_ids, action):
    """The one-at-a-time path: each head's submission on its own, the reviewers' bulk action (one transaction per
    task)."""
    if action != "submit":
        return review_bulk(actor=actor, task_ids=task_ids, action=action)
    results = {}
    for task_id in task_ids:
        try:
            nomination_submit(actor=actor, nomination=TaskScope.objects.get(pk=task_id).nomination)
            results[task_id] = None
        except ValidationError as exc:
            results[task_id] = " ".join(exc.messages)
    return results


def _route(people, ids, complete):
    """Submit everything, forward what the district reviews, approve what the district and the province appraise,
    sign the province's decision; return the results of each step."""
    steps = [
        (people.head, "submit", "submit"),
        (people.district_reviewer, "review", "forward"),
        (people.district_reviewer, "appraise", "approve"),
        (people.province_reviewer, "appraise", "approve"),
    ]
    results = []
    for actor, step, action in steps:
        outcome = complete(actor, _open_tasks(ids, step), action)
        results.append(sorted(outcome.values(), key=str))
    # The chairman signs one decision for what the province decides (its signature tasks: `_sign_tasks`).
    province = [
        n.pk for n in Nomination.objects.filter(pk__in=ids, current_step="sign", deciding_unit__code="BT")
    ]
    decision_sign(actor=people.chairman, nominations=province)
    results.append(len(province))
    return results


@pytest.mark.django_db
@pytest.mark.parametrize(
    "join_at_most", [bulk.JOIN_AT_MOST, 0], ids=["shared-rows-joined", "shared-rows-read-apart"]
)
def test_batch_steps_leave_the_rows_of_the_one_at_a_time_path(people, monkeypatch, join_at_most):
    ids = _filed(people)
    marks = _marks()
    try:
        with transaction.atomic():
            # The reference: every step one task at a time, the signature's tasks too.
            monkeypatch.setattr(services_module, "_sign_tasks", services_module._sign_tasks_one_at_a_time)
            one_results = _route(people, ids, _one_by_one)
            one_by_one = _snapshot(marks)
            raise Rollback
    except Rollback:
        pass
    monkeypatch.undo()
    # A few tasks join the rows they share, many read them once apart (bulk.shared_joins): both leave the same rows.
    monkeypatch.setattr(bulk, "JOIN_AT_MOST", join_at_most)
    # No fallback given: a path the batch does not run set-based (the posting, the end included) would raise.
    batch_results = _route(
        people,
        ids,
        lambda actor, task_ids, action: tasks_complete_batch(actor=actor, task_ids=task_ids, action=action),
    )
    batch = _snapshot(marks)
    assert batch_results == one_results
    assert any(batch_results[0]), "the nomination without its dossier is refused"
    steps = {n.current_step for n in Nomination.objects.filter(pk__in=ids)}
    assert {"end", "sign", "posting", "submit"} <= steps, steps
    for key in one_by_one:
        assert batch[key] == one_by_one[key], json.dumps(
            [key, one_by_one[key], batch[key]], ensure_ascii=False, default=str
        )
    assert chain_verify().ok


def test_a_batch_step_refuses_who_may_not_act_and_changes_nothing(people):
    ids = _filed(people)
    task_ids = _open_tasks(ids, "submit")
    results = tasks_complete_batch(actor=people.district_reviewer, task_ids=task_ids, action="submit")
    assert set(results) == set(task_ids) and all(results.values())
    assert set(_open_tasks(ids, "submit")) == set(task_ids)
    assert not Event.objects.filter(action="task.submit").exists()

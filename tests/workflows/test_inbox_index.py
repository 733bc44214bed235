"""The inbox reads the partial index `taskscope_inbox`, never viewflow's task table (PostgreSQL plans)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from viewflow.workflow.models import Task

from organisation.models import Unit
from tests.factories import file_nomination
from workflows.flows import StandardRouteFlow
from workflows.models import TaskScope
from workflows.selectors import inbox_count, inbox_count_queryset, inbox_for
from workflows.services import nomination_submit, process_of

pytestmark = pytest.mark.postgres


def plan(queryset, count=False):
    """EXPLAIN with sequential scans priced out, so a plan on a tiny table shows which index the query can use."""
    sql, params = queryset.query.sql_with_params()
    if count:
        sql = f"SELECT count(*) FROM ({sql}) AS scoped"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def history(nomination, rows=3000):
    """Closed task scopes spread over every unit (a province's history), plus a few open ones, then ANALYZE, so
    the planner chooses with statistics like production's."""
    process = process_of(nomination)
    units = list(Unit.objects.values_list("pk", flat=True))
    tasks = Task.objects.bulk_create(
        Task(process=process, flow_task=StandardRouteFlow.review, flow_task_type="HUMAN", status="DONE")
        for _ in range(rows)
    )
    today = date.today()
    TaskScope.objects.bulk_create(
        TaskScope(
            task=task,
            nomination=nomination,
            unit_id=units[i % len(units)],
            permission="review_nomination",
            step="review",
            route="standard",
            created=task.created,
            due_on=today + timedelta(days=i % 30),
            is_open=i % 10 == 0,
        )
        for i, task in enumerate(tasks)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflows_taskscope")


@pytest.fixture
def reviewer(people):
    for name in ("Nguyễn Văn An", "Lê Văn Bình", "Trần Văn Cường"):
        nomination = file_nomination(people.clerk, full_name=name)
        nomination_submit(actor=people.head, nomination=nomination)
    history(file_nomination(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG"))
    return get_user_model().objects.get(pk=people.district_reviewer.pk)


def test_inbox_count_is_an_index_only_scan_of_the_partial_index(reviewer):
    explained = plan(inbox_count_queryset(reviewer), count=True)
    assert "Index Only Scan using taskscope_inbox" in explained, explained
    assert "viewflow_task" not in explained
    assert inbox_count(reviewer) == inbox_for(reviewer).count() >= 3


def test_inbox_page_reads_the_partial_indexes_not_the_tables(reviewer):
    explained = plan(inbox_for(reviewer)[:20])
    assert "Seq Scan on workflows_taskscope" not in explained, explained
    assert "taskscope_inbox" in explained or "taskscope_due" in explained
    assert "viewflow_task" not in explained
    page = list(inbox_for(reviewer)[:20])
    assert page and [row.due_on for row in page] == sorted(row.due_on for row in page)


def test_a_user_with_several_roles_still_gets_index_ranges(people):
    head = get_user_model().objects.get(pk=people.head.pk)
    history(file_nomination(people.clerk))
    explained = plan(inbox_count_queryset(head), count=True)
    assert "taskscope_inbox" in explained and "Seq Scan" not in explained, explained

"""The main pages make a bounded number of queries whatever the number of nominations."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import file_nomination
from workflows.services import nomination_submit, open_task_of, review_forward


@pytest.fixture
def thirty(people):
    nominations = []
    for index in range(30):
        nomination = file_nomination(people.clerk, full_name=f"Nguyễn Văn Số {index}")
        nomination_submit(actor=people.head, nomination=nomination)
        if index % 2:
            review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)
        nominations.append(nomination)
    for index in range(5):
        file_nomination(people.clerk, full_name=f"Dự thảo {index}")
    return nominations


def count_queries(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("clerk", "nominations:home", None),
    ("head", "nominations:home", None),
    ("district_reviewer", "nominations:home", None),
    ("district_reviewer", "nominations:home", {"q": "nguyen van", "status": "in_review"}),
    ("province_reviewer", "nominations:list", None),
    ("inspector", "nominations:list", {"q": "so 1"}),
    ("province_reviewer", "nominations:dashboard", None),
    ("inspector", "nominations:dashboard", None),
]


@pytest.mark.parametrize("persona,url_name,data", PAGES)
def test_main_pages_make_bounded_queries(
    client, people, thirty, persona, url_name, data, django_assert_max_num_queries
):
    client.force_login(getattr(people, persona))
    with django_assert_max_num_queries(25):
        response = client.get(reverse(url_name), data or {})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "persona,url_name",
    [
        ("province_reviewer", "nominations:home"),
        ("clerk", "nominations:home"),
        ("inspector", "nominations:list"),
        ("province_reviewer", "nominations:dashboard"),
    ],
)
def test_query_count_does_not_grow_with_rows(client, people, persona, url_name):
    def add(index):
        nomination = file_nomination(people.clerk, full_name=f"Thêm {index}")
        nomination_submit(actor=people.head, nomination=nomination)
        review_forward(actor=people.district_reviewer, task_id=open_task_of(nomination).task_id)

    add(0)
    add(1)
    client.force_login(getattr(people, persona))
    few = count_queries(client, reverse(url_name))
    for index in range(2, 8):
        add(index)
    client.force_login(getattr(people, persona))
    assert count_queries(client, reverse(url_name)) == few


def test_detail_page_queries_are_bounded(client, people, thirty, django_assert_max_num_queries):
    client.force_login(people.province_reviewer)
    # 31 = 30 for the page + the session's UPDATE on every request (SESSION_SAVE_EVERY_REQUEST, the idle timeout).
    with django_assert_max_num_queries(31):
        assert client.get(reverse("nominations:detail", args=[thirty[1].pk])).status_code == 200

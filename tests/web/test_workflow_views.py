"""viewflow's task address leads to the nomination page, which decides who may read it."""

import pytest
from django.urls import reverse

from tests.factories import file_nomination
from workflows.services import process_of
from workflows.views import task_page


def test_task_page_redirects_to_the_nomination(rf, people):
    nomination = file_nomination(people.clerk)
    request = rf.get("/")
    request.user = people.clerk
    response = task_page(request, process_pk=process_of(nomination).pk, task_pk=1)
    assert response.status_code == 302 and response.url == reverse("nominations:detail", args=[nomination.pk])


def test_task_page_requires_login_and_a_real_process(rf, people):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    request = rf.get("/")
    request.user = AnonymousUser()
    assert task_page(request, process_pk=1).status_code == 302
    request.user = people.outsider
    with pytest.raises(Http404):
        task_page(request, process_pk=999999)

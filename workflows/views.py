"""The page viewflow links a human task to: the nomination's own page, where the task's form lives."""

from django.shortcuts import redirect

from workflows.models import NominationProcess


def task_page(request, process_pk=None, task_pk=None, **kwargs):
    process = NominationProcess.objects.get(pk=process_pk)
    return redirect("nominations:detail", pk=process.artifact_object_id)

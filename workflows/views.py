"""The page viewflow links a human task to: the nomination's own page, where the task's form lives."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect

from workflows.models import NominationProcess


@login_required
def task_page(request, process_pk=None, task_pk=None, **kwargs):
    # The nomination page checks who may read it; this only translates viewflow's address.
    process = get_object_or_404(NominationProcess, pk=process_pk)
    return redirect("nominations:detail", pk=process.artifact_object_id)

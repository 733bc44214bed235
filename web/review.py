"""The nomination page and the actions taken on it: its route, flow, timeline and task form; bulk review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from viewflow.workflow.status import STATUS

from approvals.models import PostingFeedback, ReviewRecord, VoteRecord
from approvals.selectors import can_download_certificate, can_download_decision
from approvals.submission_text import submission_reference
from audit.models import Event
from nominations.eligibility import OUTCOME_LABELS, RULE_SET_TITLES
from nominations.models import Status
from nominations.process import ACTIONS_BY_STEP, Action, Step
from nominations.selectors import (
    can_view_sensitive,
    get_nomination_for_user,
)
from nominations.services import (
    dossier_missing,
)
from organisation.models import Unit
from organisation.policy import scope_of
from web import forms
from web.params import posted_ids
from workflows import batch
from workflows import services as workflow_services
from workflows.models import TaskScope
from workflows.selectors import task_scope_for_user


@login_required
def nomination_detail(request, pk):
    nomination = get_nomination_for_user(request.user, pk)
    return render(request, "nominations/nomination_detail.html", detail_context(request, nomination, {}))


def eligibility_context(user, nomination):
    """The recorded rule results, labelled, and the link to the person's page when the viewer may see it."""
    # The proposing unit's own staff get the link (no query: their grants are already read); the person page
    # itself checks the registry scope for anyone who follows it.
    person_id = nomination.nominee.person_id
    scope = scope_of(user)
    visible = person_id and (
        scope.can("file_nomination", nomination.unit_id) or scope.can("submit_nomination", nomination.unit_id)
    )
    return {
        "eligibility": [
            {**result, "label": OUTCOME_LABELS.get(result.get("outcome"), "")}
            for result in nomination.eligibility
        ],
        "rule_set_title": RULE_SET_TITLES.get(nomination.rule_set, ""),
        "person_url": reverse("registry:person", args=[person_id]) if visible else "",
    }


def detail_context(request, nomination, forms_override):
    user = request.user
    scope = scope_of(user)
    task = TaskScope.objects.select_related("unit").filter(nomination=nomination, is_open=True).first()
    actionable = task if task is not None and scope.can(task.permission, task.unit_id) else None
    can_edit = scope.can("file_nomination", nomination.unit_id) and nomination.status in (
        Status.DRAFT,
        Status.RETURNED,
    )
    context = {
        "nomination": nomination,
        "nominee": nomination.nominee,
        "show_sensitive": can_view_sensitive(user, nomination),
        "task": task,
        "actionable": actionable,
        "can_edit": can_edit,
        "route_chain": _route_chain(nomination),
        "flow_steps": _flow_steps(nomination, task),
        "files": list(nomination.files.all()),
        "events": list(Event.objects.filter(nomination_id=nomination.pk).order_by("id")),
        "reviews": list(ReviewRecord.objects.filter(nomination=nomination).select_related("unit", "actor")),
        "votes": list(VoteRecord.objects.filter(nomination=nomination)),
        "content_areas": list(nomination.content_areas.select_related("parent")),
        "certificate": getattr(nomination, "certificate", None)
        if nomination.status in (Status.AWARDED, Status.REVOKED)
        else None,
        "today": timezone.localdate(),
        "feedback": list(
            PostingFeedback.objects.filter(posting__nomination=nomination).order_by("received_at")
        ),
        "can_answer_feedback": scope.can("review_nomination", nomination.deciding_unit_id),
        "answer_form": forms.FeedbackAnswerForm(),
        "spam_form": forms.FeedbackSpamForm(),
        "upload_form": forms_override.get("upload") or forms.DossierUploadForm(),
        "postings": list(nomination.postings.all()),
        # Everyone who reads the nomination sees whether its dossier is complete (reviewers at a glance).
        "missing_files": dossier_missing(nomination),
        **eligibility_context(user, nomination),
    }
    submission = nomination.submission
    if submission is not None:
        # The tờ trình it was sent under: the reviewers cite it, the unit's head uploads the signed copy.
        context["submission"] = submission
        context["submission_reference"] = submission_reference(submission)
        context["can_upload_scan"] = scope.can("submit_nomination", submission.unit_id)
        context["scan_form"] = forms.SubmissionScanForm()
    if nomination.status == Status.RETURNED:
        # Why it came back reads first, not at the bottom of the timeline.
        context["returned_by"] = next(
            (review for review in reversed(context["reviews"]) if review.action == Action.RETURN), None
        )
    certificate = context["certificate"]
    if certificate is not None:
        context["can_download_decision"] = can_download_decision(user, certificate.decision)
        context["can_download_certificate"] = (
            certificate.nomination.award_type.carries_certificate
            and can_download_certificate(user, certificate)
        )
    if actionable is not None:
        step = actionable.step
        if step == Step.TALLY_VOTE:
            context["vote_form"] = forms_override.get("vote") or forms.VoteForm()
        elif step == Step.SIGN:
            context["sign_form"] = forms.SignForm()
        else:
            actions = ACTIONS_BY_STEP.get(step, [])
            context["action_form"] = forms_override.get("action") or forms.ReasonForm(actions=actions)
    return context


def _route_chain(nomination):
    """Return the tiers the nomination climbs, proposing unit first, with where it is now."""
    ids = [nomination.unit_id, *nomination.route_units, nomination.deciding_unit_id]
    ordered = list(dict.fromkeys(ids))
    units = Unit.objects.in_bulk(ordered)
    chain = []
    for unit_id in ordered:
        unit = units.get(unit_id)
        if unit is None:
            continue
        chain.append(
            {
                "unit": unit,
                "is_current": nomination.is_open and unit_id == nomination.current_unit_id,
                "is_decider": unit_id == nomination.deciding_unit_id,
            }
        )
    return chain


# The nodes the "Quy trình" panel names: where the dossier started, each officer's step, the posting period, and the
# outcome reached. Gateways and automatic bookkeeping (advance, commend) are not steps an official would name.
PATH_NODE_TYPES = {"StartHandle", "View", "Timer", "End"}
OPEN_TASK_STATUSES = {STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED}


def _flow_steps(nomination, open_task):
    """Return the path the process took, in order: each step passed (with the unit that held it), the current
    step, and the end reached once the process is over. Outcomes not reached and steps not yet come are not shown."""
    process = workflow_services.process_of(nomination)
    if process is None:
        return []
    steps = []
    tasks = process.task_set.select_related("scope__unit").order_by("created", "pk")
    for task in tasks:
        node = task.flow_task
        if node is None or type(node).__name__ not in PATH_NODE_TYPES or task.status == STATUS.CANCELED:
            continue
        is_end = type(node).__name__ == "End"
        steps.append(
            {
                "name": node.name,
                "title": node.task_title or node.name,
                "unit": task.scope.unit.name if getattr(task, "scope", None) else "",
                "passed": task.status == STATUS.DONE and not is_end,
                "current": task.status in OPEN_TASK_STATUSES,
                "is_end": is_end,
            }
        )
    return steps


@login_required
@require_POST
def nomination_act(request, pk):
    """Complete the nomination's open task with the action posted (through the workflow services)."""
    nomination = get_nomination_for_user(request.user, pk)
    task = workflow_services.open_task_of(nomination)
    if task is None:
        # "Already done" only for who could have done the last step (a double click); a mere reader is refused.
        last = TaskScope.objects.filter(nomination=nomination).order_by("-pk").first()
        if last is None or not scope_of(request.user).can(last.permission, last.unit_id):
            raise PermissionDenied
        messages.error(request, workflow_services.ALREADY_DONE)
        return redirect("nominations:detail", pk=pk)
    if task_scope_for_user(request.user, task.task_id) is None:
        raise PermissionDenied
    if task.step == Step.SIGN:
        # Signing groups nominations into one decision: it has its own page (approvals:sign).
        messages.error(request, _("Ký quyết định tại mục “Chờ ký” trên trang chủ."))
        return redirect("nominations:detail", pk=pk)
    if task.step == Step.TALLY_VOTE:
        form = forms.VoteForm(request.POST, request.FILES)
        override = {"vote": form}
    else:
        form = forms.ReasonForm(request.POST, actions=ACTIONS_BY_STEP.get(task.step, []))
        override = {"action": form}
    if form.is_valid():
        try:
            done = _complete(request.user, nomination, task, form.cleaned_data)
        except ValidationError as exc:
            forms.errors_from_service(form, exc)
        else:
            messages.success(request, done)
            return redirect("nominations:detail", pk=pk)
    nomination.refresh_from_db()
    return render(
        request,
        "nominations/nomination_detail.html",
        detail_context(request, nomination, override),
        status=400,
    )


def _complete(user, nomination, task, data):
    if task.step == Step.TALLY_VOTE:
        vote = workflow_services.vote_record(
            actor=user,
            task_id=task.task_id,
            members_total=data["members_total"],
            members_present=data["members_present"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            minutes=data.get("minutes"),
        )
        if vote.passed:
            return _("Đã ghi kết quả bỏ phiếu: đạt tỷ lệ, chuyển ký quyết định.")
        return _("Đã ghi kết quả bỏ phiếu: không đạt. %(reason)s") % {
            "reason": workflow_services.vote_outcome_reason(vote)
        }
    action, reason = data["action"], data.get("reason", "")
    if action == Action.SUBMIT:
        workflow_services.nomination_submit(actor=user, nomination=nomination)
    else:
        workflow_services.task_complete(actor=user, task_id=task.task_id, action=action, reason=reason)
    return _("Đã thực hiện: %(action)s.") % {"action": Action(action).label}


BULK_KEPT = "bulk_review_kept"


@login_required
@require_POST
def bulk_review(request):
    """Forward, approve, return or reject many inbox tasks; each is applied or refused on its own.

    After a refusal the home page comes back with the action, the reason and the ticks of the refused tasks kept
    (through the session, so a reload does not post again): the reviewer corrects and applies again.
    """
    scope = scope_of(request.user)
    if not (scope.units("review_nomination") or scope.units("appraise_nomination")):
        raise PermissionDenied
    form = forms.BulkReviewForm(request.POST)
    task_ids = posted_ids(request.POST.getlist("task"))
    if not form.is_valid() or not task_ids:
        messages.error(request, _("Chọn thao tác và ít nhất một hồ sơ."))
        _keep(request, task_ids)
        return redirect(_inbox_url())
    results = batch.tasks_act(
        actor=request.user,
        task_ids=task_ids,
        action=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
    )
    done = [task_id for task_id, error in results.items() if error is None]
    if done:
        messages.success(request, _("Đã xử lý %(n)s hồ sơ.") % {"n": len(done)})
    failed = [task_id for task_id, error in results.items() if error]
    names = {
        row.pk: (row.nomination_id, row.nomination.nominee.full_name)
        for row in TaskScope.objects.filter(pk__in=failed).select_related("nomination__nominee")
    }
    for task_id in failed:
        # Name the nomination as the inbox lists it, never the internal task id.
        number, name = names.get(task_id, (None, ""))
        label = f"#{number} {name}" if number else _("Hồ sơ không còn trong hộp việc")
        messages.error(
            request, _("%(nomination)s: %(error)s") % {"nomination": label, "error": results[task_id]}
        )
    if failed:
        _keep(request, failed)
    return redirect(_inbox_url())


def _keep(request, task_ids):
    request.session[BULK_KEPT] = {
        "action": request.POST.get("action", ""),
        "reason": request.POST.get("reason", ""),
        "tasks": task_ids,
    }


def _inbox_url():
    return reverse("nominations:home") + "#xet-duyet"


def bulk_kept(request):
    """Pop what the last refused bulk action kept: (form data or None, ticked task ids)."""
    kept = request.session.pop(BULK_KEPT, None)
    if not kept:
        return None, set()
    return {"action": kept.get("action", ""), "reason": kept.get("reason", "")}, set(kept.get("tasks", []))

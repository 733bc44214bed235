"""Separation of duties (the four-eyes rule): one person may not act at two steps of the same nomination.

Which pairs of steps are kept apart is data (`SeparationRule`, admin-edited, read through the deadline cache); a
pair without a row keeps its default (`DEFAULT_ALLOWED` may be done by one person, every other pair is kept apart). The check runs in `workflows.services._run`, the one path every transition takes,
so the web pages, the API, bulk actions and signing all meet it.
"""

from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows import deadlines
from workflows.models import FILE_STEP, SEPARATION_STEPS, SeparationRule

STEP_LABELS = dict(SEPARATION_STEPS)

# Pairs one person may do by default: the proposing unit's own work (file, submit, revise and resubmit).
DEFAULT_ALLOWED = [(FILE_STEP, "submit"), (FILE_STEP, "revise"), ("submit", "revise")]

DEFAULT_PAIRS = {frozenset(pair) for pair in DEFAULT_ALLOWED}

post_save.connect(deadlines.cache_clear, sender=SeparationRule, dispatch_uid="separation_cache_save")
post_delete.connect(deadlines.cache_clear, sender=SeparationRule, dispatch_uid="separation_cache_delete")


def _configured():
    return deadlines._cached(
        "separation",
        lambda: {
            frozenset((first, second)): enforced
            for first, second, enforced in SeparationRule.objects.values_list(
                "first_step", "second_step", "is_enforced"
            )
        },
    )


def is_enforced(first_step, second_step):
    """Say whether one person is refused at `second_step` after acting at `first_step` (order does not matter)."""
    if first_step == second_step:
        return False  # the same step again: a resubmission, or a second review round after a return
    pair = frozenset((first_step, second_step))
    # A pair without a row keeps its default (the rows the migration seeds): kept apart unless it is the proposing
    # unit's own work, so an empty table (a new database, a flushed test one) behaves like the seeded one.
    return _configured().get(pair, pair not in DEFAULT_PAIRS)


def steps_acted(*, nomination, process_id, actor):
    """Return the steps `actor` has acted at on `nomination`: filing it, and the tasks they completed."""
    return steps_acted_many(nominations={process_id: nomination}, actor=actor)[process_id]


def steps_acted_many(*, nominations, actor):
    """`steps_acted` for many nominations ({process id: nomination}) in one query: {process id: steps}."""
    steps = {
        process_id: {FILE_STEP} if nomination.created_by_id == actor.pk else set()
        for process_id, nomination in nominations.items()
    }
    done = Task.objects.filter(process_id__in=list(steps), owner_id=actor.pk, status=STATUS.DONE).order_by()
    for process_id, node in done.values_list("process_id", "flow_task"):
        if node is not None and node.name in STEP_LABELS:
            steps[process_id].add(node.name)
    return steps


def separation_check(*, nomination, process_id, actor, step, acted=None):
    """Refuse `actor` at `step` when they acted at a step the rules keep apart from it (`acted`: the steps they
    acted at, when read already for many nominations by `steps_acted_many`)."""
    if acted is None:
        acted = steps_acted(nomination=nomination, process_id=process_id, actor=actor)
    for prior in sorted(acted):
        if is_enforced(prior, step):
            raise ValidationError(
                {
                    "actor": _(
                        "Nguyên tắc bốn mắt: bạn đã thực hiện bước “%(prior)s” của đề nghị này nên không được "
                        "thực hiện tiếp bước “%(step)s”. Đề nghị người khác có thẩm quyền xử lý."
                    )
                    % {"prior": STEP_LABELS[prior], "step": STEP_LABELS.get(step, step)}
                }
            )

"""The automatic nodes of our flows (functions, gateways, ends), writing each task row once.

viewflow's own nodes write a gateway's row three times and open a savepoint for it: INSERT the task (NEW) and its
`previous` link when the node is reached, SAVEPOINT / RELEASE around the callback or condition, then UPDATE the row
to DONE. A transition of the standard route passes two or three such nodes after its human step (advance, route;
after_review, …), so these statements were a sixth of a transition's SQL. Here the row is built in memory when the
node is reached and INSERTed once, already DONE with its `started` and `finished` times, followed by its `previous`
link: the same rows as viewflow leaves (same columns, same values, `created` taken when the node is reached), in
two statements instead of five.

Only when exceptions propagate (viewflow's default context, the services' transitions): the whole transition then
rolls back on an error, so the savepoint bought nothing. Where viewflow keeps a failed node as an ERROR row instead
(`Context(propagate_exception=False)`, e.g. a timer fired by the beat) the nodes behave exactly as viewflow's.
"""

import contextvars
from contextlib import contextmanager

from django.db import transaction
from django.utils.timezone import now
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.nodes.func import FunctionActivation
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import flow_finished, task_finished, task_started
from viewflow.workflow.status import STATUS

_links = contextvars.ContextVar("task_links_collected", default=None)


@contextmanager
def task_links_collected():
    """Within the block (one transition, inside its transaction), the `previous` links of the tasks our nodes
    create are written together in one statement when the block ends, not one INSERT per task; the same rows."""
    if _links.get() is not None:  # nested: the outer block writes them
        yield
        return
    links = []
    token = _links.set(links)
    try:
        yield
        if links:
            Through = links[0][0].previous.through
            Through.objects.bulk_create(
                [Through(from_task_id=task.pk, to_task_id=previous.pk) for task, previous in links],
                ignore_conflicts=True,  # what previous.add() does
            )
    finally:
        _links.reset(token)


def _link(task, previous):
    """task.previous.add(previous), or collected for task_links_collected's one INSERT."""
    links = _links.get()
    if links is None:
        task.previous.add(previous)
    else:
        links.append((task, previous))


def _inherited(cls, name):
    """The plain function of transition `name` as `cls`'s viewflow base class defines it."""
    for base in cls.__mro__[1:]:
        descriptor = base.__dict__.get(name)
        if descriptor is not None:
            return descriptor._func
    raise AttributeError(name)


class _OneInsert:
    """Build the task when the node is reached; INSERT it once, DONE, when it completes."""

    _previous = None  # the task this one follows, while this one's row is not written yet

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not context.propagate_exception or prev_activation.task.pk is None:
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._previous = prev_activation.task
        return activation

    def __hash__(self):
        # viewflow keeps activations in sets and hashes them by their task, which has no primary key yet here.
        return id(self)

    def __eq__(self, other):
        return self is other or (
            isinstance(other, Activation) and self.task.pk is not None and self.task == other.task
        )

    @property
    def deferred(self):
        return self._previous is not None

    def _write(self):
        """What Activation.complete does (the status is DONE already), with the row's one INSERT and its link."""
        assert transaction.get_connection().in_atomic_block
        self.task.finished = now()
        self.task.save(force_insert=True)
        _link(self.task, self._previous)
        self._previous = None
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    def _complete(self):
        if not self.deferred:
            return _inherited(type(self), "complete")(self)
        self._write()


class FunctionOnceActivation(_OneInsert, FunctionActivation):
    @Activation.status.super()
    def complete(self):
        return self._complete()

    @Activation.status.super()
    def activate(self):
        if not self.deferred:
            return _inherited(type(self), "activate")(self)
        self.task.started = now()
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.flow_task._func(self)


class IfOnceActivation(_OneInsert, IfActivation):
    @Activation.status.super()
    def complete(self):
        return self._complete()

    @Activation.status.super()
    def activate(self):
        if not self.deferred:
            return _inherited(type(self), "activate")(self)
        self._condition_result = self.flow_task._condition(self)


def switch_choice(node, activation):
    """The branch a Switch node takes, as viewflow's SwitchActivation chooses it: the first case whose condition
    holds, else the default met before it (None when neither)."""
    chosen = None
    for candidate, condition in node._branches:
        if condition:
            if condition(activation):
                return candidate
        else:
            chosen = candidate
    return chosen


class SwitchOnceActivation(_OneInsert, SwitchActivation):
    @Activation.status.super()
    def complete(self):
        return self._complete()

    @Activation.status.super()
    def activate(self):
        if not self.deferred:
            return _inherited(type(self), "activate")(self)
        self.next_task = switch_choice(self.flow_task, self)
        if not self.next_task:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class EndOnceActivation(_OneInsert, EndActivation):
    @Activation.status.super()
    def complete(self):
        return self._complete()

    @Activation.status.super()
    def activate(self):
        if not self.deferred:
            return _inherited(type(self), "activate")(self)
        self.task.started = now()
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        # This task has no row yet: every unfinished row of the process is another active task.
        active_tasks_count = self.flow_class.task_class._default_manager.filter(
            process=self.process, finished__isnull=True
        ).count()
        if active_tasks_count == 0:
            self.process.status = STATUS.DONE
            self.process.finished = now()
            self.process.save()
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
        if active_tasks_count == 0:
            flow_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class ViewLinkedActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """ViewActivation.create, with the `previous` link through `_link`."""
        task = flow_task.flow_class.task_class(
            process=prev_activation.process, flow_task=flow_task, token=token
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        owner_permission = flow_task.calc_owner_permission(activation)
        if owner_permission:
            task.owner_permission = owner_permission
            task.owner_permission_obj = flow_task.calc_owner_permission_obj(activation)
        owner = flow_task.calc_owner(activation)
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED
        task.save()
        _link(task, prev_activation.task)
        if flow_task._on_create is not None:
            flow_task._on_create(activation)
        return activation


class View(flow.View):
    activation_class = ViewLinkedActivation


class Function(flow.Function):
    activation_class = FunctionOnceActivation


class If(flow.If):
    activation_class = IfOnceActivation


class Switch(flow.Switch):
    activation_class = SwitchOnceActivation


class End(flow.End):
    activation_class = EndOnceActivation

"""Baseline (a): the standard route's graph in bare viewflow, with no audit, no scoping, no rules.

The same nodes in the same order as workflows.flows.StandardRouteFlow (human steps, function nodes, gateways),
reusing NominationProcess for its jsonstore fields but never touching the nomination: routing reads only the
process data. No onCreate hooks (no TaskScope, no due dates, no guardian grants, no audit events); the
permission on each step is a plain string (no object to compute). Driven like viewflow's own tests: assign in
one activation, start + execute in a second (notes §5, perf-anchor).
"""

from datetime import timedelta

from viewflow import this
from viewflow.workflow import flow, lock

from workflows.models import NominationProcess
from workflows.views import task_page


def _start(activation, tiers=1, vote=False):
    activation.process.data = {"tier_index": -1, "outcome": "", "tiers": tiers, "vote": vote}
    return activation.process


def _advance(activation):
    process = activation.process
    process.tier_index += 1
    process.outcome = ""
    process.save(update_fields=["data"])


def _post(activation):
    activation.process.save(update_fields=["data"])


def _commend(activation):
    activation.process.save(update_fields=["data"])


class BareRouteFlow(flow.Flow):
    process_class = NominationProcess
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(_start).Next(this.submit)
    submit = flow.View(task_page).Permission("organisation.submit_nomination").Next(this.advance)
    advance = flow.Function(_advance).Next(this.route)
    route = (
        flow.If(lambda a: 0 <= a.process.tier_index < a.process.data["tiers"])
        .Then(this.review)
        .Else(this.appraise)
    )
    review = flow.View(task_page).Permission("organisation.review_nomination").Next(this.after_review)
    after_review = (
        flow.Switch()
        .Case(this.advance, lambda a: a.process.outcome == "forward")
        .Case(this.revise, lambda a: a.process.outcome == "return")
        .Default(this.rejected)
    )
    revise = flow.View(task_page).Permission("organisation.submit_nomination").Next(this.advance)
    appraise = flow.View(task_page).Permission("organisation.appraise_nomination").Next(this.after_appraisal)
    after_appraisal = (
        flow.Switch()
        .Case(this.check_posting, lambda a: a.process.outcome == "approve")
        .Case(this.revise, lambda a: a.process.outcome == "return")
        .Default(this.rejected)
    )
    # The voted award is publicly posted first (a Function, then a Timer the harness fires: bench.common.postings_close).
    check_posting = flow.If(lambda a: a.process.data["vote"]).Then(this.post).Else(this.check_vote)
    post = flow.Function(_post).Next(this.posting_window)
    posting_window = flow.Timer(timedelta(days=10)).Next(this.check_vote)
    check_vote = flow.If(lambda a: a.process.data["vote"]).Then(this.tally_vote).Else(this.sign)
    tally_vote = flow.View(task_page).Permission("organisation.record_vote").Next(this.after_vote)
    after_vote = flow.If(lambda a: a.process.outcome == "vote_passed").Then(this.sign).Else(this.not_approved)
    sign = flow.View(task_page).Permission("organisation.sign_decision").Next(this.commend)
    commend = flow.Function(_commend).Next(this.end)
    end = flow.End()
    rejected = flow.End()
    not_approved = flow.End()

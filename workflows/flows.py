"""The routes a nomination takes, as viewflow graphs.

Every human step carries an owner permission on a unit (never a global one); the rules themselves live in the
services, which set the process outcome before completing a task.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from workflows import hooks, nodes
from workflows.models import NominationProcess
from workflows.views import task_page


def _proposing_unit(process):
    return process.nomination.unit


def _review_unit(process):
    return process.review_unit()


def _deciding_unit(process):
    return process.nomination.deciding_unit


class StandardRouteFlow(flow.Flow):
    """Khen thưởng thường xuyên: file, submit, review at each tier, appraise, post, vote, sign, commend."""

    process_class = NominationProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Khen thưởng thường xuyên")
    process_description = _("Đề nghị khen thưởng theo công trạng, xét duyệt qua từng cấp đến cấp quyết định.")

    start = flow.StartHandle(hooks.start_process).Annotation(title=_("Lập đề nghị")).Next(this.submit)

    submit = (
        nodes.View(task_page)
        .Annotation(title=_("Trình đề nghị"))
        .Permission("organisation.submit_nomination", obj=_proposing_unit)
        .onCreate(hooks.task_created)
        .Next(this.advance)
    )
    advance = nodes.Function(hooks.advance_tier).Annotation(title=_("Chuyển cấp tiếp theo")).Next(this.route)
    route = (
        nodes.If(lambda activation: activation.process.has_review_tier())
        .Annotation(title=_("Còn cấp xét duyệt?"))
        .Then(this.review)
        .Else(this.appraise)
    )
    review = (
        nodes.View(task_page)
        .Annotation(title=_("Xét duyệt"))
        .Permission("organisation.review_nomination", obj=_review_unit)
        .onCreate(hooks.task_created)
        .Next(this.after_review)
    )
    after_review = (
        nodes.Switch()
        .Annotation(title=_("Kết quả xét duyệt"))
        .Case(this.advance, lambda activation: activation.process.is_forwarded())
        .Case(this.revise, lambda activation: activation.process.is_returned())
        .Default(this.rejected)
    )
    revise = (
        nodes.View(task_page)
        .Annotation(title=_("Bổ sung, trình lại"))
        .Permission("organisation.submit_nomination", obj=_proposing_unit)
        .onCreate(hooks.task_created)
        .Next(this.restart_route)
    )
    restart_route = (
        nodes.Function(hooks.restart_route).Annotation(title=_("Xét lại từ đầu")).Next(this.advance)
    )
    appraise = (
        nodes.View(task_page)
        .Annotation(title=_("Thẩm định"))
        .Permission("organisation.appraise_nomination", obj=_deciding_unit)
        .onCreate(hooks.task_created)
        .Next(this.after_appraisal)
    )
    after_appraisal = (
        nodes.Switch()
        .Annotation(title=_("Kết quả thẩm định"))
        .Case(this.check_posting, lambda activation: activation.process.is_approved())
        .Case(this.revise, lambda activation: activation.process.is_returned())
        .Default(this.rejected)
    )
    check_posting = (
        nodes.If(lambda activation: activation.process.needs_public_posting())
        .Annotation(title=_("Phải công khai?"))
        .Then(this.post)
        .Else(this.check_vote)
    )
    post = (
        nodes.Function(hooks.open_posting)
        .Annotation(title=_("Công khai danh sách"))
        .Next(this.posting_window)
    )
    posting_window = (
        flow.Timer(hooks.posting_closes_at).Annotation(title=_("Thời gian công khai")).Next(this.check_vote)
    )
    check_vote = (
        nodes.If(lambda activation: activation.process.needs_council_vote())
        .Annotation(title=_("Cần Hội đồng bỏ phiếu?"))
        .Then(this.tally_vote)
        .Else(this.sign)
    )
    tally_vote = (
        nodes.View(task_page)
        .Annotation(title=_("Ghi kết quả bỏ phiếu"))
        .Permission("organisation.record_vote", obj=_deciding_unit)
        .onCreate(hooks.task_created)
        .Next(this.after_vote)
    )
    after_vote = (
        nodes.If(lambda activation: activation.process.vote_passed())
        .Annotation(title=_("Đạt tỷ lệ?"))
        .Then(this.sign)
        .Else(this.not_approved)
    )
    sign = (
        nodes.View(task_page)
        .Annotation(title=_("Ký quyết định"))
        .Permission("organisation.sign_decision", obj=_deciding_unit)
        .onCreate(hooks.task_created)
        .Next(this.commend)
    )
    commend = nodes.Function(hooks.commend).Annotation(title=_("Ghi nhận khen thưởng")).Next(this.end)

    end = nodes.End().Annotation(title=_("Đã khen thưởng"))
    rejected = nodes.End().Annotation(title=_("Bị từ chối"))
    not_approved = nodes.End().Annotation(title=_("Không được thông qua"))


class FastTrackFlow(flow.Flow):
    """Khen thưởng đột xuất: proposed at any tier, straight to the deciding authority, short deadlines."""

    process_class = NominationProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Khen thưởng đột xuất")
    process_description = _("Thủ tục đơn giản cho thành tích xuất sắc đột xuất.")

    start = (
        flow.StartHandle(hooks.start_process).Annotation(title=_("Lập đề nghị đột xuất")).Next(this.submit)
    )
    submit = (
        nodes.View(task_page)
        .Annotation(title=_("Thủ trưởng xác nhận và trình"))
        .Permission("organisation.submit_nomination", obj=_proposing_unit)
        .onCreate(hooks.task_created)
        .Next(this.advance)
    )
    advance = (
        nodes.Function(hooks.advance_to_decider)
        .Annotation(title=_("Chuyển cấp quyết định"))
        .Next(this.appraise)
    )
    appraise = (
        nodes.View(task_page)
        .Annotation(title=_("Thẩm định"))
        .Permission("organisation.appraise_nomination", obj=_deciding_unit)
        .onCreate(hooks.task_created)
        .Next(this.after_appraisal)
    )
    after_appraisal = (
        nodes.Switch()
        .Annotation(title=_("Kết quả thẩm định"))
        .Case(this.sign, lambda activation: activation.process.is_approved())
        .Case(this.revise, lambda activation: activation.process.is_returned())
        .Default(this.rejected)
    )
    revise = (
        nodes.View(task_page)
        .Annotation(title=_("Bổ sung, trình lại"))
        .Permission("organisation.submit_nomination", obj=_proposing_unit)
        .onCreate(hooks.task_created)
        .Next(this.advance)
    )
    sign = (
        nodes.View(task_page)
        .Annotation(title=_("Ký quyết định"))
        .Permission("organisation.sign_decision", obj=_deciding_unit)
        .onCreate(hooks.task_created)
        .Next(this.commend)
    )
    commend = nodes.Function(hooks.commend).Annotation(title=_("Ghi nhận khen thưởng")).Next(this.end)

    end = nodes.End().Annotation(title=_("Đã khen thưởng"))
    rejected = nodes.End().Annotation(title=_("Bị từ chối"))


class DongKhoiFlow(flow.Flow):
    """Công dân Đồng Khởi: the annual provincial title. The province appraises, the advisory council votes, the
    chairman signs while the round is open, and the holder enters the golden book."""

    process_class = NominationProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Xét tặng Công dân Đồng Khởi")
    process_description = _(
        "Đề nghị danh hiệu Công dân Đồng Khởi (tiêu biểu, danh dự) trong đợt xét hằng năm."
    )

    start = (
        flow.StartHandle(hooks.start_process)
        .Annotation(title=_("Lập đề nghị trong đợt xét"))
        .Next(this.submit)
    )
    submit = (
        nodes.View(task_page)
        .Annotation(title=_("Trình đề nghị"))
        .Permission("organisation.submit_nomination", obj=_proposing_unit)
        .onCreate(hooks.task_created)
        .Next(this.advance)
    )
    advance = (
        nodes.Function(hooks.advance_to_decider)
        .Annotation(title=_("Chuyển Ban TĐKT tỉnh"))
        .Next(this.appraise)
    )
    appraise = (
        nodes.View(task_page)
        .Annotation(title=_("Thẩm định hồ sơ"))
        .Permission("organisation.appraise_nomination", obj=_deciding_unit)
        .onCreate(hooks.task_created)
        .Next(this.after_appraisal)
    )
    after_appraisal = (
        nodes.Switch()
        .Annotation(title=_("Kết quả thẩm định"))
        .Case(this.tally_vote, lambda activation: activation.process.is_approved())
        .Case(this.revise, lambda activation: activation.process.is_returned())
        .Default(this.rejected)
    )
    revise = (
        nodes.View(task_page)
        .Annotation(title=_("Bổ sung, trình lại"))
        .Permission("organisation.submit_nomination", obj=_proposing_unit)
        .onCreate(hooks.task_created)
        .Next(this.advance)
    )
    tally_vote = (
        nodes.View(task_page)
        .Annotation(title=_("Hội đồng tư vấn bỏ phiếu"))
        .Permission("organisation.record_vote", obj=_deciding_unit)
        .onCreate(hooks.task_created)
        .Next(this.after_vote)
    )
    after_vote = (
        nodes.If(lambda activation: activation.process.vote_passed())
        .Annotation(title=_("Đạt tỷ lệ?"))
        .Then(this.sign)
        .Else(this.not_approved)
    )
    sign = (
        nodes.View(task_page)
        .Annotation(title=_("Chủ tịch UBND tỉnh ký quyết định"))
        .Permission("organisation.sign_decision", obj=_deciding_unit)
        .onCreate(hooks.task_created)
        .Next(this.commend)
    )
    commend = nodes.Function(hooks.commend).Annotation(title=_("Ghi vào sổ vàng")).Next(this.end)

    end = nodes.End().Annotation(title=_("Đã tặng danh hiệu"))
    rejected = nodes.End().Annotation(title=_("Bị từ chối"))
    not_approved = nodes.End().Annotation(title=_("Không được Hội đồng tư vấn thông qua"))


FLOWS = {"standard": StandardRouteFlow, "fast_track": FastTrackFlow, "dong_khoi": DongKhoiFlow}


def task_steps(route):
    """Return the steps an officer works on in `route`'s flow (its View nodes); empty for a route with no flow."""
    flow_class = FLOWS.get(route)
    if flow_class is None:
        return set()
    return {node.name for node in flow_class.instance.nodes() if isinstance(node, flow.View)}

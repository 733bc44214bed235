"""The one map of Vietnamese names for steps and audit events, read by the templates and the inspector's pages.

Steps and task actions come from the process vocabulary (nominations.process); the audit app's own events from
audit.labels; the rest of the domain's events are named here.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from audit.labels import ACTION_LABELS as AUDIT_LABELS
from nominations.models import Route, Status, SubjectType
from nominations.process import ACTIONS_BY_STEP, Action, Step, step_label
from organisation.models import Role

EVENT_LABELS = {
    **AUDIT_LABELS,
    "nomination.create": _("Lập đề nghị"),
    "nomination.update": _("Sửa đề nghị"),
    "nomination.awarded": _("Ghi nhận khen thưởng"),
    "nomination.revoked": _("Thu hồi khen thưởng"),
    "dossier.add": _("Thêm tài liệu hồ sơ"),
    "dossier.download": _("Tải tài liệu hồ sơ"),
    "dossier.hold": _("Giữ tệp đính kèm khi biểu mẫu còn lỗi"),
    "dossier.hold_purge": _("Xóa tệp giữ chờ quá hạn"),
    "task.open": _("Chuyển đến bước"),
    **{f"task.{action.value}": action.label for action in Action},
    "submission.create": _("Lập tờ trình"),
    "submission.scan": _("Tải lên bản ký của tờ trình"),
    "nomination.copy_year": _("Chép danh sách đề nghị năm trước"),
    "posting.open": _("Bắt đầu công khai"),
    "posting.feedback_received": _("Nhận góp ý công khai"),
    "posting.feedback_answered": _("Trả lời góp ý"),
    "posting.feedback_spam": _("Đánh dấu góp ý là rác"),
    "decision.sign": _("Ký quyết định"),
    "membership.grant": _("Cấp quyền"),
    "membership.revoke": _("Thu hồi quyền"),
    "revocation.open": _("Đề nghị hủy bỏ, thu hồi"),
    "revocation.approve": _("Quyết định hủy bỏ, thu hồi"),
    "revocation.dismiss": _("Không chấp nhận đề nghị thu hồi"),
    "document.generate": _("Tạo văn bản"),
    "honour_round.open": _("Mở đợt xét Công dân Đồng Khởi"),
    "honour_round.close": _("Đóng đợt xét Công dân Đồng Khởi"),
    "movement.launch": _("Phát động phong trào thi đua"),
    "movement.target": _("Đặt chỉ tiêu phong trào"),
    "registration.create": _("Lập đăng ký thi đua"),
    "registration.commitment": _("Thêm nội dung đăng ký thi đua"),
    "registration.submit": _("Ký, gửi đăng ký thi đua"),
    "registration.acknowledge": _("Ghi nhận đăng ký thi đua"),
    "registration.return": _("Trả lại đăng ký thi đua"),
    "registration.result": _("Báo cáo kết quả thực hiện"),
    "exemplary.mark": _("Ghi nhận điển hình tiên tiến"),
    "exemplary.withdraw": _("Thôi ghi nhận điển hình"),
    "cluster.member_add": _("Xếp đơn vị vào cụm, khối thi đua"),
    "cluster.criterion": _("Đặt tiêu chí chấm điểm cụm, khối"),
    "cluster.score": _("Chấm điểm thi đua cụm, khối"),
    "cluster.flag_propose": _("Đề nghị Cờ thi đua cho đơn vị dẫn đầu cụm, khối"),
    "movement_review.open": _("Mở đợt sơ kết phong trào"),
    "movement_review.close": _("Kết thúc đợt sơ kết phong trào"),
    "notification.read": _("Đọc thông báo"),
    "notification.read_all": _("Đánh dấu đã đọc mọi thông báo"),
    "notification.preference": _("Đổi cách nhận thông báo"),
    "admin.add": _("Thêm dữ liệu danh mục (quản trị)"),
    "admin.change": _("Sửa dữ liệu danh mục (quản trị)"),
    "admin.delete": _("Xóa dữ liệu danh mục (quản trị)"),
    "admin.password_change": _("Đổi mật khẩu người dùng (quản trị)"),
    "delegation.grant": _("Ủy quyền"),
    "delegation.revoke": _("Chấm dứt ủy quyền"),
    "history.add": _("Ghi nhận khen thưởng trước đây"),
    "history.import": _("Nhập lịch sử khen thưởng từ tệp Excel"),
    "nomination.list_import": _("Nhập danh sách đề nghị khen thưởng từ tệp"),
    "history.revoke": _("Hủy ghi nhận khen thưởng trước đây"),
    "statistics.record": _("Nhập số liệu biểu thống kê thi đua, khen thưởng"),
    "nomination.reroute": _("Chuyển hồ sơ theo sắp xếp đơn vị hành chính"),
    "task.reroute": _("Chuyển công việc theo sắp xếp đơn vị hành chính"),
    "person.discipline": _("Ghi nhận kỷ luật, khiếu nại"),
    "person.duplicate_dismiss": _("Xác nhận không trùng hồ sơ cá nhân"),
    "person.merge": _("Hợp nhất hồ sơ cá nhân"),
    "unit.open": _("Thành lập đơn vị (sắp xếp)"),
    "unit.close": _("Chấm dứt hoạt động đơn vị (sắp xếp)"),
    "unit.reparent": _("Chuyển đơn vị trực thuộc (sắp xếp)"),
    "unit.succession": _("Ghi nhận đơn vị kế thừa"),
    "meeting.open": _("Mở cuộc họp Hội đồng"),
    "meeting.attendance": _("Điểm danh thành viên Hội đồng"),
    "meeting.totals": _("Nhập kết quả kiểm phiếu"),
    "ballot.cast": _("Thành viên bỏ phiếu kín"),
    "meeting.close": _("Kết thúc bỏ phiếu"),
    "meeting.minutes_signed": _("Tải lên biên bản họp đã ký"),
}

# The families of events, for the inspector's "Thao tác" filter: choosing one selects every event of the family.
EVENT_GROUPS = {
    "task": _("Mọi thao tác xử lý hồ sơ"),
    "nomination": _("Mọi thao tác với đề nghị"),
    "dossier": _("Mọi thao tác với tài liệu hồ sơ"),
    "posting": _("Mọi thao tác công khai"),
    "decision": _("Mọi thao tác với quyết định"),
    "revocation": _("Mọi thao tác hủy bỏ, thu hồi"),
    "membership": _("Mọi thao tác phân quyền"),
    "security": _("Mọi sự kiện đăng nhập, đăng xuất"),
    "read": _("Mọi lượt xem, tải, xuất dữ liệu"),
}

ROLE_LABELS = {
    **dict(Role.choices),
    # nominations.services records the proposing unit itself as the actor's role when a nomination is created.
    "unit": _("Đơn vị đề nghị"),
}

# The names of the keys of an event's data, in the order an inspector reads them. Keys not named here are
# technical (permission codenames, file hashes) and stay in the exports' raw data column only.
DATA_LABELS = {
    "award_type": _("Loại hình khen thưởng"),
    "route": _("Quy trình"),
    "unit": _("Đơn vị"),
    "deciding_unit": _("Cấp quyết định"),
    "period_year": _("Năm thành tích"),
    "step": _("Bước"),
    "status": _("Trạng thái"),
    "due_on": _("Hạn xử lý"),
    "number": _("Số quyết định"),
    "decision": _("Quyết định"),
    "serial": _("Số hiệu bằng"),
    "amount": _("Tiền thưởng"),
    "total_amount": _("Tổng tiền thưởng"),
    "is_ad_hoc": _("Đột xuất"),
    "opens_on": _("Từ ngày"),
    "closes_on": _("Đến ngày"),
    "working_days": _("Số ngày làm việc"),
    "kind": _("Loại"),
    "name": _("Tên tệp"),
    "user": _("Người được phân quyền"),
    "role": _("Vai trò"),
    "ground": _("Căn cứ"),
    "certificate": _("Số hiệu bằng"),
    "year": _("Năm"),
    "round": _("Đợt xét"),
    "format": _("Định dạng"),
    "rows": _("Số dòng"),
    "nominations": _("Số đề nghị"),
    "changes": _("Nội dung sửa"),
    "chain": _("Chuỗi kiểm tra"),
    "ok": _("Kết quả"),
}

_DATES = {"due_on", "opens_on", "closes_on"}
_MONEY = {"amount", "total_amount"}


def data_items(data, *, units=None, users=None, award_types=None):
    """Return [(label, text)] describing an event's data for a person: names instead of codes, dd/mm/yyyy dates,
    amounts in đồng. `units`, `users` and `award_types` map codes/usernames to names (loaded by the caller in one
    query each)."""
    units, users, award_types = units or {}, users or {}, award_types or {}
    items = []
    for key, label in DATA_LABELS.items():
        if key not in (data or {}):
            continue
        value = data[key]
        if value in (None, "", [], {}):
            continue
        items.append((label, _data_text(key, value, units, users, award_types)))
    return items


def _data_text(key, value, units, users, award_types):
    if key in ("unit", "deciding_unit"):
        return units.get(value, value)
    if key == "user":
        return users.get(value, value)
    if key == "award_type":
        return award_types.get(value, value)
    if key == "route":
        return dict(Route.choices).get(value, value)
    if key == "status":
        return dict(Status.choices).get(value, value)
    if key == "step":
        return step_label(value)
    if key == "role":
        return ROLE_LABELS.get(value, value)
    if key == "kind":
        return dict(SubjectType.choices).get(value, value)
    if key in _DATES:
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return value
    if key in _MONEY:
        return money_label(value)
    if key in ("is_ad_hoc", "ok"):
        return _("Có") if value else _("Không")
    if key == "nominations":
        return len(value) if isinstance(value, list) else value
    if key == "changes":
        return ", ".join(str(field) for field in value) if isinstance(value, (list, dict)) else value
    return value


def money_label(amount):
    """Write an amount of đồng the Vietnamese way: 1.234.000 đ."""
    try:
        whole = int(float(amount))
    except (TypeError, ValueError):
        return amount
    return f"{whole:,} đ".replace(",", ".")


# The bulk form of the reviewer inbox offers the actions of the steps it lists, in this order: the same words the
# nomination page offers at that step (one label per action per step).
BULK_STEPS = (Step.REVIEW, Step.APPRAISE)
BULK_ACTIONS = (Action.FORWARD, Action.APPROVE, Action.RETURN, Action.REJECT)


def action_choices(step):
    """Return the (value, label) choices of the task form at `step`, as the nomination page offers them."""
    return [(action.value, action.label) for action in ACTIONS_BY_STEP.get(step, [])]


def bulk_action_choices(steps):
    """Return the choices of the bulk form for an inbox holding tasks at `steps`: each action once, named as the
    nomination page names it at those steps (a province inbox of appraisals says "Thẩm định đạt", never
    "Chuyển cấp trên")."""
    offered = {value for step in steps if step in BULK_STEPS for value, _label in action_choices(step)}
    return [(action.value, action.label) for action in BULK_ACTIONS if action.value in offered]


def review_label(review):
    """Return the name of what a ReviewRecord decided, as its step names it: a row at the signing step is the
    signature (older rows stored it under "approve" and read as a second appraisal)."""
    if review.step == Step.SIGN:
        return Action.SIGN.label
    return Action(review.action).label if review.action in Action.values else review.action


def event_label(action):
    """Return the Vietnamese name of an audit event's action, or the action itself when it has none."""
    return EVENT_LABELS.get(action, action)


__all__ = [
    "DATA_LABELS",
    "EVENT_GROUPS",
    "EVENT_LABELS",
    "ROLE_LABELS",
    "action_choices",
    "bulk_action_choices",
    "data_items",
    "event_label",
    "money_label",
    "review_label",
    "step_label",
]

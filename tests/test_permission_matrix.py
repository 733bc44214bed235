"""Every persona × every URL of the project × own-unit and other-unit objects, against tests/permission_rules.py.

A URL name without a rule fails `test_every_url_has_a_rule`; the matrix itself then says, cell by cell, which
status each persona gets (ID-guessing included: another unit's object answers 404, never 403, so its existence
is not told). The same cases are checked below the views, at the selectors every page, export and API uses.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from approvals.selectors import get_decision_for_user
from nominations.selectors import get_dossier_file_for_user, get_nomination_for_user
from organisation.models import Unit
from organisation.services import membership_grant
from tests import factories
from tests.permission_rules import (
    ACTS_ON,
    ANONYMOUS_REDIRECT,
    CASES,
    DECISION_CASES,
    EXCLUDED_NAMES,
    EXCLUDED_NAMESPACES,
    PERSONAS,
    READS,
    READS_DECISION,
    RULES,
    SELF_SERVICE_WRITES,
    rule_for,
    rules_for,
)
from workflows.selectors import task_scope_for_user
from workflows.services import (
    appraisal_approve,
    decision_sign,
    nomination_submit,
    open_task_of,
    review_forward,
)

# -- the URLconf ------------------------------------------------------------------------------------------------


def walk(patterns=None, namespace=""):
    """Yield (full name or None, pattern) for every endpoint, skipping the excluded namespaces."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern


def url_names():
    return sorted({name for name, _ in walk() if name and name not in EXCLUDED_NAMES})


def missing_rules():
    return [name for name in url_names() if rule_for(name) is None]


def matrix():
    cells = []
    for name in url_names():
        for index, rule in enumerate(rules_for(name)):
            for persona in PERSONAS:
                for case in rule.get("cases") or [None]:
                    cell_id = f"{name}-{rule['method']}-{persona}-{case or 'page'}"
                    cells.append(pytest.param(name, index, persona, case, id=cell_id))
    return cells


def test_every_url_has_a_rule():
    missing = missing_rules()
    assert not missing, f"URL names without a rule in tests/permission_rules.py: {missing}"


def test_every_url_is_named():
    unnamed = [str(pattern.pattern) for name, pattern in walk() if name is None]
    assert not unnamed, f"Unnamed URL patterns cannot be given a rule: {unnamed}"


def test_no_rule_names_a_url_that_does_not_exist():
    names = set(url_names())
    stale = [key for key in RULES if not any(ch in key for ch in "*?[") and key not in names]
    assert not stale, f"Rules for URL names that no longer exist: {stale}"


def test_no_write_lets_an_outsider_through():
    # A rule encoding a 2xx/3xx for an outsider (or anonymous caller) on a write would encode a leak.
    wrong = []
    for name in url_names():
        if name in SELF_SERVICE_WRITES:
            continue
        for rule in rules_for(name):
            if rule["method"] == "get":
                continue
            for case in rule.get("cases") or [None]:
                for persona in ("outsider", "anonymous"):
                    status = rule["expect"](persona, case)
                    to_login = persona == "anonymous" and status == ANONYMOUS_REDIRECT
                    if isinstance(status, int) and 200 <= status < 400 and not to_login:
                        wrong.append((name, persona, case, status))
    assert not wrong, wrong


urlpatterns_with_a_new_view = [path("", lambda request: None, name="brand_new_view")]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_view_without_a_rule_is_reported():
    # This module doubles as a URLconf with one unruled view: the check above must name it.
    assert missing_rules() == ["brand_new_view"]


urlpatterns = urlpatterns_with_a_new_view


# -- the world: one nomination per case, built once for the module ---------------------------------------------


@dataclass
class World:
    users: dict
    nominations: dict
    files: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)
    decisions: dict = field(default_factory=dict)
    extras: dict = field(default_factory=dict)  # kind → {case: object}: certificates, revocations, feedback…

    def pk(self, kind, case):
        table = {
            "nomination": self.nominations,
            "file": self.files,
            "task": self.tasks,
            "decision": self.decisions,
        }.get(kind) or self.extras[kind]
        value = table[case]
        return value if isinstance(value, int) else value.pk

    def user(self, persona):
        if persona == "anonymous":
            return AnonymousUser()
        return get_user_model().objects.get(pk=self.users[persona].pk)  # fresh: no cached scope


def _extra_user(username, role, unit_code):
    user, _ = get_user_model().objects.get_or_create(username=username)
    membership_grant(user=user, unit=Unit.objects.get(code=unit_code), role=role)
    return user


def build_world():
    people = factories.personas()
    file = factories.file_nomination
    other_head = _extra_user("anngaitrung_head", "unit_head", "BT.BATRI.ANNGAITRUNG")
    batri_chairman = _extra_user("batri_chairman", "approver", "BT.BATRI")

    def task(nomination):
        return open_task_of(nomination).task_id

    def to_review(nomination):
        nomination_submit(actor=people.head, nomination=nomination)

    def to_appraise(nomination):
        to_review(nomination)
        review_forward(actor=people.district_reviewer, task_id=task(nomination))

    def approved(nomination):
        to_appraise(nomination)
        appraisal_approve(actor=people.province_reviewer, task_id=task(nomination))

    n = {}
    n["own_draft"] = file(people.clerk, full_name="Nguyễn Văn Một")
    n["own_review"] = file(people.clerk, full_name="Nguyễn Văn Hai")
    to_review(n["own_review"])
    n["own_appraise"] = file(people.clerk, full_name="Nguyễn Văn Ba")
    to_appraise(n["own_appraise"])
    n["own_council"] = file(
        people.clerk,
        award_code=factories.VOTED_COLLECTIVE,
        kind="collective",
        full_name="Ban Chỉ huy Quân sự xã Định Thủy",
    )
    approved(n["own_council"])
    factories.posting_window_pass([n["own_council"]])
    n["own_sign"] = file(people.clerk, full_name="Nguyễn Văn Bốn")
    approved(n["own_sign"])
    n["own_closed"] = file(people.clerk, full_name="Nguyễn Văn Năm")
    approved(n["own_closed"])
    decisions = {"own_closed": decision_sign(actor=people.chairman, nominations=[n["own_closed"]])}

    n["other"] = file(people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", full_name="Trần Thị Sáu")
    nomination_submit(actor=other_head, nomination=n["other"])
    n["other_closed"] = file(
        people.other_clerk, unit_code="BT.BATRI.ANNGAITRUNG", award_code="giay_khen", full_name="Trần Thị Bảy"
    )
    nomination_submit(actor=other_head, nomination=n["other_closed"])
    appraisal_approve(actor=people.other_reviewer, task_id=task(n["other_closed"]))
    decisions["other_closed"] = decision_sign(actor=batri_chairman, nominations=[n["other_closed"]])

    n["other_province"] = file(people.vl_clerk, unit_code="VL.DINHTHUY", full_name="Lê Văn Tám")
    nomination_submit(actor=people.vl_head, nomination=n["other_province"])

    for nomination in n.values():
        nomination.refresh_from_db()
    assert set(n) == set(CASES)
    world = World(
        users={p: getattr(people, p) for p in PERSONAS if p != "anonymous"},
        nominations=n,
        decisions=decisions,
    )
    world.files = {case: nomination.files.order_by("pk").first() for case, nomination in n.items()}
    world.tasks = {
        case: scope.task_id for case, nomination in n.items() if (scope := open_task_of(nomination))
    }
    world.extras = _extras(people, n, decisions, other_head=other_head)
    assert {case: n[case].status for case in ("own_council", "own_sign", "own_closed", "other_closed")} == {
        "own_council": "council",
        "own_sign": "awaiting_signature",
        "own_closed": "awarded",
        "other_closed": "awarded",
    }
    return world


def _extras(people, n, decisions, *, other_head):
    """Objects hanging off the cases: certificates and rendered documents, revocations, a posting with
    feedback, a notification of the clerk's, and another unit's dossier file for ID-guessing on downloads."""
    from django.core.files.base import ContentFile

    from approvals.models import Certificate, Posting
    from approvals.revocations import revocation_open
    from approvals.services import feedback_receive
    from nominations.models import AwardHistory, Collective, HistorySource
    from workflows.models import Notification

    for decision in decisions.values():
        # Stand-ins for the rendered files (rendering runs on commit, which the world's transaction never does).
        decision.pdf.save(f"matrix-{decision.pk}.pdf", ContentFile(factories.PDF_BYTES), save=False)
        decision.docx.save(f"matrix-{decision.pk}.docx", ContentFile(b"PK\x03\x04 docx"), save=False)
        decision.save(update_fields=["pdf", "docx"])
    certificates = {case: Certificate.objects.get(nomination=n[case]) for case in decisions}
    for certificate in certificates.values():
        certificate.pdf.save(f"matrix-{certificate.pk}.pdf", ContentFile(factories.PDF_BYTES), save=True)
    revocations = {
        case: revocation_open(
            actor=people.inspector,
            certificate=certificate,
            ground="fraudulent",
            statement="Hồ sơ khai không đúng sự thật.",
        )
        for case, certificate in certificates.items()
    }
    # The meetings' nominations pass their public posting first: the posted one below must stay in its window.
    meetings, agenda_items = _council_meetings(people)
    posted = factories.file_nomination(
        people.clerk, award_code="co_thi_dua_tinh", kind="collective", full_name="Hợp tác xã Định Thủy"
    )
    nomination_submit(actor=people.head, nomination=posted)
    review_forward(actor=people.district_reviewer, task_id=open_task_of(posted).task_id)
    appraisal_approve(actor=people.province_reviewer, task_id=open_task_of(posted).task_id)
    posting = Posting.objects.get(nomination=posted)
    feedback = feedback_receive(posting=posting, sender_name="Lê Văn Ba", content="Xin làm rõ thành tích.")
    notification = Notification.objects.create(
        user=people.clerk, kind="matrix", title="Thông báo của văn thư", url="/"
    )
    people_of = {"own": n["own_draft"], "other": n["other"], "other_province": n["other_province"]}
    collectives = {
        "own": n["own_council"].nominee.collective,
        "other": Collective.objects.create(
            name="Tổ hòa giải ấp 1", unit=Unit.objects.get(code="BT.BATRI.ANNGAITRUNG")
        ),
        "other_province": Collective.objects.create(
            name="Tổ hòa giải ấp 2", unit=Unit.objects.get(code="VL.DINHTHUY")
        ),
    }
    history = {
        case: AwardHistory.objects.create(
            person=nomination.nominee.person, award_code="giay_khen", year=2020, source=HistorySource.BACKFILL
        )
        for case, nomination in people_of.items()
    }
    return {
        "history": history,
        "person": {case: nomination.nominee.person for case, nomination in people_of.items()},
        "collective": collectives,
        "submission": _submissions(people, n, other_head),
        "meeting": meetings,
        "agenda_item": agenda_items,
        "certificate": certificates,
        "verification_code": {c: cert.verification_code for c, cert in certificates.items()},
        "revocation": revocations,
        "posting": {"own_posting": posting},
        "feedback": {"own_posting": feedback},
        "notification": {"clerks": notification},
    }


def _submissions(people, n, other_head):
    """A tờ trình for every submitted case (the head's own, another unit's and another province's)."""
    from nominations.models import Nomination, Submission

    heads = {"other": other_head, "other_closed": other_head, "other_province": people.vl_head}
    made = {}
    for number, case in enumerate(sorted(set(n) - {"own_draft"}), start=1):
        nomination = n[case]
        made[case] = Submission.objects.create(
            unit=nomination.unit, number=f"{number}/TTr-UBND", submitted_by=heads.get(case, people.head)
        )
        Nomination.objects.filter(pk=nomination.pk).update(submission=made[case])
    return made


def _council_meetings(people):
    """An open (device ballots) and a closed meeting of the province's standing council, seating the secretary and
    the chairman, with one nomination of its own on each agenda (not one of CASES, whose single vote the matrix
    tries)."""
    from django.utils import timezone

    from approvals.models import AgendaItem, Attendance, BallotMode, Meeting, MeetingStatus
    from organisation.models import Council, CouncilKind, CouncilMember, CouncilPosition

    council = Council.objects.create(
        unit=Unit.objects.get(code="BT"),
        kind=CouncilKind.STANDING,
        name="Thường trực Hội đồng",
        members_total=2,
    )
    today = timezone.localdate()
    seats = [
        CouncilMember.objects.create(council=council, user=user, position=position, valid_from=today)
        for user, position in (
            (people.secretary, CouncilPosition.SECRETARY),
            (people.chairman, CouncilPosition.CHAIRMAN),
        )
    ]
    meetings, items = {}, {}
    cases = (("open_meeting", MeetingStatus.OPEN), ("closed_meeting", MeetingStatus.CLOSED))
    nominations = factories.to_council_vote(people, *(f"Tập thể {case}" for case, _status in cases))
    for (case, status), nomination in zip(cases, nominations, strict=True):
        meeting = Meeting.objects.create(
            council=council,
            held_on=today,
            place="Phòng họp",
            ballot_mode=BallotMode.DEVICE,
            status=status,
            members_total=len(seats),
            opened_by=people.secretary,
        )
        items[case] = AgendaItem.objects.create(
            meeting=meeting, nomination=nomination, task_id=open_task_of(nomination).task_id, order=1
        ).pk
        Attendance.objects.bulk_create(Attendance(meeting=meeting, member=seat) for seat in seats)
        meetings[case] = meeting
    return meetings, items


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_root(settings, matrix_media):
    """The world's files are stored once for the module: every test reads them from the same media root."""
    settings.MEDIA_ROOT = matrix_media


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, matrix_media):
    """Built once inside a transaction that is rolled back after the module; each test runs in a savepoint."""
    with override_settings(MEDIA_ROOT=matrix_media), django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# -- the matrix -------------------------------------------------------------------------------------------------


WRITE_METHODS = {"post", "put", "patch", "delete"}


@pytest.mark.parametrize(("name", "index", "persona", "case"), matrix())
def test_permission_matrix(world, db, client, name, index, persona, case):
    rule = rules_for(name)[index]
    url = reverse(name, kwargs=rule["kwargs"](world, case))
    if persona != "anonymous":
        client.force_login(world.users[persona])
    data = rule["data"](world, case) if rule.get("data") else None
    if rule.get("json"):
        response = getattr(client, rule["method"])(url, data or {}, content_type="application/json")
    elif data is not None:
        response = getattr(client, rule["method"])(url, data)
    else:
        response = getattr(client, rule["method"])(url)
    expected = rule["expect"](persona, case)
    where = f"{persona} {rule['method'].upper()} {url} ({case}): answered {response.status_code}"
    if isinstance(expected, (set, frozenset, tuple)):  # e.g. /health/: 200 or 503 as the broker answers
        assert response.status_code in expected, where
    else:
        assert response.status_code == expected, where
    if expected == 302 and persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# -- ID-guessing below the views: the selectors every page, export and API endpoint uses -------------------------


def _allowed(getter, *args):
    try:
        getter(*args)
    except Http404:
        return False
    return True


@pytest.mark.parametrize("persona", PERSONAS)
def test_nominations_and_files_by_id_follow_the_read_policy(world, db, persona):
    user = world.user(persona)
    for case in CASES:
        expected = case in READS[persona]
        assert _allowed(get_nomination_for_user, user, world.pk("nomination", case)) is expected, case
        assert _allowed(get_dossier_file_for_user, user, world.pk("file", case)) is expected, case


@pytest.mark.parametrize("persona", PERSONAS)
def test_tasks_by_id_only_for_who_may_act_on_them(world, db, persona):
    user = world.user(persona)
    for case in world.tasks:
        acts = task_scope_for_user(user, world.tasks[case]) is not None
        assert acts is (case in ACTS_ON[persona]), case


@pytest.mark.parametrize("persona", PERSONAS)
def test_decisions_by_id_follow_the_read_policy(world, db, persona):
    user = world.user(persona)
    for case in DECISION_CASES:
        assert _allowed(get_decision_for_user, user, world.pk("decision", case)) is (
            case in READS_DECISION[persona]
        ), case


def test_guessing_ids_that_do_not_exist_answers_404_like_hidden_ones(world, db):
    user = world.user("clerk")
    for getter in (get_nomination_for_user, get_dossier_file_for_user, get_decision_for_user):
        assert not _allowed(getter, user, 10**9)
    assert task_scope_for_user(user, 10**9) is None

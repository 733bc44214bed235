"""Who gets what: the expected HTTP status of every URL for every persona, own-unit and other-unit objects.

`tests/test_permission_matrix.py` walks every URL pattern of the project and fails when a URL name has no rule
here, so a new view cannot ship without saying who may open it. To add a view:

* a page without an object:   "app:name": page(200)                        (anonymous → 302 to the login page)
* a page of one nomination:   "app:name": on_nomination()                 (readable → 200, not readable → 404)
* a page of a dossier file:   "app:name": on_object("file")               (the file's nomination decides)
* a page of a task:           "app:name": on_object("task")               (only who may act on it: 200, else 404)
* a page of a decision:       "app:name": on_object("decision")
* an API endpoint:            "api:nomination-detail": on_nomination(anonymous=401)   (DRF answers 401/403)
* something else:             {"object": kind or None, "cases": [...], "kwargs": lambda world, case: {...},
                               "expect": lambda persona, case: status, "method": "get" | "post" | ...}
* a write:                    writes(page(403, head=302), {"nomination": ["0"]}) or custom(..., method="post",
                               data=lambda world, case: {...}, json=True for the API)
* GET and POST of one URL:    a list of rules, e.g. [page(403, inspector=200), writes(...)]

`custom(kind, cases, expect, kwargs=..., method=..., data=...)` builds the dict; `_expect(fn, anonymous=...,
overrides=...)` wraps a per-persona function, `reads_or(status, acts=...)` says "who holds the right → status,
mere readers → 403, everyone else → 404". An expectation may be a set of statuses where the answer depends on the
environment, not on the persona (only /health/). Objects beyond the cases (certificates, revocations, the posting
and its feedback, a notification of the clerk's) live in `world.extras` and are fetched with `world.pk(kind, case)`.
A forbidden persona never gets a 2xx/3xx on a write: `test_no_write_lets_an_outsider_through` checks the rules.

Object-bound rules are run against every case of CASES (xã Định Thủy's nomination at each step, one of another
district of the province, one of another province), so ID-guessing is part of every rule. Override single cells
with `overrides={("persona", "case"): status}`; e.g. a write-only view answering 403 to readers.
"""

from fnmatch import fnmatch

PERSONAS = [
    "clerk",
    "head",
    "district_reviewer",
    "province_reviewer",
    "secretary",
    "chairman",
    "inspector",
    "admin",
    "outsider",
    "anonymous",
]

# The objects built by the matrix fixture (tests/test_permission_matrix.py::world).
CASES = {
    "own_draft": "xã Định Thủy, lập xong, chờ Thủ trưởng trình",
    "own_review": "xã Định Thủy, đang xét duyệt tại huyện Mỏ Cày Nam",
    "own_appraise": "xã Định Thủy, đang thẩm định tại tỉnh",
    "own_council": "xã Định Thủy (tập thể), chờ Hội đồng tỉnh bỏ phiếu",
    "own_sign": "xã Định Thủy, chờ Chủ tịch tỉnh ký",
    "own_closed": "xã Định Thủy, đã khen thưởng (quyết định của tỉnh)",
    "other": "xã An Ngãi Trung (huyện Ba Tri), đang xét duyệt tại huyện Ba Tri",
    "other_closed": "xã An Ngãi Trung, Giấy khen của huyện Ba Tri, đã khen thưởng",
    "other_province": "xã Định Thủy tỉnh Vĩnh Long (hai cấp), đang thẩm định tại tỉnh Vĩnh Long",
}
OWN = {name for name in CASES if name.startswith("own_")}

# Which fixture nominations each persona may read (nominations.selectors.nominations_visible_to): the proposing
# unit always; a reviewing/deciding unit from the step it reached on; the council at the vote; the inspector the
# whole province, closed ones included; the superuser everything.
READS = {
    "clerk": OWN,
    "head": OWN,
    "district_reviewer": OWN - {"own_draft"},
    "province_reviewer": {"own_appraise", "own_council", "own_sign", "own_closed"},
    "secretary": {"own_council"},
    "chairman": {"own_sign", "own_closed"},
    "inspector": OWN | {"other", "other_closed"},
    "admin": set(CASES),
    "outsider": set(),
    "anonymous": set(),
}

# Which open task each persona may act on (workflows.selectors.task_scope_for_user).
ACTS_ON = {
    "clerk": set(),
    "head": {"own_draft"},
    "district_reviewer": {"own_review"},
    "province_reviewer": {"own_appraise"},
    "secretary": {"own_council"},
    "chairman": {"own_sign"},
    "inspector": set(),
    "admin": set(),
    "outsider": set(),
    "anonymous": set(),
}

# Which decisions each persona may read (approvals.selectors.decisions_visible_to: who reads one of its
# nominations, the rule the decision page always applied); cases with a decision only.
DECISION_CASES = {"own_closed", "other_closed"}
READS_DECISION = {
    "clerk": {"own_closed"},
    "head": {"own_closed"},
    "district_reviewer": {"own_closed"},
    "province_reviewer": {"own_closed"},
    # The council does not read a nomination once it left the vote: no decision. The selector used to add the
    # decisions issued where they serve, which no page or endpoint applied (both answered 404 through overrides).
    "secretary": set(),
    "chairman": {"own_closed"},
    "inspector": {"own_closed", "other_closed"},
    "admin": {"own_closed", "other_closed"},
    "outsider": set(),
    "anonymous": set(),
}

ANONYMOUS_REDIRECT = 302  # login_required → the login page


def page(status=200, anonymous=ANONYMOUS_REDIRECT, method="get", **per_persona):
    """A page without an object: `status` for every signed-in persona unless named in `per_persona`."""

    def expect(persona, case):
        if persona == "anonymous":
            return anonymous
        return per_persona.get(persona, status)

    return {"object": None, "kwargs": lambda world, case: {}, "expect": expect, "method": method}


def _object_rule(
    kind, allowed, cases, ok=200, hidden=404, overrides=None, method="get", anonymous=ANONYMOUS_REDIRECT
):
    overrides = overrides or {}

    def expect(persona, case):
        if (persona, case) in overrides:
            return overrides[persona, case]
        if persona == "anonymous":
            return anonymous
        return ok if case in allowed[persona] else hidden

    return {
        "object": kind,
        "cases": sorted(cases),
        "method": method,
        "expect": expect,
        "kwargs": lambda world, case: {"pk": world.pk(kind, case)},
    }


def on_nomination(**kwargs):
    return _object_rule("nomination", READS, CASES, **kwargs)


def on_object(kind, **kwargs):
    if kind == "file":
        return _object_rule("file", READS, CASES, **kwargs)
    if kind == "task":
        return _object_rule(
            "task", ACTS_ON, {c for c in CASES if c not in ("own_closed", "other_closed")}, **kwargs
        )
    if kind == "decision":
        return _object_rule("decision", READS_DECISION, DECISION_CASES, **kwargs)
    raise ValueError(kind)


def _with(rule, **changes):
    return {**rule, **changes}


def api_page(status=200, **per_persona):
    """An API collection: DRF answers 401 to anonymous callers (no redirect to a login page)."""
    return page(status, anonymous=401, **per_persona)


def public(status=200, method="get"):
    """A page for everyone, signed in or not."""
    return page(status, anonymous=status, method=method)


def writes(rule, data, json=False):
    """`rule` sent as a POST with `data` (a dict or world, case → dict)."""
    return _with(rule, method="post", data=data if callable(data) else (lambda world, case: data), json=json)


def reads_or(allowed_status, readers=READS, acts=None, reader_status=403):
    """Who holds the right (`acts`) → `allowed_status`, who may only read → `reader_status`, else 404."""

    def expect(persona, case):
        if acts is not None and case in acts[persona]:
            return allowed_status
        if case in readers[persona]:
            return reader_status if acts is not None else allowed_status
        return 404

    return expect


def _expect(fn, anonymous=ANONYMOUS_REDIRECT, overrides=None):
    overrides = overrides or {}

    def expect(persona, case):
        if (persona, case) in overrides:
            return overrides[persona, case]
        if persona == "anonymous":
            return anonymous
        return fn(persona, case)

    return expect


def _person_of(nomination_pk):
    from nominations.models import Nomination

    return Nomination.objects.values_list("nominee__person_id", flat=True).get(pk=nomination_pk)


# Registry records (world.extras "person" and "collective"): xã Định Thủy's, xã An Ngãi Trung's (Ba Tri, same
# province), and one of Vĩnh Long. Who sees them: the registry scope of organisation.policy.REGISTRY_PERMISSIONS
# (filing, reviewing and inspecting units' subtrees; the superuser every record); who writes their history: the
# filing subtree only.
REGISTRY_CASES = {"own", "other", "other_province"}
REGISTRY_SEES = {
    "own": {"clerk", "head", "district_reviewer", "province_reviewer", "inspector", "admin"},
    "other": {"province_reviewer", "inspector", "admin"},
    "other_province": {"admin"},
}
REGISTRY_WRITES = {"own": {"clerk", "head"}, "other": set(), "other_province": set()}


def registry_record(kind, status=200, write=None):
    """An API read (or, with `write`, a JSON POST answering `write` to the writers) of a registry record: readers
    `status`, on a write readers 403; everyone else 404, anonymous 401."""

    def expect(persona, case):
        if persona == "anonymous":
            return 401
        if write is not None and persona in REGISTRY_WRITES[case]:
            return write
        if persona in REGISTRY_SEES[case]:
            return status if write is None else 403
        return 404

    return {
        "object": kind,
        "cases": sorted(REGISTRY_CASES),
        "method": "get" if write is None else "post",
        "expect": expect,
        "kwargs": lambda world, case: {"pk": world.pk(kind, case)},
        **({"data": lambda world, case: {}} if write is not None else {}),
        "json": write is not None,
    }


def _history_file(world, case, **extra):
    """A one-row history file for xã Định Thủy (sha256 of another file: the load stops before writing)."""
    from tests.nominations.test_history_import import _row, _workbook

    return {"unit": "BT.MCN.DINHTHUY", "file": _workbook([_row()]), **extra}


def custom(kind, cases, expect, kwargs=None, method="get", data=None, json=False):
    return {
        "object": kind,
        "cases": sorted(cases),
        "method": method,
        "expect": expect,
        "kwargs": kwargs or (lambda world, case: {"pk": world.pk(kind, case)}),
        **({"data": data} if data else {}),
        "json": json,
    }


# Who may edit a nomination of xã Định Thủy (file_nomination at the proposing unit; the status is the service's
# business) and who holds the province's inspection grant / signs at the province.
EDITS = {persona: set() for persona in PERSONAS} | {"clerk": OWN, "head": OWN}
INSPECTORS = {"inspector"}
# The tờ trình of every submitted case (the matrix world's `submission` extras), and who uploads its signed scan:
# the head of the proposing unit (submit_nomination there).
SUBMITTED = set(CASES) - {"own_draft"}
SUBMITS = {persona: set() for persona in PERSONAS} | {"head": SUBMITTED & OWN}
TASK_CASES = {c for c in CASES if c not in ("own_closed", "other_closed")}
ISSUERS = {"own_closed": "province", "other_closed": "batri"}
# approvals.selectors.can_download_decision, for the web and the API alike: the issuing unit's signers and reviewers
# and the inspectors above it.
DOWNLOADS_DECISION = {persona: set() for persona in PERSONAS} | {
    "province_reviewer": {"own_closed"},
    "chairman": {"own_closed"},
    "inspector": DECISION_CASES,
}
# …and a certificate also to its proposing unit.
DOWNLOADS_CERTIFICATE = DOWNLOADS_DECISION | {"clerk": {"own_closed"}, "head": {"own_closed"}}
# Revocations: the inspectors who opened them, and the signers of the issuing unit (who decide them).
SEES_REVOCATION = {persona: set() for persona in PERSONAS} | {
    "inspector": DECISION_CASES,
    "chairman": {"own_closed"},
}


def _meeting_rule(
    secretary,
    member=None,
    method="get",
    case="open_meeting",
    kwargs=None,
    anonymous=ANONYMOUS_REDIRECT,
    json=False,
):
    """A meeting of the province's standing council (seats: the secretary, the chairman): `secretary` for its
    secretary, `member` (default the same) for the chairman, who sits in it, 404 for everyone else."""
    statuses = {"secretary": secretary, "chairman": secretary if member is None else member}
    return custom(
        "meeting",
        {case},
        _expect(lambda persona, case: statuses.get(persona, 404), anonymous=anonymous),
        kwargs=kwargs,
        method=method,
        data=(lambda world, case: {}) if method == "post" else None,
        json=json,
    )


def _api_meeting_rule(secretary, member=None, method="get"):
    return _meeting_rule(secretary, member, method=method, anonymous=401, json=method == "post")


def _inspection_page(status=200):
    return page(403, inspector=status)


def _report_page(number=None):
    rule = page(403, district_reviewer=200, province_reviewer=200, chairman=200, inspector=200)
    if number:
        rule["kwargs"] = lambda world, case: {"number": number}
    return rule


def _entry_page(status=200):
    """Entering the figures of form 0604/0605: the reviewers and signers of the province (reports.entry_units);
    the inspector reads the forms but never writes them, a district reviewer reports only on the district."""
    rule = page(403, province_reviewer=status, chairman=status)
    rule["kwargs"] = lambda world, case: {"number": "0604"}
    return rule


def _figures_of_the_province(world, case):
    from organisation.models import Unit

    unit = Unit.objects.get(code="BT").pk
    return {"unit": unit, "year": 2025, "value_02": 0, "value_03": 0, "value_04": 1, "value_05": 2}


def _download_kwargs(world, case):
    return {"pk": world.pk("nomination", case), "file_pk": world.pk("file", case)}


def _other_file_kwargs(world, case):
    # ID-guessing inside a readable URL: the own nomination with another unit's file id.
    return {"pk": world.pk("nomination", "own_review"), "file_pk": world.pk("file", "other")}


FILING_UNITS = {
    "own_unit": "BT.MCN.DINHTHUY",
    "other_unit": "BT.BATRI.ANNGAITRUNG",
    "other_province_unit": "VL.DINHTHUY",
}


def _nomination_payload(unit_code):
    from tests.api.conftest import nomination_payload

    return nomination_payload(unit=unit_code)


def _task_body(world, case):
    return {}


# URL name (namespace:name; fnmatch patterns allowed) → rule, or a list of rules (e.g. GET and POST).
RULES = {
    "login": page(200, anonymous=200),
    "logout": page(302, anonymous=302, method="post"),
    "health": public({200, 503}),  # no login; 503 while no Celery worker answers the ping
    # -- nominations (web UI) ---------------------------------------------------------------------------------
    "nominations:home": page(200),
    "nominations:list": page(200),
    "nominations:detail": on_nomination(),
    "nominations:create": [
        page(403, clerk=200, head=200),
        # An empty form comes back with its field errors (200) for who may file; 403 for everyone else.
        writes(page(403, clerk=200, head=200), {}),
    ],
    # Province officers only (the superuser holds no province role: 403).
    "nominations:dashboard": page(403, province_reviewer=200, secretary=200, chairman=200, inspector=200),
    "nominations:edit": [
        custom("nomination", CASES, _expect(reads_or(200, acts=EDITS))),
        custom(
            "nomination",
            CASES,
            _expect(reads_or(200, acts=EDITS)),
            method="post",
            data=lambda world, case: {"full_name": "", "period_year": "2026", "achievements": ""},
        ),
    ],
    "nominations:act": custom(
        "nomination",
        CASES,
        # Whoever holds the open task reaches the service with a return lacking its reason (400); the signer
        # is sent to the signing page (302); readers 403; everyone else 404.
        # A closed nomination has no task: only who could have done its last step hears "already done" (302).
        _expect(
            reads_or(400, acts=ACTS_ON),
            overrides={("chairman", "own_sign"): 302, ("chairman", "own_closed"): 302},
        ),
        method="post",
        data=lambda world, case: {"action": "return", "reason": ""},
    ),
    "nominations:upload": custom(
        "nomination", CASES, _expect(reads_or(400, acts=EDITS)), method="post", data=lambda w, c: {}
    ),
    "nominations:download": [
        custom("file", CASES, _expect(reads_or(200)), kwargs=_download_kwargs),
        custom(
            "file",
            {"other"},
            _expect(lambda persona, case: 404),
            kwargs=_other_file_kwargs,
        ),
    ],
    "nominations:submission_document": custom(
        "submission",
        SUBMITTED,
        _expect(reads_or(200)),
        kwargs=lambda world, case: {"pk": world.pk("submission", case), "kind": "docx"},
    ),
    "nominations:submission_scan": custom(
        "submission", SUBMITTED, _expect(reads_or(302, acts=SUBMITS)), method="post", data=lambda w, c: {}
    ),
    "nominations:copy_last_year": writes(
        page(403, clerk=302, head=302), lambda world, case: {"unit": world.nominations["own_draft"].unit_id}
    ),
    "nominations:submit_selected": writes(page(403, head=302), {"nomination": ["0"]}),
    "nominations:bulk_review": writes(
        page(403, district_reviewer=302, province_reviewer=302), {"action": "forward", "task": ["0"]}
    ),
    # -- decisions, feedback, documents -------------------------------------------------------------------------
    "approvals:sign": writes(page(403, chairman=302), {"nomination": ["0"]}),
    "approvals:sign_confirm": writes(page(403, chairman=302), {"nomination": ["0"]}),
    "approvals:sign_draft": writes(page(403, chairman=404), {"nomination": ["0"]}),
    "approvals:decision": on_object("decision"),
    "approvals:feedback_answer": custom(
        "feedback",
        {"own_posting"},
        _expect(
            lambda persona, case: {
                "district_reviewer": 403,
                "clerk": 403,
                "head": 403,
                "inspector": 403,
                "province_reviewer": 302,  # an empty answer: back to the nomination with the service's error
                "admin": 403,  # reads everything, answers nothing: not a reviewer of the deciding unit
            }.get(persona, 404)
        ),
        method="post",
        data=lambda world, case: {"answer": ""},
    ),
    "approvals:feedback_spam": custom(
        "feedback",
        {"own_posting"},
        _expect(
            lambda persona, case: {
                "district_reviewer": 403,
                "clerk": 403,
                "head": 403,
                "inspector": 403,
                "province_reviewer": 302,  # marked as spam, back to the nomination
                "admin": 403,
            }.get(persona, 404)
        ),
        method="post",
        data=lambda world, case: {"reason": ""},
    ),
    "documents:certificate_print": custom(
        "certificate", DECISION_CASES, _expect(reads_or(200, readers=DOWNLOADS_CERTIFICATE))
    ),
    # -- Công dân Đồng Khởi rounds: the province's appraisers run them, filing units file in the open one --
    "honours:rounds": page(403, clerk=200, head=200, province_reviewer=200),
    "honours:round_open": writes(page(403, province_reviewer=400), {}),
    "honours:round_close": _with(
        writes(page(404), {}), kwargs=lambda world, case: {"year": 1999}
    ),  # no round that year: 404 before any right is asked
    "honours:round_nominate": _with(
        page(403, clerk=404, head=404), kwargs=lambda world, case: {"year": 1999}
    ),
    "api:honour-round-list": [api_page(200), writes(api_page(400), {}, json=True)],
    "api:honour-round-close": _with(
        writes(api_page(404), {}, json=True), kwargs=lambda world, case: {"year": 1999}
    ),
    "api:logout": writes(api_page(200), {}, json=True),  # a session has no token: nothing to end
    "api:logout-all": writes(api_page(200), {}, json=True),
    "public:verify_lookup": public(200),
    "favicon": public(301),
    "documents:decision_pdf": custom(
        "decision", DECISION_CASES, _expect(reads_or(200, readers=DOWNLOADS_DECISION))
    ),
    "documents:decision_docx": custom(
        "decision", DECISION_CASES, _expect(reads_or(200, readers=DOWNLOADS_DECISION))
    ),
    "documents:certificate_pdf": custom(
        "certificate", DECISION_CASES, _expect(reads_or(200, readers=DOWNLOADS_CERTIFICATE))
    ),
    # -- council meetings: the council's secretary runs them, its members read and vote, everyone else gets 404 --
    "council:meetings": page(200),
    "council:meeting_open": writes(page(403, secretary=400), {}),
    "council:meeting": _meeting_rule(200),
    "council:item": _meeting_rule(
        200,
        kwargs=lambda world, case: {
            "pk": world.pk("meeting", case),
            "item_pk": world.extras["agenda_item"][case],
        },
    ),  # fmt: skip
    "council:attendance": _meeting_rule(302, member=403, method="post"),
    "council:totals": _meeting_rule(302, member=403, method="post"),
    "council:vote": _meeting_rule(302, method="post"),  # a member not marked present: refused with a message
    "council:close": _meeting_rule(302, member=403, method="post"),
    "council:minutes_signed": _meeting_rule(302, member=403, method="post", case="closed_meeting"),
    "council:minutes": _meeting_rule(
        200,
        case="closed_meeting",
        kwargs=lambda world, case: {"pk": world.pk("meeting", case), "kind": "docx"},
    ),  # fmt: skip
    # -- inspection ---------------------------------------------------------------------------------------------
    "audit:search": _inspection_page(),
    "audit:export_csv": _inspection_page(),
    "audit:export_xlsx": _inspection_page(),
    "audit:decision_trace": _inspection_page(),
    "audit:decisions": _inspection_page(),
    # -- reports: whoever reviews, signs or inspects somewhere (approvals.reports.report_units) -------------------
    "reports:fund": _report_page(),
    "reports:fund_xlsx": _report_page(),
    "reports:analytics": _report_page(),
    "reports:analytics_xlsx": _report_page(),
    "reports:statistics": _report_page(number="0601"),
    "reports:statistics_xlsx": _report_page(number="0603"),
    "reports:statistics_pdf": _report_page(number="0603"),
    "reports:statistics_entry": [_entry_page(), writes(_entry_page(302), _figures_of_the_province)],
    "audit:verify": [_inspection_page(), writes(_inspection_page(), {})],
    "audit:timeline": custom(
        "nomination",
        CASES,
        _expect(lambda p, c: (200 if c in READS["inspector"] else 404) if p in INSPECTORS else 403),
    ),
    "audit:revocations": page(403, inspector=200, chairman=200),
    "audit:revocation_open": [
        page(403, inspector=200),
        writes(page(403, inspector=400), {"serial": ""}),
    ],
    "audit:revocation_detail": [
        custom(
            "revocation",
            DECISION_CASES,
            _expect(
                lambda p, c: (
                    (200 if c in SEES_REVOCATION[p] else 404) if p in ("inspector", "chairman") else 403
                )
            ),
        ),
        custom(
            "revocation",
            DECISION_CASES,
            _expect(
                lambda p, c: {"chairman": 400 if c in SEES_REVOCATION[p] else 404, "inspector": 403}.get(
                    p, 403
                )
            ),
            method="post",
            data=lambda world, case: {"decision": ""},
        ),
    ],
    # -- notifications ------------------------------------------------------------------------------------------
    "workflows:notifications": page(200),
    "workflows:notification_read": custom(
        "notification",
        {"clerks"},
        _expect(lambda p, c: 302 if p == "clerk" else 404),
        method="post",
        data=lambda world, case: {},
    ),
    "workflows:notifications_read_all": writes(page(302), {}),
    "workflows:notification_preference": writes(page(302), {"email_mode": "digest"}),
    # -- public pages -------------------------------------------------------------------------------------------
    "public:posted": public(),
    "public:honour_roll": public(),
    "honours:golden_book": public(),
    # -- registry of people (issue 15) ------------------------------------------------------------------------------
    # Back-filling history is for the units' own filing staff; the person page for whoever's registry scope holds
    # the person's unit (organisation.policy.REGISTRY_PERMISSIONS); duplicates for the province's reviewers.
    "registry:history_template": page(403, clerk=200, head=200),
    # -- nomination lists (issue 16): whoever may file for a unit (its clerk and head) --------------------------
    "nominations:list_template": _with(
        page(403, clerk=200, head=200), data=lambda world, case: {"award": "giay_khen"}
    ),
    "nominations:list_import": [
        page(403, clerk=200, head=200),
        writes(page(403, clerk=200, head=200), {}),
    ],
    "nominations:list_import_confirm": writes(page(404), {}),
    "registry:history_import": [
        page(403, clerk=200, head=200),
        writes(page(403, clerk=200, head=200), {}),
    ],
    "registry:history_import_confirm": writes(page(404), {}),
    "registry:duplicates": page(403, district_reviewer=200, province_reviewer=200),
    "registry:duplicate_resolve": _with(
        writes(page(404), {"action": "dismiss"}), kwargs=lambda world, case: {"pk": 2**31 - 1}
    ),
    "registry:person": custom(
        "nomination",
        {"own_draft", "other", "other_province"},
        _expect(
            lambda p, c: (
                200
                if p == "admin"  # the superuser sees every record, as every nomination
                or (p, c)
                in {
                    ("clerk", "own_draft"),
                    ("head", "own_draft"),
                    ("district_reviewer", "own_draft"),
                    ("province_reviewer", "own_draft"),
                    ("province_reviewer", "other"),
                    ("inspector", "own_draft"),
                    ("inspector", "other"),
                }
                else 404
            )
        ),
        kwargs=lambda world, case: {"pk": _person_of(world.pk("nomination", case))},
    ),
    "public:verify": custom(
        "verification_code",
        DECISION_CASES,
        lambda p, c: 200,
        kwargs=lambda world, case: {"code": world.extras["verification_code"][case]},
    ),
    "public:feedback": custom(
        "posting",
        {"own_posting"},
        lambda p, c: 400,
        kwargs=lambda world, case: {"posting_pk": world.pk("posting", case)},
        method="post",
        data=lambda world, case: {},
    ),
    # -- REST API -----------------------------------------------------------------------------------------------
    "api:token": writes(public(400), {}, json=True),
    "api:schema": public(),
    "api:docs": public(),
    "api:redoc": public(),
    "api:me": api_page(),
    "api:unit-list": api_page(),
    "api:award-type-list": api_page(),
    "api:movement-list": api_page(),
    "api:nomination-list": [
        api_page(),
        # A complete nomination for a unit: only who files at that unit creates it (201), everyone else 403.
        custom(
            None,
            FILING_UNITS,
            _expect(lambda p, c: 201 if p in ("clerk", "head") and c == "own_unit" else 403, anonymous=401),
            kwargs=lambda world, case: {},
            method="post",
            data=lambda world, case: _nomination_payload(FILING_UNITS[case]),
            json=True,
        ),
    ],
    "api:task-list": api_page(),
    # One action on many tasks, for who holds a step it moves (submit, review, appraise) somewhere: each task is
    # refused or done on its own (tests/api/test_tasks_batch.py); an id the caller cannot act on answers "not
    # found" in the results, never a status that tells it exists.
    "api:task-batch": writes(
        api_page(200, clerk=403, secretary=403, chairman=403, inspector=403, admin=403, outsider=403),
        {"action": "forward", "tasks": [2_000_000_000]},
        json=True,
    ),
    # -- registry through the API (issue 15): lists are the caller's scope; a record of another subtree is 404 --
    "api:person-list": api_page(),
    "api:collective-list": api_page(),
    "api:person-detail": registry_record("person"),
    "api:collective-detail": registry_record("collective"),
    "api:person-history": [registry_record("person"), registry_record("person", write=400)],
    "api:collective-history": [registry_record("collective"), registry_record("collective", write=400)],
    # A back-filled award of each registry person (world.extras "history"); {} lacks the reason: 400 for writers.
    "api:history-revoke": registry_record("history", write=400),
    "api:history-template": api_page(403, clerk=200, head=200),
    # A readable one-row file: its report for the unit's filing staff, 403 for everyone else.
    "api:history-import-check": writes(api_page(403, clerk=200, head=200), _history_file),
    # The same file named by another hash: the filing staff hear 400 (nothing written), everyone else 403.
    "api:history-import-load": writes(
        api_page(403, clerk=400, head=400), lambda world, case: _history_file(world, case, sha256="0" * 64)
    ),
    # A list is sent by who files for some unit (an empty body: field errors); others are refused first.
    "api:nomination-list-check": writes(api_page(403, clerk=400, head=400), {}),
    "api:nomination-list-import": writes(api_page(403, clerk=400, head=400), {}),
    "api:audit-verify": api_page(403, inspector=200),
    "api:nomination-detail": on_nomination(anonymous=401),
    "api:nomination-audit": on_nomination(anonymous=401),
    "api:nomination-attachments": custom(
        "nomination",
        CASES,
        _expect(reads_or(400, acts=EDITS), anonymous=401),
        method="post",
        data=lambda w, c: {},
    ),
    "api:nomination-submit": custom(
        "nomination",
        CASES,
        # The head submits the draft (200); on a later step the head hears 409, every other reader 403.
        _expect(
            lambda p, c: (
                (200 if c == "own_draft" else 409) if p == "head" and c in OWN else reads_or(403)(p, c)
            ),
            anonymous=401,
        ),
        method="post",
        data=lambda w, c: {},
        json=True,
    ),
    "api:task-complete": custom(
        "task",
        TASK_CASES,
        _expect(reads_or(400, acts=ACTS_ON), anonymous=401),
        method="post",
        data=_task_body,
        json=True,
    ),
    "api:decision-create": custom(
        "nomination",
        {"own_sign", "other", "other_province"},
        # Readers who may not sign: 403; ids the caller cannot read answer like unknown ids (400).
        _expect(
            lambda p, c: 403 if c in READS[p] else 400,
            anonymous=401,
            overrides={("chairman", "own_sign"): 201},
        ),
        kwargs=lambda world, case: {},
        method="post",
        data=lambda world, case: {"nominations": [world.pk("nomination", case)]},
        json=True,
    ),
    # The API shows a decision to who reads one of its nominations (as approvals:decision does).
    "api:decision-detail": on_object("decision", anonymous=401),
    # -- council meetings over the API: as on the pages (the secretary runs, the members read and vote) ----------
    "api:meeting-list": api_page(200),
    "api:meeting-detail": _api_meeting_rule(200),
    "api:meeting-totals": _api_meeting_rule(400, member=403, method="post"),  # {} is no list of rows
    "api:meeting-ballots": _api_meeting_rule(400, method="post"),  # {}: no ballot, for whoever sits in it
    "api:meeting-close": _api_meeting_rule(200, member=403, method="post"),
    # The documents follow the web's documents:decision_pdf. They used to follow the decision's readers, so the
    # proposing unit's clerk and head, the district reviewer and the superuser got own_closed's PDF through the
    # API (and the superuser other_closed's too) while the web answered 404 (issue 20, item 7): now 404 as well.
    "api:decision-document": [
        custom(
            "decision",
            DECISION_CASES,
            _expect(reads_or(200, readers=DOWNLOADS_DECISION), anonymous=401),
            kwargs=lambda world, case, kind=kind: {"pk": world.pk("decision", case), "kind": kind},
        )
        for kind in ("pdf", "docx")
    ],
    # -- the movement's own life (issue 24) ---------------------------------------------------------------------
    # The lists are for every signed-in user (what one may act on is in nominations.movement); launching is the
    # province's emulation office, registering a unit's clerk or head. An object that does not exist answers 404
    # before any right is asked; the rights on real objects are tested in tests/web/test_movement_pages.py.
    "movement:list": page(200),
    "movement:launch": writes(page(403, province_reviewer=400), {}),
    "movement:registrations": page(200),
    "movement:register": writes(page(403, clerk=400, head=400), {}),
    "public:exemplary": public(),
    **{
        name: _with(page(404), kwargs=lambda world, case: {"pk": 999999})
        for name in (
            "movement:detail",
            "movement:dashboard",
            "movement:reviews",
            "movement:review",
            "movement:registration",
            "movement:evidence",
        )
    },
    **{
        name: _with(writes(page(404), {}), kwargs=lambda world, case: {"pk": 999999})
        for name in (
            "movement:target_add",
            "movement:review_open",
            "movement:review_close",
            "movement:registration_act",
            "movement:result_add",
        )
    },
    "movement:cluster": _with(
        page(404), kwargs=lambda world, case: {"pk": 999999, "cluster_pk": 1, "year": 2026}
    ),
    "movement:cluster_act": _with(
        writes(page(404), {}), kwargs=lambda world, case: {"pk": 999999, "cluster_pk": 1, "year": 2026}
    ),
    "movement:review_report": _with(page(404), kwargs=lambda world, case: {"pk": 999999, "kind": "pdf"}),
    "api:registration-list": [api_page(200), writes(api_page(400), {}, json=True)],  # {}: field errors first
    "api:registration-detail": _with(api_page(404), kwargs=lambda world, case: {"pk": 999999}),
    "api:registration-commitments": _with(
        writes(api_page(404), {}, json=True), kwargs=lambda world, case: {"pk": 999999}
    ),
    "api:registration-results": _with(writes(api_page(404), {}), kwargs=lambda world, case: {"pk": 999999}),
    "api:registration-action": _with(
        writes(api_page(404), {}, json=True), kwargs=lambda world, case: {"pk": 999999, "action": "submit"}
    ),
}
# Writes every signed-in user may make for themselves; on any other write an outsider must be refused.
SELF_SERVICE_WRITES = {
    "logout",
    "api:logout",  # ends the caller's own token(s), nobody else's
    "api:logout-all",
    "workflows:notifications_read_all",
    "workflows:notification_preference",
}

# Not walked: Django's own admin (its permissions are tested in tests/organisation/test_admin.py) and framework
# internals. Anything else in the URLconf needs a rule.
EXCLUDED_NAMESPACES = {"admin"}
# "admin_moved" is the admin's own redirect of pre-2026 addresses (tests/organisation/test_admin.py).
EXCLUDED_NAMES = {"set_language", "admin_moved"}


def rules_for(name):
    rule = rule_for(name)
    return rule if isinstance(rule, list) else [rule]


def rule_for(name):
    if name in RULES:
        return RULES[name]
    for pattern, rule in RULES.items():
        if any(ch in pattern for ch in "*?[") and fnmatch(name, pattern):
            return rule
    return None

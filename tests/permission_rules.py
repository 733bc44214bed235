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

# Which decisions each persona may read (approvals.selectors.decisions_visible_to); cases with a decision only.
DECISION_CASES = {"own_closed", "other_closed"}
READS_DECISION = {
    "clerk": {"own_closed"},
    "head": {"own_closed"},
    "district_reviewer": {"own_closed"},
    "province_reviewer": {"own_closed"},
    "secretary": {"own_closed"},  # issued at the unit whose council they serve
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


# URL name (namespace:name; fnmatch patterns allowed) → rule.
RULES = {
    "login": page(200, anonymous=200),
    "logout": page(302, anonymous=302, method="post"),
    "nominations:home": page(200),
    "nominations:detail": on_nomination(),
}

# Not walked: Django's own admin (its permissions are tested in tests/approvals/test_admin.py) and framework
# internals. Anything else in the URLconf needs a rule.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language"}


def rule_for(name):
    if name in RULES:
        return RULES[name]
    for pattern, rule in RULES.items():
        if any(ch in pattern for ch in "*?[") and fnmatch(name, pattern):
            return rule
    return None

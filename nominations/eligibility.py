"""Eligibility rules as dated data: each rule names its award, its parameters and the article it comes from; a rule
set groups the rules of one legal frame (the law and the decree in force), chosen by date.

`eligibility_evaluate` returns one `Result` per applicable rule: passed, failed (refuses filing, submission and
signature, with the reason and the article), or "cần xác nhận" when the data cannot decide (a judgement for the
reviewer, never passed silently). Evaluators are generic by rule kind; no evaluator knows an award code.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nominations.models import (
    AwardHistory,
    DisciplineLevel,
    DisciplineRecord,
    DossierKind,
    Nomination,
    Status,
)

PASS, FAIL, CONFIRM = "pass", "fail", "confirm"
OUTCOME_LABELS = {
    PASS: gettext_lazy("Đạt"),
    FAIL: gettext_lazy("Không đạt"),
    CONFIRM: gettext_lazy("Cần xác nhận"),
}

CSTDCS = "chien_si_thi_dua_co_so"
LAW = "Luật Thi đua, khen thưởng số 06/2022/QH15"


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str
    awards: tuple  # award codes the rule applies to; () = every award
    basis: str  # the article, as cited to the user
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    code: str
    title: str
    effective_from: date
    effective_to: date | None
    rules: tuple


@dataclass
class Result:
    rule: str
    outcome: str
    reason: str
    basis: str
    field: str = "award_type"

    @property
    def label(self):
        return OUTCOME_LABELS[self.outcome]


def _rules(decree):
    """The rules of the law with `decree` detailing it; only the citations of the decree differ between sets."""
    return (
        Rule(
            "cstd_tinh_streak",
            "streak",
            ("chien_si_thi_dua_tinh",),
            f"{LAW}, Điều 22",
            {"prerequisite": CSTDCS, "years": 3, "label": "Chiến sĩ thi đua cơ sở"},
        ),
        Rule(
            "cstd_tinh_initiative_scope",
            "judgement",
            ("chien_si_thi_dua_tinh",),
            f"{LAW}, Điều 22",
            {"question": "Sáng kiến, đề tài được áp dụng hiệu quả, có phạm vi ảnh hưởng trong tỉnh"},
        ),
        Rule(
            "bang_khen_tinh_conditions",
            "streak_or_judgement",
            ("bang_khen_tinh",),
            f"{LAW}, Điều 74; {decree}",
            {"prerequisite": CSTDCS, "years": 2, "label": "Chiến sĩ thi đua cơ sở", "individual_only": True},
        ),
        Rule(
            "cstdcs_initiative_or_alternative",
            "initiative_or_alternative",
            (CSTDCS,),
            f"{LAW}, Điều 23",
            {},
        ),
        Rule(
            "ttldxs_members",
            "members",
            ("tap_the_lao_dong_xuat_sac",),
            f"{LAW}, Điều 27",
            {"all_complete": True, "advanced_share": 70, "min_fighters": 1},
        ),
        Rule(
            "ttldtt_members",
            "members",
            ("tap_the_lao_dong_tien_tien",),
            f"{LAW}, Điều 28",
            {"advanced_share": 70, "max_discipline": int(DisciplineLevel.REPRIMAND)},
        ),
        Rule("discipline", "discipline", (), f"{LAW}, Điều 5; {decree}", {}),
        Rule("same_achievement", "no_duplicate", (), f"{LAW}, Điều 5; {decree}", {}),
        Rule(
            "dong_khoi_once",
            "once_ever",
            ("cong_dan_dong_khoi",),
            "Quyết định 40/2020/QĐ-UBND của UBND tỉnh Bến Tre",
            {},
        ),
    )


RULE_SETS = (
    RuleSet(
        "nd98_2023",
        "Luật 06/2022/QH15 và Nghị định 98/2023/NĐ-CP",
        date(2024, 1, 1),
        date(2025, 6, 30),
        _rules("Nghị định 98/2023/NĐ-CP"),
    ),
    RuleSet(
        "nd152_2025",
        "Luật 06/2022/QH15 và Nghị định 152/2025/NĐ-CP",
        date(2025, 7, 1),
        None,
        _rules("Nghị định 152/2025/NĐ-CP, Điều 4"),
    ),
)


RULE_SET_TITLES = {rule_set.code: rule_set.title for rule_set in RULE_SETS}


def rule_set_on(day, rule_sets=RULE_SETS):
    """Return the rule set in force on `day` (the earliest set before its start, for older records)."""
    for rule_set in rule_sets:
        if rule_set.effective_from <= day and (rule_set.effective_to is None or day <= rule_set.effective_to):
            return rule_set
    return rule_sets[0] if day < rule_sets[0].effective_from else rule_sets[-1]


# -- the reference functions (pure, over a set of years) ---------------------------------------------------------


def streak_ending(years, year):
    """Count the consecutive years up to `year` present in `years`."""
    streak = 0
    while year - streak in years:
        streak += 1
    return streak


def prerequisite_met(years, year, needed):
    """True if the `needed` years immediately before the nominated `year` (or up to it) are all held.

    The title of year N is decided on the achievements up to N, so a streak ending in N or N-1 counts.
    """
    return streak_ending(years, year) >= needed or streak_ending(years, year - 1) >= needed


# -- evaluation ----------------------------------------------------------------------------------------------------


@dataclass
class SubjectFacts:
    """What the rules read about a nominee's record: its award history, discipline records and nominations (each
    nomination as `NominationFact`). Loaded for one nomination as its rules need them, or for many subjects at once
    (`subject_facts_load`, `subject_facts_preloaded`): the rules below read the same facts either way."""

    history: list = field(default_factory=list)
    discipline: list = field(default_factory=list)
    nominations: list = field(default_factory=list)


@dataclass(frozen=True)
class NominationFact:
    pk: int
    award_code: str
    period_year: int
    status: str
    round_id: int | None


_NOMINATION_FACT_COLUMNS = ("pk", "award_type__code", "period_year", "status", "round_id")
_preloaded = ContextVar("eligibility_subject_facts", default=None)
# The facts read so far by the evaluation under way ({subject key: (SubjectFacts, kinds read)}), or None.
_read = ContextVar("eligibility_facts_read", default=None)
_CHUNK = 500


def subject_key(nominee):
    """The registry record a nominee is about, as a key of `subject_facts_load`: ("person", id),
    ("collective", id), or None for a nominee not linked to a record."""
    if nominee.person_id:
        return ("person", nominee.person_id)
    if nominee.collective_id:
        return ("collective", nominee.collective_id)
    return None


def _chunks(ids):
    ids = sorted(ids)
    return [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]


def subject_facts_load(keys):
    """Return {key: SubjectFacts} for the subject keys (`subject_key`), in a few queries whatever their number."""
    facts = {key: SubjectFacts() for key in keys}
    person_ids = {key[1] for key in facts if key[0] == "person"}
    collective_ids = {key[1] for key in facts if key[0] == "collective"}
    # People and collectives together, a chunk of each per query (ordered by id, so each subject's rows are too).
    people, collectives = _chunks(person_ids), _chunks(collective_ids)
    for index in range(max(len(people), len(collectives))):
        chunk = {
            "person": set(people[index] if index < len(people) else ()),
            "collective": set(collectives[index] if index < len(collectives) else ()),
        }
        about = Q(person_id__in=chunk["person"]) | Q(collective_id__in=chunk["collective"])
        for row in AwardHistory.objects.filter(about).order_by("pk"):
            for kind in ("person", "collective"):
                if getattr(row, f"{kind}_id") in chunk[kind]:
                    facts[(kind, getattr(row, f"{kind}_id"))].history.append(row)
        about = Q(nominee__person_id__in=chunk["person"]) | Q(nominee__collective_id__in=chunk["collective"])
        rows = Nomination.objects.filter(about).order_by("pk")
        for person_id, collective_id, *values in rows.values_list(
            "nominee__person_id", "nominee__collective_id", *_NOMINATION_FACT_COLUMNS
        ):
            for kind, subject_id in (("person", person_id), ("collective", collective_id)):
                if subject_id in chunk[kind]:
                    facts[(kind, subject_id)].nominations.append(NominationFact(*values))
    for chunk in people:
        for record in DisciplineRecord.objects.filter(person_id__in=chunk).order_by("pk"):
            facts[("person", record.person_id)].discipline.append(record)
    return facts


@contextmanager
def subject_facts_preloaded(facts):
    """Within the block, the rules read the subjects in `facts` (from `subject_facts_load`) instead of querying:
    a list of nominations is checked in a few queries. Subjects not in `facts` are read as usual."""
    token = _preloaded.set(facts)
    try:
        yield
    finally:
        _preloaded.reset(token)


def _facts(nomination, *, history=False, discipline=False, nominations=False):
    """The facts of the nomination's subject that a rule needs (preloaded, or read now). Within one evaluation
    (`eligibility_evaluate`) each kind of fact is read at most once: the rules after the first that needs it
    read the same rows again from memory."""
    nominee = nomination.nominee
    key = subject_key(nominee)
    preloaded = _preloaded.get()
    if preloaded is not None and key in preloaded:
        return preloaded[key]
    read = _read.get()
    memo_key = key if key is not None else ("nominee", nominee.pk)
    if read is None:
        facts, loaded = SubjectFacts(), set()
    else:
        facts, loaded = read.setdefault(memo_key, (SubjectFacts(), set()))
    if key is None:
        # A nominee not linked to a record has no history; its nominations are its own row's.
        if nominations and nominee.pk and "nominations" not in loaded:
            rows = Nomination.objects.filter(nominee_id=nominee.pk).order_by("pk")
            facts.nominations = [NominationFact(*v) for v in rows.values_list(*_NOMINATION_FACT_COLUMNS)]
            loaded.add("nominations")
        return facts
    kind, subject_id = key
    if history and "history" not in loaded:
        facts.history = list(AwardHistory.objects.filter(**{f"{kind}_id": subject_id}).order_by("pk"))
        loaded.add("history")
    if discipline and kind == "person" and "discipline" not in loaded:
        facts.discipline = list(DisciplineRecord.objects.filter(person_id=subject_id).order_by("pk"))
        loaded.add("discipline")
    if nominations and "nominations" not in loaded:
        rows = Nomination.objects.filter(**{f"nominee__{kind}_id": subject_id}).order_by("pk")
        facts.nominations = [NominationFact(*v) for v in rows.values_list(*_NOMINATION_FACT_COLUMNS)]
        loaded.add("nominations")
    return facts


def _others(history, nomination):
    """Leave out the nomination's own history row (a saved nomination being re-checked before signing)."""
    return [row for row in history if not nomination.pk or row.nomination_id != nomination.pk]


def _merit_years(nomination, code):
    return {
        row.year
        for row in _facts(nomination, history=True).history
        if row.award_code == code and not row.is_ad_hoc and not row.is_revoked
    }


def _streak(rule, nomination, day):
    if nomination.is_ad_hoc:
        return None
    needed, label = rule.params["years"], rule.params["label"]
    if prerequisite_met(
        _merit_years(nomination, rule.params["prerequisite"]), nomination.period_year, needed
    ):
        return Result(
            rule.code,
            PASS,
            _("Có %(n)s năm liên tục đạt %(label)s.") % {"n": needed, "label": label},
            rule.basis,
        )
    return Result(
        rule.code,
        FAIL,
        _(
            "Cần %(n)s lần liên tục đạt %(label)s (không tính khen thưởng đột xuất); lịch sử khen thưởng chưa đủ."
        )
        % {"n": needed, "label": label},
        rule.basis,
    )


def _streak_or_judgement(rule, nomination, day):
    if nomination.is_ad_hoc or (rule.params.get("individual_only") and not nomination.nominee.person_id):
        return Result(
            rule.code,
            CONFIRM,
            _("Thành tích và điều kiện khen thưởng cần cán bộ thẩm định xác nhận."),
            rule.basis,
        )
    found = _streak(rule, nomination, day)
    if found.outcome == PASS:
        return found
    return Result(
        rule.code,
        CONFIRM,
        _(
            "Chưa có %(n)s năm liên tục đạt %(label)s: cần xác nhận điều kiện thay thế (hoàn thành xuất sắc nhiệm vụ "
            "kèm sáng kiến, hoặc thành tích đột xuất)."
        )
        % {"n": rule.params["years"], "label": rule.params["label"]},
        rule.basis,
    )


def _judgement(rule, nomination, day):
    return Result(
        rule.code,
        CONFIRM,
        _("%(question)s: cần xác nhận.") % {"question": rule.params["question"]},
        rule.basis,
    )


def _initiative_or_alternative(rule, nomination, day):
    if nomination.pk and nomination.files.filter(kind=DossierKind.INITIATIVE_CERTIFICATE).exists():
        return Result(rule.code, PASS, _("Có giấy chứng nhận sáng kiến."), rule.basis)
    return Result(
        rule.code,
        CONFIRM,
        _(
            "Không có giấy chứng nhận sáng kiến: cần xác nhận hoàn thành xuất sắc nhiệm vụ hoặc đề tài, giải pháp "
            "được công nhận."
        ),
        rule.basis,
    )


def _members(rule, nomination, day):
    members = list(nomination.members.all()) if nomination.pk else list(getattr(nomination, "_members", []))
    if not members:
        return Result(
            rule.code,
            CONFIRM,
            _("Chưa có danh sách thành viên của tập thể: cần xác nhận."),
            rule.basis,
            "members",
        )
    total = len(members)
    problems = []
    if rule.params.get("all_complete") and not all(m.completed_tasks for m in members):
        problems.append(_("không phải 100% thành viên hoàn thành nhiệm vụ"))
    advanced = sum(1 for m in members if m.is_advanced_worker)
    share = rule.params.get("advanced_share")
    if share and advanced * 100 < share * total:
        problems.append(
            _("chỉ %(n)s/%(total)s thành viên đạt Lao động tiên tiến (cần ít nhất %(share)s%%)")
            % {"n": advanced, "total": total, "share": share}
        )
    fighters = sum(1 for m in members if m.is_grassroots_emulation_fighter)
    if fighters < rule.params.get("min_fighters", 0):
        problems.append(_("không có thành viên đạt Chiến sĩ thi đua cơ sở"))
    ceiling = rule.params.get("max_discipline")
    if ceiling is not None and any((m.discipline_level or 0) > ceiling for m in members):
        problems.append(_("có thành viên bị kỷ luật từ cảnh cáo trở lên"))
    if problems:
        return Result(
            rule.code,
            FAIL,
            _("Tập thể chưa đạt: %(list)s.") % {"list": "; ".join(problems)},
            rule.basis,
            "members",
        )
    return Result(rule.code, PASS, _("Danh sách thành viên đạt tiêu chuẩn."), rule.basis, "members")


def _discipline(rule, nomination, day):
    person_id = nomination.nominee.person_id
    if not person_id:
        return None
    records = [r for r in _facts(nomination, discipline=True).discipline if r.is_in_effect(day)]
    if not records:
        return Result(rule.code, PASS, _("Không có kỷ luật đang có hiệu lực."), rule.basis, "nominee")
    return Result(
        rule.code,
        FAIL,
        _(
            "Đối tượng đang bị kỷ luật hoặc đang bị xem xét (điều tra, thanh tra, khiếu nại chưa giải quyết): chưa "
            "được đề nghị khen thưởng."
        ),
        rule.basis,
        "nominee",
    )


def _no_duplicate(rule, nomination, day):
    code, year = nomination.award_type.code, nomination.period_year
    facts = _facts(nomination, history=True, nominations=True)
    duplicate = any(
        other.award_code == code
        and other.period_year == year
        and other.pk != nomination.pk
        and other.status not in (Status.REJECTED, Status.NOT_APPROVED)
        for other in facts.nominations
    )
    held = any(
        row.award_code == code and row.year == year and not row.is_revoked
        for row in _others(facts.history, nomination)
    )
    if duplicate or held:
        return Result(
            rule.code,
            FAIL,
            _("Đối tượng này đã được đề nghị hoặc đã được tặng “%(award)s” năm %(year)s.")
            % {"award": nomination.award_type.name, "year": nomination.period_year},
            rule.basis,
            "nominee",
        )
    return Result(rule.code, PASS, _("Chưa được khen cho cùng thành tích, cùng năm."), rule.basis, "nominee")


def _other_round(other, round_id):
    """A nomination of another round (as SQL's exclude(round_id=...) reads it: no round is not another round of
    a nomination without one)."""
    return other.round_id is not None if round_id is None else other.round_id != round_id


def _once_ever(rule, nomination, day):
    code = nomination.award_type.code
    facts = _facts(nomination, history=True, nominations=True)
    before = any(row.award_code == code and not row.is_revoked for row in _others(facts.history, nomination))
    other = any(
        item.award_code == code
        and item.pk != nomination.pk
        and item.status not in (Status.REJECTED, Status.NOT_APPROVED, Status.REVOKED)
        and _other_round(item, nomination.round_id)
        for item in facts.nominations
    )
    if before or other:
        return Result(
            rule.code, FAIL, _("Danh hiệu này chỉ được tặng một lần cho mỗi người."), rule.basis, "nominee"
        )
    return Result(rule.code, PASS, _("Chưa được tặng danh hiệu này."), rule.basis, "nominee")


EVALUATORS = {
    "streak": _streak,
    "streak_or_judgement": _streak_or_judgement,
    "judgement": _judgement,
    "initiative_or_alternative": _initiative_or_alternative,
    "members": _members,
    "discipline": _discipline,
    "no_duplicate": _no_duplicate,
    "once_ever": _once_ever,
}


def eligibility_evaluate(nomination, day=None):
    """Return (rule set, [Result]) for `nomination` under the rules in force on `day` (default today)."""
    day = day or timezone.localdate()
    rule_set = rule_set_on(day)
    code = nomination.award_type.code
    results = []
    token = _read.set({})
    try:
        for rule in rule_set.rules:
            if rule.awards and code not in rule.awards:
                continue
            result = EVALUATORS[rule.kind](rule, nomination, day)
            if result is not None:
                results.append(result)
    finally:
        _read.reset(token)
    return rule_set, results


_RESULT_FIELDS = tuple(f.name for f in fields(Result))


def results_as_data(results):
    """The results as the JSON the nomination keeps: `dataclasses.asdict`'s dicts, built without its deep copy (the
    fields are strings; a batch step converts some 2,500 results)."""
    return [{name: getattr(result, name) for name in _RESULT_FIELDS} for result in results]

"""Profile the HTTP API's transitions in one process: per request SQL statements (by shape) and a pyinstrument tree.

    .venv/bin/python bench/profile_http.py -k 20                 # database `bench_route` (or DATABASE_URL)
    .venv/bin/python bench/profile_http.py -k 20 --sql           # also the statements of one route, by shape

Drives route.py's route (file, submit, review, appraise, [posting, vote], sign) through /api/v1/ with Django's test
client and real API tokens (knox, issued once per role), so the whole request path is measured — middleware, token
lookup, throttling, idempotency, parsing, the service, serialization — without gunicorn or sockets. Prints the
statements per request by transition next to the statements the service alone runs (route.py's "ours").
"""

import argparse
import re
import sys
import uuid
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, postings_close, setup  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-k", type=int, default=20)
    parser.add_argument("--db", default="bench_route")
    parser.add_argument("--sql", action="store_true")
    parser.add_argument(
        "--no-profile", action="store_true", help="CPU per request without the profiler's cost"
    )
    args = parser.parse_args(argv)
    setup(args.db)
    import time
    from types import SimpleNamespace

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from pyinstrument import Profiler

    from api.tokens import token_issue
    from bench import route
    from workflows.models import TaskScope
    from workflows.services import process_of

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    plan = route.cast(1)[0]
    User = get_user_model()
    clients = {}
    for role in ("clerk", "head", "district_reviewer", "province_reviewer", "secretary", "approver"):
        _instance, token = token_issue(user=User.objects.get(pk=plan[role]), client="profile_http")
        clients[role] = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT_LANGUAGE="vi")
    counts = defaultdict(list)
    cpu_ms = defaultdict(list)
    statements = []

    def log(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    def post(name, role, path, **kwargs):
        before, cpu_before = len(statements), time.process_time()
        response = clients[role].post(path, headers={"Idempotency-Key": str(uuid.uuid4())}, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"POST {path} as {role}: {response.status_code} {response.content[:300]}")
        if name:
            counts[name].append(len(statements) - before)
            cpu_ms[name].append((time.process_time() - cpu_before) * 1000)
        return response.json() if response.content else {}

    def task_of(nid):
        return (
            TaskScope.objects.filter(nomination_id=nid, is_open=True)
            .values_list("task_id", flat=True)
            .first()
        )

    tag = uuid.uuid4().hex[:6]

    def one(i):
        vote = i % route.VOTE_EVERY == route.VOTE_EVERY - 1
        nominee = (
            {"kind": "collective", "full_name": f"Tập thể prof {tag} {i}"}
            if vote
            else {
                "kind": "individual",
                "full_name": f"Trần Văn Prof {tag} {i}",
                "gender": "male",
                "birth_year": 1980,
            }
        )
        body = post(
            "file",
            "clerk",
            "/api/v1/nominations/",
            data={
                "movement": "dong_khoi_moi_2020_2025",
                "award_type": route.VOTED_AWARD if vote else "bang_khen_tinh",
                "content_areas": [],
                "unit": plan["commune_code"],
                "period_year": timezone.localdate().year,
                "achievements": "Hoàn thành xuất sắc nhiệm vụ năm.",
                "nominee": nominee,
            },
            content_type="application/json",
        )
        nid = body["id"]
        from django.core.files.uploadedfile import SimpleUploadedFile

        post(
            None,
            "clerk",
            f"/api/v1/nominations/{nid}/attachments/",
            data={
                "kind": "achievement_report",
                "file": SimpleUploadedFile("bao-cao.pdf", route.PDF, "application/pdf"),
            },
        )
        post("submit", "head", f"/api/v1/nominations/{nid}/submit/", content_type="application/json")
        post(
            "review",
            "district_reviewer",
            f"/api/v1/tasks/{task_of(nid)}/complete/",
            data={"action": "forward"},
            content_type="application/json",
        )
        post(
            "appraise",
            "province_reviewer",
            f"/api/v1/tasks/{task_of(nid)}/complete/",
            data={"action": "approve"},
            content_type="application/json",
        )
        if vote:
            postings_close([process_of(SimpleNamespace(pk=nid)).pk])
            post(
                "vote",
                "secretary",
                f"/api/v1/tasks/{task_of(nid)}/complete/",
                data={
                    "action": "record_vote",
                    "members_total": 15,
                    "members_present": 14,
                    "votes_for": 13,
                    "votes_against": 1,
                },
                content_type="application/json",
            )
        post(
            "sign",
            "approver",
            "/api/v1/decisions/",
            data={"nominations": [nid]},
            content_type="application/json",
        )

    with connection.execute_wrapper(log):
        for i in range(3):
            one(i)
        counts.clear()
        cpu_ms.clear()
        statements.clear()
        profiler = Profiler(interval=0.0005)
        started, cpu = time.perf_counter(), time.process_time()
        if not args.no_profile:
            profiler.start()
        for i in range(args.k):
            one(3 + i)
        if not args.no_profile:
            profiler.stop()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        requests = sum(len(v) for v in counts.values())
        print(
            f"{requests} timed requests in {wall:.2f} s (CPU {cpu * 1000 / requests:.1f} ms per request incl. "
            f"the untimed harness steps); SQL per request by transition:"
        )
        for name, values in counts.items():
            cpu_values = cpu_ms[name]
            print(
                f"  {name:10s} {sum(values) / len(values):6.1f} statements, "
                f"{sum(cpu_values) / len(cpu_values):6.1f} ms CPU"
            )
        print(f"  all        {sum(sum(v) for v in counts.values()) / requests:6.1f}")
        if not args.no_profile:
            print(profiler.output_text(unicode=True, color=False, show_all=False))
            (ROOT / "var").mkdir(exist_ok=True)
            (ROOT / "var/profile_http.html").write_text(profiler.output_html())
        if args.sql:
            statements.clear()
            one(10_000)
            shapes = Counter(
                re.sub(r"\"s\d+_x\d+\"", "sp", re.sub(r"\s+", " ", re.sub(r"%s(, %s)*", "?", s)))[:160]
                for s in statements
            )
            print(f"\n{len(statements)} statements for one route (incl. the untimed attachment); by shape:")
            for shape, count in shapes.most_common():
                print(f"{count:5d}  {shape}")


if __name__ == "__main__":
    main()

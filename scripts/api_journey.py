#!/usr/bin/env python3
"""Drive one nomination from filing to a signed decision through the REST API only (stdlib, no dependencies).

Usage:
    python scripts/api_journey.py http://127.0.0.1:8000 [--password Demo@2026] [--award bang_khen_tinh]
    python scripts/api_journey.py http://127.0.0.1:8000 --award co_thi_dua_tinh --kind collective  # stops at the posting

It needs a running server with the demo province (`manage.py seed_demo`) and uses the demo users:
    clerk              files the nomination for xã Định Thủy (BT.MCN.DINHTHUY) and uploads the dossier (PDF)
    head               submits it                                  POST /api/v1/nominations/{id}/submit/
    district_reviewer  forwards it at the district (BT.MCN)        POST /api/v1/tasks/{id}/complete/ forward
    province_reviewer  approves it at the province (BT)            POST /api/v1/tasks/{id}/complete/ approve
    secretary          records the council vote, if the award type needs one (record_vote)
    chairman           signs the decision                          POST /api/v1/decisions/
Each step prints what it did; writes carry an Idempotency-Key, so re-running a step after a network error is safe.
Exit status 0 when the nomination ends "awarded" with a decision number, 1 otherwise.
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import date

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ApiError(Exception):
    def __init__(self, method, path, status, body, retry_after=None):
        super().__init__(f"{method} {path} -> {status}: {body}")
        self.status, self.body, self.retry_after = status, body, retry_after


class Client:
    def __init__(self, base_url, token=None, language="vi"):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.language = language

    def request(self, method, path, payload=None, files=None, idempotency_key=None):
        headers = {"Accept": "application/json", "Accept-Language": self.language}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        data = None
        if files is not None:
            data, content_type = _multipart(payload or {}, files)
            headers["Content-Type"] = content_type
        elif payload is not None:
            data = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                body = response.read()
                return json.loads(body) if body else None
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace")
            raise ApiError(method, path, exc.code, body, exc.headers.get("Retry-After")) from None

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, payload=None, **kwargs):
        return self.request("POST", path, payload, **kwargs)


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def login(base_url, username, password, out):
    """Get a token; the token endpoint is throttled per client, so wait once for the window to reopen."""
    for attempt in range(2):
        try:
            token = Client(base_url).post("/api/v1/auth/token/", {"username": username, "password": password})
            break
        except ApiError as exc:
            if exc.status != 429 or attempt:
                raise
            wait = min(int(exc.retry_after or 60), 120)
            out(f"  token endpoint throttled, waiting {wait}s")
            time.sleep(wait)
    out(f"  {username}: token issued")
    return Client(base_url, token["token"])


def task_of(client, nomination_id, step):
    """Return the caller's open task of `step` for the nomination (following pagination)."""
    path = "/api/v1/tasks/?page_size=200"
    while path:
        page = client.get(path)
        for task in page["results"]:
            if task["nomination"] == nomination_id and task["step"] == step:
                return task
        path = page["next"] and page["next"][page["next"].index("/api/") :]
    raise SystemExit(f"No open '{step}' task for nomination #{nomination_id}.")


def complete(client, task, action, out, **fields):
    result = client.post(
        f"/api/v1/tasks/{task['id']}/complete/",
        {"action": action, **fields},
        idempotency_key=str(uuid.uuid4()),
    )
    out(
        f"  task #{task['id']} ({task['step']} at {task['unit']}): {action} -> {result['nomination']['status']}"
    )
    return result


def run(
    base_url, password="Demo@2026", award="bang_khen_tinh", kind="individual", out=print, wait_posting=None
):
    """Take one nomination from filing to a signed decision. An award with a public posting (the council-voted
    ones) waits for its window: `wait_posting(pk)` is called to let it run out (the CLI has none and stops)."""
    out(f"API journey against {base_url}")
    out("1. Tokens")
    users = {
        name: login(base_url, name, password, out)
        for name in ("clerk", "head", "district_reviewer", "province_reviewer", "secretary", "chairman")
    }

    out("2. Clerk files the nomination")
    run_id = uuid.uuid4().hex[:6]
    nomination = users["clerk"].post(
        "/api/v1/nominations/",
        {
            "movement": "dong_khoi_moi_2020_2025",
            "award_type": award,
            "content_areas": [],
            "unit": "BT.MCN.DINHTHUY",
            "period_year": date.today().year,
            "route": "standard",
            "achievements": "Hoàn thành xuất sắc nhiệm vụ; dẫn đầu phong trào thi đua của xã.",
            "nominee": {
                "kind": "individual",
                "full_name": f"Nguyễn Văn Thử {run_id}",
                "gender": "male",
                "birth_year": 1982,
                "position": "Phó Chủ tịch UBND xã",
            }
            if kind == "individual"
            else {"kind": kind, "full_name": f"Trường Tiểu học Định Thủy {run_id}"},
        },
    )
    pk = nomination["id"]
    out(
        f"  nomination #{pk}: {nomination['status']}, route {nomination['route_units']} -> "
        f"{nomination['deciding_unit']}"
    )
    kinds = ["achievement_report", "submission"]
    if award in ("chien_si_thi_dua_co_so", "chien_si_thi_dua_tinh"):
        kinds.append("initiative_certificate")
    for kind in kinds:
        attachment = users["clerk"].post(
            f"/api/v1/nominations/{pk}/attachments/",
            {"kind": kind},
            files={"file": (f"{kind}.pdf", PDF, "application/pdf")},
        )
        out(f"  attached {attachment['kind']}: {attachment['name']} ({attachment['size']} bytes)")

    out("3. Head submits")
    submitted = users["head"].post(f"/api/v1/nominations/{pk}/submit/", {}, idempotency_key=str(uuid.uuid4()))
    out(f"  #{pk}: {submitted['status']} at {submitted['current_unit']}")

    out("4. Reviews along the route")
    status = submitted["status"]
    while status == "in_review":
        status = complete(
            users["district_reviewer"], task_of(users["district_reviewer"], pk, "review"), "forward", out
        )["nomination"]["status"]
    status = complete(
        users["province_reviewer"], task_of(users["province_reviewer"], pk, "appraise"), "approve", out
    )["nomination"]["status"]
    if status == "posting":
        if wait_posting is None:
            raise SystemExit(
                f"Nomination #{pk} is publicly posted; the council votes once the window closes."
            )
        out("  public posting: waiting for the window to close")
        wait_posting(pk)
        status = users["province_reviewer"].get(f"/api/v1/nominations/{pk}/")["status"]
        out(f"  #{pk}: {status}")
    if status == "council":
        result = complete(
            users["secretary"],
            task_of(users["secretary"], pk, "tally_vote"),
            "record_vote",
            out,
            members_total=15,
            members_present=14,
            votes_for=13,
            votes_against=1,
        )
        status = result["nomination"]["status"]
    if status != "awaiting_signature":
        raise SystemExit(f"Nomination #{pk} is '{status}', not awaiting signature.")

    out("5. Chairman signs the decision")
    decision = users["chairman"].post(
        "/api/v1/decisions/", {"nominations": [pk]}, idempotency_key=str(uuid.uuid4())
    )
    signed_on = date.fromisoformat(decision["date"]).strftime("%d/%m/%Y")
    out(
        f"  decision {decision['number']} of {signed_on} ({decision['issuer']}), "
        f"total {decision['total_amount']} VND"
    )
    for item in decision["items"]:
        out(
            f"  certificate {item['serial']} for #{item['nomination']} {item['nominee']}: {item['amount']} VND"
        )

    out("6. Check")
    final = users["clerk"].get(f"/api/v1/nominations/{pk}/")
    events = users["clerk"].get(f"/api/v1/nominations/{pk}/audit/?page_size=200")
    out(
        f"  #{pk}: {final['status']}, decision {final['decision'] and final['decision']['number']}, "
        f"{events['count']} audit events"
    )
    return final["status"] == "awarded" and bool(final["decision"]), pk, decision


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8000")
    parser.add_argument("--password", default="Demo@2026")
    parser.add_argument("--award", default="bang_khen_tinh", help="award type code (DOMAIN.md §3)")
    parser.add_argument(
        "--kind",
        default="individual",
        choices=["individual", "collective", "household"],
        help="nominee kind (collective for e.g. co_thi_dua_tinh, which is posted, then voted)",
    )
    args = parser.parse_args(argv)
    try:
        ok, _, _ = run(args.base_url, password=args.password, award=args.award, kind=args.kind)
    except ApiError as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    print("OK: nomination awarded" if ok else "FAILED: nomination not awarded")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

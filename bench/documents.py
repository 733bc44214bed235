"""Rendering a large decision: the decision PDF (signed when the signer has a certificate), its .docx and one
certificate PDF per awardee, as the worker does after signing (`approvals.documents.decision_documents_render`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_documents \\
        .venv/bin/python bench/documents.py --nominees 500 [--no-sign]

Creates the demo province and catalogue in the database if missing (run `manage.py migrate` on it first), then a
decision of N nominees written directly (no workflow), and times the render. Target: ≤ 60 s for 500 on 2 cores.
"""

import argparse
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup  # noqa: E402


def build_decision(n, sign):
    import secrets

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from approvals.models import Certificate, Decision, SignerPosition
    from approvals.signing import demo_pki_install
    from nominations.models import AwardType, Nomination, Nominee
    from nominations.money import cash_for_nominations
    from organisation.models import Unit
    from workflows import demo

    if not Unit.objects.filter(code="BT").exists():
        demo.build()
    issuer = Unit.objects.get(code="BT")
    unit = Unit.objects.get(code="BT.MCN")
    user = get_user_model()
    chairman, clerk = user.objects.get(username="chairman"), user.objects.get(username="clerk")
    if sign:
        demo_pki_install(
            signers=[(chairman, issuer, SignerPosition.HEAD)], passphrase=secrets.token_urlsafe(12)
        )
    award = AwardType.version_on("bang_khen_tinh")
    with transaction.atomic():
        year = 2099
        last = Decision.objects.filter(issuer=issuer, year=year).order_by("-sequence").first()
        sequence = (last.sequence if last else 0) + 1
        nominees = Nominee.objects.bulk_create(
            Nominee(
                kind="collective" if i % 5 == 0 else "individual",
                full_name=f"Nguyễn Văn Thử {sequence}-{i}",
                name_folded=f"nguyen van thu {sequence}-{i}",
                position="Chuyên viên",
                unit=unit,
            )
            for i in range(n)
        )
        nominations = Nomination.objects.bulk_create(
            Nomination(
                nominee=nominee,
                unit=unit,
                award_type=award,
                period_year=2025,
                deciding_unit=issuer,
                achievements="Hoàn thành xuất sắc nhiệm vụ năm 2025, dẫn đầu phong trào thi đua của đơn vị.",
                created_by=clerk,
                status="awarded",
            )
            for nominee in nominees
        )
        day = __import__("datetime").date(year, 1, 5)
        cash = cash_for_nominations(nominations, day)
        decision = Decision.objects.create(
            issuer=issuer,
            year=year,
            sequence=sequence,
            number=f"{sequence:02d}/QĐ-UBND",
            title="Về việc khen thưởng (bench)",
            signed_on=day,
            signer=chairman,
            total_amount=sum((c.amount for c in cash.values()), Decimal(0)),
            base_salary=Decimal("2340000"),
        )
        Certificate.objects.bulk_create(
            Certificate(
                decision=decision,
                nomination=nomination,
                amount=cash[nomination.pk].amount,
                amount_basis=cash[nomination.pk].basis,
                serial=f"BENCH-{sequence}-{i:04d}",
                verification_code=secrets.token_hex(10),
            )
            for i, nomination in enumerate(nominations, start=1)
        )
    return decision


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominees", type=int, default=500)
    parser.add_argument("--no-sign", action="store_true")
    parser.add_argument("--db", default="bench_documents")
    args = parser.parse_args()
    setup(default_db=args.db)

    from approvals import documents
    from approvals.models import Decision

    decision = build_decision(args.nominees, sign=not args.no_sign)
    started, cpu = time.perf_counter(), time.process_time()
    stored = documents.decision_documents_render(decision.pk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    decision = Decision.objects.get(pk=decision.pk)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| nominees | files stored | wall s | CPU s (this process) | signed | max RSS MiB |")
    print("|---:|---:|---:|---:|:---:|---:|")
    print(
        f"| {args.nominees} | {len(stored)} | {elapsed:.1f} | {cpu:.1f} | "
        f"{'yes' if decision.is_digitally_signed else 'no'} | {rss:.0f} |"
    )


if __name__ == "__main__":
    main()

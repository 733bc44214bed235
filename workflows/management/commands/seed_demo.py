import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from approvals.models import SignerPosition
from approvals.signing import demo_pki_install
from audit.context import origin
from organisation.models import Membership, Role
from workflows import demo


class Command(BaseCommand):
    help = "Create the demo province (three-tier Bến Tre 2020 and a two-tier 2025 province) and demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--awards",
            action="store_true",
            help=f"Also award the demo set of {demo.DEMO_REPORT_YEAR} (for the reports); run once on a fresh database.",
        )
        parser.add_argument(
            "--movement",
            action="store_true",
            help="Also a full year of the movement “Đồng khởi mới 2026–2030” (launch, registrations, results, "
            "exemplary models, cluster scoring, the review at 17/1 and the Cờ thi đua proposal); run before "
            "--with-2025-reorganisation.",
        )
        parser.add_argument(
            "--with-2025-reorganisation",
            action="store_true",
            dest="history",
            help="Thêm lịch sử Bến Tre 2024 (quyết định đã ký, đề nghị đang xử lý) rồi sắp xếp 1/7/2025 vào Vĩnh "
            "Long: các tài khoản Bến Tre chuyển sang Vĩnh Long, cấp huyện giải thể.",
        )

    def handle(self, history=False, **options):
        with origin("cli"), transaction.atomic():
            demo.build(stdout=self.stdout)
            # A demo CA and one PKCS#12 per approver, so the embedded run signs decisions out of the box.
            approvers = Membership.objects.filter(role=Role.APPROVER, revoked_at=None).select_related(
                "user", "unit"
            )
            created = demo_pki_install(
                signers=[(m.user, m.unit, SignerPosition.HEAD) for m in approvers],
                passphrase=secrets.token_urlsafe(16),
            )
            if created:
                self.stdout.write(f"Demo CA and {created} signer certificates created (NOT for real use).")
            if options["awards"]:
                decisions = demo.seed_awards()
                demo.seed_statistics()
                self.stdout.write(f"Demo awards: {', '.join(d.number for d in decisions)}.")
            if options["movement"]:
                demo.seed_movement(stdout=self.stdout)
            if history:
                demo.history(stdout=self.stdout)
        self.stdout.write(f"Demo logins (password {demo.DEMO_PASSWORD}):")
        for username, role, code, full_name in demo.USERS:
            self.stdout.write(f"  {username:18} {role:18} {code:24} {full_name}")
        self.stdout.write(f"  {'outsider':18} (no role)")
        if options["movement"]:
            for username, role, code, full_name in demo.MOVEMENT_USERS:
                self.stdout.write(f"  {username:18} {role:18} {code:24} {full_name}")

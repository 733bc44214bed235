from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from audit.context import origin
from organisation.models import Role, Unit
from organisation.services import membership_revoke


class Command(BaseCommand):
    help = "Take ROLE at UNIT_CODE away from USERNAME (idempotent); access ends at once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help=", ".join(Role.values))
        parser.add_argument("unit_code")

    def handle(self, username, role, unit_code, **options):
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}. Roles: {', '.join(Role.values)}.")
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"Unknown unit code {unit_code!r}.")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Unknown user {username!r}.")
        with origin("cli"):
            count = membership_revoke(user=user, unit=unit, role=role)
        self.stdout.write(f"{username}: {role} at {unit_code} {'revoked' if count else 'was not held'}.")

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.context import origin
from organisation.models import Role, Unit
from organisation.services import membership_grant


class Command(BaseCommand):
    help = "Give USERNAME the ROLE at UNIT_CODE, creating the user when missing (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", help=", ".join(Role.values))
        parser.add_argument("unit_code")
        parser.add_argument("--password", help="set this password (for a new or existing user)")
        parser.add_argument("--full-name", default="", help="the user's display name")
        parser.add_argument("--email", default="")

    def handle(self, username, role, unit_code, password=None, full_name="", email="", **options):
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}. Roles: {', '.join(Role.values)}.")
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"Unknown unit code {unit_code!r}.")
        User = get_user_model()
        with origin("cli"), transaction.atomic():
            user, created = User.objects.get_or_create(username=username, defaults={"email": email})
            if full_name:
                first, _, last = full_name.rpartition(" ")
                user.first_name, user.last_name = first, last
            if password:
                user.set_password(password)
            elif created:
                user.set_unusable_password()
            user.save()
            try:
                _, granted = membership_grant(user=user, unit=unit, role=role)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages))
        state = "granted" if granted else "already held"
        self.stdout.write(f"{username}: {role} at {unit_code} {state}{' (new user)' if created else ''}.")

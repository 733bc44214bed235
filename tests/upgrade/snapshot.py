"""Print, as JSON, what an upgrade must keep: row counts of the key tables, content types and permissions by id.

Raw SQL on table names only, so the same file runs in the previous main's tree (copied there) and in this one.
"""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402

# The moved models' tables, what hangs on units (grants, tasks, decisions) and the audit log.
TABLES = [
    "approvals_unit",
    "approvals_membership",
    "approvals_council",
    "auth_group",
    "auth_user_groups",
    "guardian_groupobjectpermission",
    "guardian_userobjectpermission",
    "nominations_nomination",
    "nominations_nominationgroupobjectpermission",
    "nominations_honourround",
    "approvals_reviewrecord",
    "approvals_posting",
    "approvals_postingfeedback",
    "approvals_voterecord",
    "approvals_decision",
    "approvals_decisioncounter",
    "approvals_certificate",
    "viewflow_process",
    "viewflow_task",
    "workflows_taskscope",
    "audit_event",
    "audit_chainhead",
]


def main():
    with connection.cursor() as cursor:
        rows = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            rows[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT owner_permission, COUNT(*) FROM viewflow_task WHERE owner_permission <> '' "
            "GROUP BY owner_permission"
        )
        task_permissions = dict(cursor.fetchall())
        cursor.execute("SELECT id, app_label, model FROM django_content_type")
        content_types = {str(pk): f"{app_label}.{model}" for pk, app_label, model in cursor.fetchall()}
        cursor.execute("SELECT id, content_type_id, codename FROM auth_permission")
        permissions = {
            str(pk): [content_type_id, codename] for pk, content_type_id, codename in cursor.fetchall()
        }
    return {
        "vendor": connection.vendor,
        "rows": rows,
        "task_permissions": task_permissions,
        "content_types": content_types,
        "permissions": permissions,
    }


if __name__ == "__main__":
    print("UPGRADE-SNAPSHOT " + json.dumps(main()))

"""Worker processes for parallel verification on PostgreSQL.

Children are spawned, not forked: a forked child inherits the parent's open sockets (database, Celery broker
pools) and library after-fork hooks may block on them. A spawned child sets Django up afresh, connects with the
parent's database settings and joins the parent's exported snapshot, so all workers read the same log.
"""

import os


def child_init(settings_module, database):
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"].update(database)


def verify_span(job):
    from audit.verify import _verify_span_in_snapshot

    return _verify_span_in_snapshot(*job)

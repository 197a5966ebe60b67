"""Probe endpoints for platforms and load balancers.

/healthz: the process is alive and answers. It touches no database, so a
database outage never gets healthy web processes restarted.
/readyz: the process can serve real pages: the database answers and has every
migration this code expects. 503 with a short JSON reason otherwise.
"""

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
@require_safe
def readyz(request):
    try:
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        logger.warning("readyz: database unreachable: %s", first_line)
        return unavailable("database unreachable")
    if unapplied:
        return unavailable(f"unapplied migrations: {len(unapplied)}")
    return JsonResponse({"status": "ok"})


def unavailable(reason):
    return JsonResponse({"status": "unavailable", "reason": reason}, status=503)

"""How many PostgreSQL connections a deployment can hold at once, against the plan's limit.

With persistent connections (CONN_MAX_AGE) every gunicorn thread keeps one open, so
a web dyno holds WEB_CONCURRENCY x GUNICORN_THREADS; the release phase and each
one-off dyno (`heroku run`) hold one more. With preboot (`heroku features:enable preboot`), a
deploy starts the new web dynos while the old ones still serve, for minutes: both sets hold
connections at once (the release phase has finished by then). Workers and threads are read from
gunicorn.conf.py itself, under the current environment.
"""

import runpy

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Heroku Postgres essential-0, the smallest plan, allows 20 connections.
HEROKU_ESSENTIAL_0_LIMIT = 20


def gunicorn_concurrency():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    return int(config["workers"]), int(config.get("threads", 1))


class Command(BaseCommand):
    help = "Print the database connection budget; fail when it exceeds the plan's limit."

    def add_arguments(self, parser):
        parser.add_argument("--dynos", type=int, default=1, help="web dynos (default 1)")
        parser.add_argument(
            "--one-off", type=int, default=1, help="one-off dynos at a time (default 1)"
        )
        parser.add_argument(
            "--preboot",
            action="store_true",
            help="preboot is on: old and new web dynos overlap during a deploy",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=HEROKU_ESSENTIAL_0_LIMIT,
            help=f"the plan's connection limit (default {HEROKU_ESSENTIAL_0_LIMIT}: essential-0)",
        )

    def handle(self, *args, dynos, one_off, preboot, limit, **options):
        workers, threads = gunicorn_concurrency()
        web = dynos * workers * threads
        release = 1
        lines = [f"web dynos      {dynos} x {workers} workers x {threads} threads = {web}"]
        if preboot:
            lines.append(f"preboot        {web} more: old and new web dynos overlap in a deploy")
            lines.append(f"release phase  {release} (done before the new web dynos start)")
        else:
            lines.append(f"release phase  {release}")
        total = web + max(release, web if preboot else 0) + one_off
        lines += [f"one-off dynos  {one_off}", f"total          {total} of {limit} allowed"]
        self.stdout.write("\n".join(lines))
        if total > limit:
            raise CommandError(
                f"{total} connections exceed the limit of {limit} by {total - limit}: lower "
                "WEB_CONCURRENCY or GUNICORN_THREADS, run fewer dynos, or use a larger plan"
            )

"""make bench: speed, scaling, size and start-up of the production image, with ceilings.

The machine is shared and noisy, so every figure that matters is a ratio of measurements
taken side by side: the servers of a comparison run at the same time and wrk visits them
in turn, round after round; a ratio is the median of its per-round ratios.

- The guestbook page (1,000 entries seeded) under this project's configuration, in a
  dyno-shaped container (512 MB), against two ceilings under the same gunicorn configuration
  (a bare WSGI callable running the page's own SQL on one persistent connection per thread,
  and one that touches no database; both answer the page's bytes), against two alternatives
  (gunicorn's defaults, `gunicorn mysite.wsgi`, and Heroku getting-started's gunicorn
  configuration), and against itself with Django's `SELECT 1` health check; at 16, 64 and
  256 connections.
- The page with 1,000,000 entries beside the page with 1,000, and both query plans.
- What each middleware and setting costs a request, and a profile (bench/costs.py).
- The hashed stylesheet, gzip and plain, against its own ceilings and against nginx.
- The image's size and build times, start-up and shutdown, memory under load.

wrk reaches the containers by their address on a network the bench makes (as Heroku's
router reaches a dyno), not through Docker's port proxy, which would slow every server
alike and flatter the ratios. Results go to docs/benchmarks/ and the README.
"""

import contextlib
import datetime
import json
import os
import platform
import re
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench import report
from tests.support import docker, waiting
from tests.support.environment import PYTHON, REPO, SITE_HOST, new_secret_key
from tests.support.postgres import PASSWORD, USER, postgres

# Concurrent connections: PRIMARY for the side-by-side comparison, LEVELS for scaling.
PRIMARY = 16
LEVELS = (16, 64, 256)
SEEDED_ENTRIES = 1_000
LARGE_ENTRIES = 1_000_000
STARTS = 5
# A dyno's memory (Basic and Standard-1X: 512 MB), for every server the page runs on.
DYNO = ["--memory", "512m"]
# Shorter runs for a quick look: BENCH_ROUNDS=1 BENCH_ROUND_SECONDS=3 make bench
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "8"))
ROUND_SECONDS = int(os.environ.get("BENCH_ROUND_SECONDS", "3"))
IMAGE = "mysite-bench:latest"
BENCH = REPO / "bench"
PROXIED = {"Host": SITE_HOST, "X-Forwarded-Proto": "https"}
GZIP = {**PROXIED, "Accept-Encoding": "br, gzip"}
# Headers gunicorn writes itself, so a ceiling must not repeat them.
SERVER_HEADERS = {"date", "server", "connection", "transfer-encoding", "keep-alive"}
# The configurations measured at every level; the others only at PRIMARY.
SCALED = ("page", "page_db_ceiling", "page_gunicorn_defaults", "page_heroku_config")


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- load ------------------------------------------------------------------------------


def wrk(url, headers, seconds, connections):
    """One wrk run: requests/s, mean, p50 and p99 latency in ms, errors (socket + non-2xx/3xx)."""
    command = ["wrk", "--threads", "2", "--connections", str(connections)]
    command += ["--duration", f"{seconds}s", "--timeout", "5s", "--latency"]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    mean = re.search(r"^\s+Latency\s+([\d.]+\w+)", output, re.MULTILINE).group(1)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "mean_ms": milliseconds(mean),
        "p50_ms": milliseconds(latency["50"]),
        "p99_ms": milliseconds(latency["99"]),
        "errors": (sum(map(int, socket_errors.groups())) if socket_errors else 0)
        + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def milliseconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def compare(targets, pairs=()):
    """Measure targets side by side: a warm-up each, then ROUNDS rounds. In a round, the two
    targets of each pair are measured back to back (in turns which goes first), so their ratio
    is of measurements moments apart; the other targets once each. targets is {key: (url,
    headers, connections, parts)}, parts {part: container} whose CPU time per request is taken
    from its cgroup: a figure the machine's noise barely moves, unlike requests/s. Returns
    {key: median figures, summed errors, when each run ran} and {"a / b": the median ratio}."""
    for url, headers, connections, _ in targets.values():
        wrk(url, headers, WARMUP_SECONDS, connections)
    paired = {key for pair in pairs for key in pair}
    runs = {key: [] for key in targets}
    ratios = {pair: [] for pair in pairs}
    for number in range(ROUNDS):
        for pair in pairs:
            for key in pair if number % 2 == 0 else reversed(pair):
                runs[key].append(measure(targets[key]))
            ratios[pair].append(runs[pair[0]][-1]["requests_per_second"]
                                / runs[pair[1]][-1]["requests_per_second"])  # fmt: skip
        for key in targets.keys() - paired:
            runs[key].append(measure(targets[key]))
    results = {}
    for key, key_runs in runs.items():
        names = [name for name in key_runs[0] if name not in ("errors", "window")]
        results[key] = {
            name: round(statistics.median(run[name] for run in key_runs), 2) for name in names
        }
        results[key]["errors"] = sum(run["errors"] for run in key_runs)
        results[key]["windows"] = [run["window"] for run in key_runs]
    medians = {f"{label(a)} / {label(b)}": round(statistics.median(values), 3)
               for (a, b), values in ratios.items()}  # fmt: skip
    return results, medians


def label(key):
    """A target's name in the published ratios: page@16 for ("page", 16)."""
    return key if isinstance(key, str) else f"{key[0]}@{key[1]}"


def measure(target):
    """One wrk run of a target, with the CPU its parts spent per request."""
    url, headers, connections, parts = target
    for container in parts.values():
        idle(container)
    before = {part: cpu_seconds(container) for part, container in parts.items()}
    started = time.monotonic()
    run = wrk(url, headers, ROUND_SECONDS, connections)
    run["window"] = (started, time.monotonic())
    served = run["requests_per_second"] * ROUND_SECONDS
    for part, container in parts.items():
        spent = cpu_seconds(container) - before[part]
        run[f"{part}_cpu_us"] = round(spent / served * 1e6, 1) if served else 0.0
    return run


def published(figures):
    """Figures as published: without the times their rounds ran."""
    return {name: {k: v for k, v in f.items() if k != "windows"} for name, f in figures.items()}


def idle(container, share=0.05, timeout=15):
    """Wait until the container uses under `share` of a core: a run at many connections leaves
    requests queued that the server still answers after wrk has stopped counting, and the next
    run must not share the machine with them."""

    def quiet():
        before = cpu_seconds(container)
        time.sleep(0.2)
        return cpu_seconds(container) - before < share * 0.2

    waiting.until(quiet, timeout, interval=0, what=f"{container.name} to go quiet")


def cpu_seconds(container):
    """CPU time the container has used, from its cgroup (v1 or v2, either cgroup driver)."""
    full_id = docker.docker("inspect", "--format", "{{.Id}}", container.name).stdout.strip()
    v1 = Path(f"/sys/fs/cgroup/cpuacct/docker/{full_id}/cpuacct.usage")
    if v1.exists():
        return int(v1.read_text()) / 1e9
    for v2 in (f"/sys/fs/cgroup/system.slice/docker-{full_id}.scope/cpu.stat",
               f"/sys/fs/cgroup/docker/{full_id}/cpu.stat"):  # fmt: skip
        if Path(v2).exists():
            usage = re.search(r"usage_usec (\d+)", Path(v2).read_text()).group(1)
            return int(usage) / 1e6
    raise RuntimeError(f"no cgroup CPU figures for {container.name}")


# --- servers ---------------------------------------------------------------------------


class Server:
    """A container on the bench's network, reached at its own address; removed on exit."""

    def __init__(self, network, command=(), env=None, options=(), image=IMAGE, port=8000):
        arguments = ["--network", network, *options]
        for name, value in (env or {}).items():
            arguments += ["--env", f"{name}={value}"]
        self.started = time.monotonic()
        self.container = docker.Container.run(image, *command, options=arguments)
        self.address = address_of(self.container, network)
        self.url = f"http://{self.address}:{port}"

    def answers(self, path):
        # Refused, reset or slow to answer: a server that is still starting.
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            return requests.get(self.url + path, headers=PROXIED, timeout=2).status_code == 200
        return False

    def wait(self, path="/healthz", timeout=60):
        """Seconds from `docker run` to the first 200 on path."""
        return waiting.seconds_until(
            lambda: self.answers(path), timeout, interval=0.02, since=self.started,
            what=lambda: f"{self.container.name} to serve {path}:\n{self.container.logs()}",
        )  # fmt: skip

    def stop(self):
        started = time.monotonic()
        docker.docker("stop", "--time", "30", self.container.name)
        return time.monotonic() - started

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.container.remove()


def address_of(container, network):
    template = f'{{{{(index .NetworkSettings.Networks "{network}").IPAddress}}}}'
    return docker.docker("inspect", "--format", template, container.name).stdout.strip()


@contextlib.contextmanager
def memory_samples(container):
    """(time, MB) samples of the container's memory (cgroup usage without page cache), taken
    every quarter second while the block runs."""
    samples, stop = [], threading.Event()

    def sample():
        while not stop.is_set():
            usage = docker.docker(
                "stats", "--no-stream", "--format", "{{.MemUsage}}", container.name, check=False
            ).stdout
            match = re.match(r"([\d.]+)(KiB|MiB|GiB)", usage.strip())
            if match:
                scale = {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[match.group(2)]
                samples.append((time.monotonic(), float(match.group(1)) * scale))
            time.sleep(0.25)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield samples
    finally:
        stop.set()
        thread.join()


def peak_during(samples, windows):
    inside = [mb for at, mb in samples if any(start <= at <= end for start, end in windows)]
    return round(max(inside), 1) if inside else None


def record(url, headers, data, name):
    """Save a real response (body and headers) for a ceiling to answer; return its body."""
    response = requests.get(url, headers=headers, timeout=10, stream=True)
    body = response.raw.read(decode_content=False)
    assert response.status_code == 200, response.status_code
    recorded = [
        [header, value]
        for header, value in response.raw.headers.items()
        if header.lower() not in SERVER_HEADERS
    ]
    (data / f"{name}.body").write_bytes(body)
    (data / f"{name}.headers.json").write_text(json.dumps(recorded))
    return body


def ceiling(network, mounts, name, module="ceiling", env=None):
    """A bare WSGI callable (bench/<module>.py) answering the response recorded as `name`,
    under the project's gunicorn configuration (gunicorn.conf.py, read from /app as always)."""
    env = {
        "PYTHONPATH": "/bench",
        "CEILING_BODY": f"/bench-data/{name}.body",
        "CEILING_HEADERS": f"/bench-data/{name}.headers.json",
        "CEILING_SQL": "/bench-data/page.sql",
        **(env or {}),
    }
    return Server(network, ["gunicorn", f"{module}:application"], env, [*mounts, *DYNO])


# --- the image -------------------------------------------------------------------------


def image_size_mb(tag):
    return int(docker.docker("image", "inspect", "--format", "{{.Size}}", tag).stdout) / 1e6


def timed_build(tag, context, *extra):
    started = time.monotonic()
    docker.build(tag, context=context, extra=extra)
    return round(time.monotonic() - started, 1)


def build_figures(workdir):
    """Cold build time, rebuild time after a one-line code change, size over the base."""
    log("cold build (no cache)")
    cold = timed_build(IMAGE, REPO, "--no-cache")
    context = workdir / "context"
    shutil.copytree(
        REPO, context, ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "docs")
    )
    timed_build("mysite-bench-rebuild:latest", context)  # the cache now matches this tree
    with (context / "guestbook" / "views.py").open("a") as views:
        views.write(f"\n# a one-line code change {time.time()}\n")
    log("rebuild after a one-line code change")
    rebuild = timed_build("mysite-bench-rebuild:latest", context)
    docker.docker("image", "rm", "mysite-bench-rebuild:latest", check=False)
    size, base = image_size_mb(IMAGE), image_size_mb(docker.base_image())
    return {
        "image_mb": round(size, 1),
        "base_mb": round(base, 1),
        "over_base_mb": round(size - base, 1),
        "cold_build_s": cold,
        "code_rebuild_s": rebuild,
    }


# --- the database ----------------------------------------------------------------------

# The seeded rows: a second apart, newest last, as signatures arrive.
SEED = (
    "INSERT INTO guestbook_entry (name, message, created_at) "
    "SELECT 'Signer ' || n, 'Entry number ' || n || ', thank you for a lovely evening.', "
    "now() - make_interval(secs => {count} - n) FROM generate_series(1, {count}) AS n"
)

# The page's SQL as the page itself sends it, captured from a request in the running image.
CAPTURE_PAGE_SQL = f"""
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
with CaptureQueriesContext(connection) as queries:
    page = Client(headers={{"host": "{SITE_HOST}", "x-forwarded-proto": "https"}}).get("/")
assert page.status_code == 200, page.status_code
print(*[query["sql"] for query in queries.captured_queries if "guestbook_entry" in query["sql"]])
"""


def migrate(network, database_url):
    env = ["--env", f"DATABASE_URL={database_url}", "--env", f"SECRET_KEY={new_secret_key()}",
           "--env", f"ALLOWED_HOSTS={SITE_HOST}"]  # fmt: skip
    docker.docker("run", "--rm", "--network", network, *env, IMAGE,
                  "python", "manage.py", "migrate", "--noinput", "-v", "0")  # fmt: skip


def seed(database, name, count):
    database.psql(SEED.format(count=count), name)
    database.psql("VACUUM ANALYZE guestbook_entry", name)


def page_sql(server):
    sql = server.container.exec("python", "manage.py", "shell", "-v", "0", "-c", CAPTURE_PAGE_SQL)
    return sql.stdout.strip()


def query_plan(database, name, sql):
    return database.psql(f"EXPLAIN {sql}", name)


# --- the measurements ------------------------------------------------------------------


def stylesheet(server, data):
    """The hashed stylesheet's URL; its file and gzip file copied out of the image (for nginx)."""
    page = requests.get(server.url + "/", headers=PROXIED, timeout=10).text
    url = re.search(r'href="(/static/guestbook/style\.[0-9a-f]{12}\.css)"', page).group(1)
    target = data / url.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".gz"):
        source = f"{server.container.name}:/app/staticfiles{url.removeprefix('/static')}{suffix}"
        docker.docker("cp", source, str(target) + suffix)
    return url


def page_servers(stack, network, env, mounts, data):
    """The page under each configuration, every one in a dyno-shaped container, serving."""
    alternatives = {
        "page_gunicorn_defaults": ["gunicorn", "--config", "/dev/null", "--bind", "0.0.0.0:8000",
                                   "mysite.wsgi"],
        "page_heroku_config": ["gunicorn", "--config",
                               "/bench/gunicorn_heroku_getting_started.py", "mysite.wsgi"],
        "page_select_1": ["gunicorn", "stock_health_check:application"],
    }  # fmt: skip
    # The same image with gunicorn's threaded worker: what holding slow clients costs a request.
    gthread = {"GUNICORN_CMD_ARGS": "--worker-class gthread"}
    servers = {"page": stack.enter_context(Server(network, env=env, options=DYNO))}
    servers["page"].wait()
    body = record(servers["page"].url + "/", PROXIED, data, "page")
    assert body.count(b'class="entry"') == 20
    (data / "page.sql").write_text(page_sql(servers["page"]))
    database_env = {"DATABASE_URL": env["DATABASE_URL"]}
    servers["page_db_ceiling"] = stack.enter_context(
        ceiling(network, mounts, "page", "ceiling_database", database_env)
    )
    servers["page_ceiling"] = stack.enter_context(ceiling(network, mounts, "page"))
    for name, command in alternatives.items():
        options = [*mounts, *DYNO]
        bench_env = {**env, "PYTHONPATH": "/bench"}
        servers[name] = stack.enter_context(Server(network, command, bench_env, options))
    servers["page_gthread"] = stack.enter_context(Server(network, env={**env, **gthread},
                                                         options=DYNO))  # fmt: skip
    for name, server in servers.items():
        server.wait("/" if "ceiling" in name else "/healthz")
    return servers


def measure_page(servers, database):
    """The page's configurations at PRIMARY connections, each back to back with this project's
    page; the SCALED ones at every level too, this project's paired with itself at PRIMARY;
    the page's container memory at each level."""
    targets = {}
    for level in LEVELS:
        for name in servers if level == PRIMARY else SCALED:
            parts = {"app": servers[name].container, "db": database.container}
            targets[(name, level)] = (servers[name].url + "/", PROXIED, level, parts)
    ours = ("page", PRIMARY)
    pairs = [(ours, (name, PRIMARY)) for name in servers if name != "page"]
    pairs += [(("page", level), ours) for level in LEVELS if level != PRIMARY]
    log(f"the guestbook page: {len(targets)} configurations and levels, {len(pairs)} pairs")
    with memory_samples(servers["page"].container) as samples:
        figures, ratios = compare(targets, pairs)
    memory = {str(level): peak_during(samples, figures[("page", level)]["windows"])
              for level in LEVELS}  # fmt: skip
    page = {str(level): {} for level in LEVELS}
    for (name, level), measured in published(figures).items():
        page[str(level)][name] = measured
    return {"page": page, "memory_peak_mb": memory, "ratios": ratios}


def measure_data(stack, network, env, database, small, data):
    """The page with LARGE_ENTRIES beside the page with SEEDED_ENTRIES, and both plans."""
    large_name = database.create_database()
    large_url = database.url(large_name)
    migrate(network, large_url)
    log(f"seeding {LARGE_ENTRIES:,} entries")
    seed(database, large_name, LARGE_ENTRIES)
    large = stack.enter_context(Server(network, env={**env, "DATABASE_URL": large_url},
                                       options=DYNO))  # fmt: skip
    large.wait()
    sql = (data / "page.sql").read_text()
    log(f"the page with {SEEDED_ENTRIES:,} and with {LARGE_ENTRIES:,} entries")
    figures, ratios = compare({
        "entries_small": (small.url + "/", PROXIED, PRIMARY, {"app": small.container,
                                                               "db": database.container}),
        "entries_large": (large.url + "/", PROXIED, PRIMARY, {"app": large.container,
                                                               "db": database.container}),
    }, [("entries_large", "entries_small")])  # fmt: skip
    return {
        "ratios": ratios,
        "data": published(figures),
        "plans": {
            "entries_small": query_plan(database, USER, sql),
            "entries_large": query_plan(database, large_name, sql),
        },
    }


def measure_static(stack, network, mounts, data, page):
    """The stylesheet through WhiteNoise, against its ceilings and nginx."""
    static_url = stylesheet(page, data)
    record(page.url + static_url, GZIP, data, "static_compressed")
    record(page.url + static_url, PROXIED, data, "static_plain")
    static = {"static_compressed": (page, GZIP), "static_plain": (page, PROXIED)}
    for kind in ("static_compressed", "static_plain"):
        server = stack.enter_context(ceiling(network, mounts, kind))
        server.wait(static_url)
        static[f"{kind}_ceiling"] = (server, PROXIED)
    nginx = stack.enter_context(nginx_server(network, data))
    nginx.wait(static_url)
    static["static_compressed_nginx"] = (nginx, {"Accept-Encoding": "br, gzip"})
    static["static_plain_nginx"] = (nginx, {})
    log("the stylesheet: WhiteNoise, its ceilings, nginx")
    pairs = [
        (f"{kind}{served_by}", f"{kind}_ceiling")
        for kind in ("static_compressed", "static_plain")
        for served_by in ("", "_nginx")
    ]
    figures, ratios = compare({
        name: (server.url + static_url, headers, PRIMARY, {"app": server.container})
        for name, (server, headers) in static.items()
    }, pairs)  # fmt: skip
    results = {"static": published(figures), "ratios": ratios}
    headers = requests.get(page.url + static_url, headers=GZIP, timeout=10).headers
    results["static_headers"] = {
        "content_encoding": headers.get("Content-Encoding", ""),
        "cache_control": headers.get("Cache-Control", ""),
    }
    return results


@contextlib.contextmanager
def nginx_server(network, data):
    """nginx (the router image's) serving the stylesheet straight from disk."""
    image = docker.unique("mysite-bench-nginx") + ":latest"
    docker.build(image, context=REPO / "router")
    try:
        mounts = ["--volume", f"{BENCH}:/bench:ro", "--volume", f"{data}:/static:ro"]
        command = ["nginx", "-c", "/bench/nginx_static.conf", "-g", "daemon off;"]
        with Server(network, command, options=mounts, image=image) as server:
            yield server
    finally:
        docker.docker("image", "rm", image, check=False)


def measure_costs(network, database):
    """bench/costs.py on this machine's Python, against the bench's database, over TLS."""
    log("what each middleware and setting costs a request; a profile")
    url = f"postgres://{USER}:{PASSWORD}@{address_of(database.container, network)}:5432/{USER}"
    environ = {**os.environ, "PROD_SETTINGS": "True", "SECRET_KEY": new_secret_key(),
               "ALLOWED_HOSTS": SITE_HOST, "DATABASE_URL": url}  # fmt: skip
    for name in ("DJANGO_SETTINGS_MODULE", "DYNO", "DATABASE_SSL_REQUIRE"):
        environ.pop(name, None)
    output = subprocess.run(
        [PYTHON, "-m", "bench.costs"],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
        timeout=900,
    ).stdout
    return json.loads(output)


def measure_start_and_stop(network, env):
    starts, stops = [], []
    for _ in range(STARTS):
        with Server(network, env=env, options=DYNO) as server:
            starts.append(server.wait())
            stops.append(server.stop())
            assert server.container.exit_code() == 0
    return round(statistics.median(starts), 2), round(statistics.median(stops), 2)


def gunicorn_defaults():
    """Workers and threads per worker as gunicorn.conf.py sets them when the dyno sets neither."""
    names = ("WEB_CONCURRENCY", "GUNICORN_THREADS")
    saved = {name: os.environ.pop(name) for name in names if name in os.environ}
    try:
        config = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    finally:
        os.environ.update(saved)
    return config["workers"], config["threads"]


def run(workdir):
    workers, threads = gunicorn_defaults()
    results = {
        "machine": machine(),
        "load": {
            "primary": PRIMARY, "levels": list(LEVELS), "warmup_s": WARMUP_SECONDS,
            "rounds": ROUNDS, "round_s": ROUND_SECONDS, "seeded_entries": SEEDED_ENTRIES,
            "large_entries": LARGE_ENTRIES, "dyno": " ".join(DYNO), "workers": workers,
            "threads": threads,
        },
    }  # fmt: skip
    results["image"] = build_figures(workdir)
    data = workdir / "data"
    data.mkdir()
    data.chmod(0o755)
    mounts = ["--volume", f"{BENCH}:/bench:ro", "--volume", f"{data}:/bench-data:ro"]
    with (
        docker.network() as network,
        postgres(network, workdir / "tls") as database,
        contextlib.ExitStack() as stack,
    ):
        env = {"SECRET_KEY": new_secret_key(), "DATABASE_URL": database.url(),
               "ALLOWED_HOSTS": SITE_HOST}  # fmt: skip
        migrate(network, database.url())
        seed(database, USER, SEEDED_ENTRIES)
        servers = page_servers(stack, network, env, mounts, data)
        results["ratios"] = {}
        for measured in (
            measure_page(servers, database),
            measure_data(stack, network, env, database, servers["page"], data),
            measure_static(stack, network, mounts, data, servers["page"]),
        ):
            results["ratios"].update(measured.pop("ratios"))
            results.update(measured)
        stack.close()
        costs = measure_costs(network, database)
        results["profile"] = costs.pop("profile")
        results["costs"] = costs
        log(f"start and stop, {STARTS} times")
        start, stop = measure_start_and_stop(network, env)
    results["start_to_first_200_s"], results["idle_sigterm_to_exit_s"] = start, stop
    return results


def machine():
    with open("/proc/meminfo") as meminfo:
        total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read()).group(1))
    engine = docker.docker("version", "--format", "{{.Server.Version}}").stdout.strip()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "memory_gb": round(total_kb / 1024 / 1024),
        "kernel": platform.release(),
        "docker_engine": engine,
        "wrk": wrk_version.split()[1],
        "command": "make bench",
    }


def main():
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed (Debian: apt-get install wrk)")
    if not docker.engine_answers():
        sys.exit("bench: no Docker engine answers `docker info`")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mysite-bench-") as workdir:
        results = run(Path(workdir))
    results["machine"]["minutes"] = round((time.monotonic() - started) / 60)
    # Kept whatever happens next, so `python -m bench.report` can publish it again.
    report.OUTPUT.mkdir(parents=True, exist_ok=True)
    (report.OUTPUT / "results.json").write_text(json.dumps({**results, "targets": []}))
    (report.OUTPUT / "profile.txt").write_text(results["profile"])
    report.publish(results)
    log(f"results: {report.OUTPUT}")


if __name__ == "__main__":
    main()

"""make bench: speed, size and start-up of the production image, with ceilings, in one run.

The machine is shared and noisy, so every figure that matters is a ratio of measurements
taken side by side: the servers of a comparison run at the same time and wrk visits them
in turn, round after round; a ratio is the median of its per-round ratios.

- The guestbook page (1,000 entries seeded) under this project's configuration, against
  a ceiling (a bare WSGI callable answering the very same response bytes under the same
  gunicorn configuration) and against two alternatives: gunicorn's defaults
  (`gunicorn mysite.wsgi`) and Heroku's getting-started gunicorn configuration.
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
from tests.support.environment import REPO, SITE_HOST, new_secret_key
from tests.support.postgres import postgres

CONNECTIONS = 16
SEEDED_ENTRIES = 1000
STARTS = 5
# Shorter runs for a quick look: BENCH_ROUNDS=1 BENCH_ROUND_SECONDS=3 make bench
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
ROUND_SECONDS = int(os.environ.get("BENCH_ROUND_SECONDS", "8"))
IMAGE = "mysite-bench:latest"
BENCH = REPO / "bench"
PROXIED = {"Host": SITE_HOST, "X-Forwarded-Proto": "https"}
GZIP = {**PROXIED, "Accept-Encoding": "br, gzip"}
# Headers gunicorn writes itself, so a ceiling must not repeat them.
SERVER_HEADERS = {"date", "server", "connection", "transfer-encoding", "keep-alive"}


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


# --- load ------------------------------------------------------------------------------


def wrk(url, headers, seconds):
    """One wrk run: requests/s, p50 and p99 latency in ms, errors (socket + non-2xx/3xx)."""
    command = ["wrk", "--threads", "2", "--connections", str(CONNECTIONS)]
    command += ["--duration", f"{seconds}s", "--timeout", "5s", "--latency"]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": milliseconds(latency["50"]),
        "p99_ms": milliseconds(latency["99"]),
        "errors": (sum(map(int, socket_errors.groups())) if socket_errors else 0)
        + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def milliseconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def compare(targets):
    """Measure targets {name: (url, headers)} side by side: a warm-up each, then ROUNDS
    rounds visiting each in turn. Per target: median figures, summed errors, per-round
    requests/s (so ratios can be taken round by round)."""
    for url, headers in targets.values():
        wrk(url, headers, WARMUP_SECONDS)
    runs = {name: [] for name in targets}
    for _ in range(ROUNDS):
        for name, (url, headers) in targets.items():
            runs[name].append(wrk(url, headers, ROUND_SECONDS))
    results = {}
    for name, name_runs in runs.items():
        results[name] = {
            key: round(statistics.median(run[key] for run in name_runs), 2)
            for key in ("requests_per_second", "p50_ms", "p99_ms")
        }
        results[name]["errors"] = sum(run["errors"] for run in name_runs)
        results[name]["rounds"] = [run["requests_per_second"] for run in name_runs]
    return results


# --- servers ---------------------------------------------------------------------------


class Server:
    """A container on the bench's network, reached at its own address; removed on exit."""

    def __init__(self, network, command=(), env=None, options=(), image=IMAGE, port=8000):
        arguments = ["--network", network, *options]
        for name, value in (env or {}).items():
            arguments += ["--env", f"{name}={value}"]
        self.started = time.monotonic()
        self.container = docker.Container.run(image, *command, options=arguments)
        address_of = f'{{{{(index .NetworkSettings.Networks "{network}").IPAddress}}}}'
        address = docker.docker("inspect", "--format", address_of, self.container.name)
        address = address.stdout.strip()
        self.url = f"http://{address}:{port}"

    def wait(self, path="/healthz", timeout=60):
        """Seconds from `docker run` to the first 200 on path."""

        def serves():
            try:
                return requests.get(self.url + path, headers=PROXIED, timeout=2).status_code == 200
            except (requests.ConnectionError, requests.Timeout):
                return False  # not listening yet, or not answering yet

        return waiting.seconds_until(
            serves, timeout, interval=0.02, since=self.started,
            what=lambda: f"{self.container.name} serving {path}:\n{self.container.logs()}",
        )  # fmt: skip

    def stop(self):
        started = time.monotonic()
        docker.docker("stop", "--time", "30", self.container.name)
        return time.monotonic() - started

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.container.remove()


def memory_sampler(container):
    """Sample the container's memory (cgroup usage without page cache) until stopped."""
    samples, stop = [], threading.Event()

    def sample():
        while not stop.is_set():
            usage = docker.docker(
                "stats", "--no-stream", "--format", "{{.MemUsage}}", container.name, check=False
            ).stdout
            match = re.match(r"([\d.]+)(KiB|MiB|GiB)", usage.strip())
            if match:
                scale = {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024}[match.group(2)]
                samples.append(float(match.group(1)) * scale)
            time.sleep(0.25)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()

    def finish():
        stop.set()
        thread.join()
        return round(max(samples), 1)

    return finish


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


def ceiling(network, mounts, name):
    """A bare WSGI callable answering the response recorded as `name`, under the project's
    gunicorn configuration (gunicorn.conf.py, read from /app as always)."""
    env = {
        "PYTHONPATH": "/bench",
        "CEILING_BODY": f"/bench-data/{name}.body",
        "CEILING_HEADERS": f"/bench-data/{name}.headers.json",
    }
    return Server(network, ["gunicorn", "ceiling:application"], env, mounts)


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


# --- the run ---------------------------------------------------------------------------


def seed(server):
    code = (
        "from guestbook.models import Entry\n"
        f"Entry.objects.bulk_create(Entry(name=f'Signer {{n}}', message=f'Entry number {{n}}, "
        f"thank you for a lovely evening.') for n in range({SEEDED_ENTRIES}))"
    )
    server.container.exec("python", "manage.py", "shell", "-v", "0", "-c", code)


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


def measure_page(network, env, mounts, data):
    """The guestbook page: this project, its ceiling, the two alternatives, side by side."""
    alternatives = {
        "page_gunicorn_defaults": ["gunicorn", "--config", "/dev/null", "--bind", "0.0.0.0:8000",
                             "mysite.wsgi"],
        "page_heroku_config": ["gunicorn", "--config",
                               "/bench/gunicorn_heroku_getting_started.py", "mysite.wsgi"],
    }  # fmt: skip
    with contextlib.ExitStack() as stack:
        ours = stack.enter_context(Server(network, env=env))
        ours.wait()
        seed(ours)
        body = record(ours.url + "/", PROXIED, data, "page")
        assert body.count(b'class="entry"') == 20
        static_url = stylesheet(ours, data)
        record(ours.url + static_url, GZIP, data, "static_compressed")
        record(ours.url + static_url, PROXIED, data, "static_plain")
        servers = {"page": ours}
        servers["page_ceiling"] = stack.enter_context(ceiling(network, mounts, "page"))
        for name, command in alternatives.items():
            servers[name] = stack.enter_context(Server(network, command, env, mounts))
        for server in servers.values():
            server.wait("/" if server is servers["page_ceiling"] else "/healthz")
        log("the guestbook page: this project, its ceiling, the alternatives")
        finish_sampling = memory_sampler(ours.container)
        results = compare({name: (server.url + "/", PROXIED) for name, server in servers.items()})
        results["memory_peak_mb"] = finish_sampling()

        log("the stylesheet: WhiteNoise, its ceilings, nginx")
        static = {"static_compressed": (ours.url, GZIP), "static_plain": (ours.url, PROXIED)}
        for kind in ("static_compressed", "static_plain"):
            server = stack.enter_context(ceiling(network, mounts, kind))
            server.wait(static_url)
            static[f"{kind}_ceiling"] = (server.url, PROXIED)
        nginx = stack.enter_context(nginx_server(network, data))
        nginx.wait(static_url)
        static["static_compressed_nginx"] = (nginx.url, {"Accept-Encoding": "br, gzip"})
        static["static_plain_nginx"] = (nginx.url, {})
        results.update(compare({name: (base + static_url, headers)
                                for name, (base, headers) in static.items()}))  # fmt: skip
        headers = requests.get(ours.url + static_url, headers=GZIP, timeout=10).headers
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


def measure_start_and_stop(network, env):
    starts, stops = [], []
    for _ in range(STARTS):
        with Server(network, env=env) as server:
            starts.append(server.wait())
            stops.append(server.stop())
            assert server.container.exit_code() == 0
    return round(statistics.median(starts), 2), round(statistics.median(stops), 2)


def run(workdir):
    results = {
        "machine": machine(),
        "load": {
            "connections": CONNECTIONS, "warmup_s": WARMUP_SECONDS, "rounds": ROUNDS,
            "round_s": ROUND_SECONDS, "seeded_entries": SEEDED_ENTRIES,
        },
    }  # fmt: skip
    results["image"] = build_figures(workdir)
    data = workdir / "data"
    data.mkdir()
    data.chmod(0o755)
    mounts = ["--volume", f"{BENCH}:/bench:ro", "--volume", f"{data}:/bench-data:ro"]
    with docker.network() as network, postgres(network, workdir / "tls") as database:
        env = {
            "SECRET_KEY": new_secret_key(),
            "DATABASE_URL": database.url(),
            "ALLOWED_HOSTS": SITE_HOST,
        }
        options = [arg for name, value in env.items() for arg in ("--env", f"{name}={value}")]
        docker.docker("run", "--rm", "--network", network, *options, IMAGE,
                      "python", "manage.py", "migrate", "--noinput", "-v", "0")  # fmt: skip
        results.update(measure_page(network, env, mounts, data))
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
    with tempfile.TemporaryDirectory(prefix="mysite-bench-") as workdir:
        results = run(Path(workdir))
    report.publish(results)
    log(f"results: {report.OUTPUT}")


if __name__ == "__main__":
    main()

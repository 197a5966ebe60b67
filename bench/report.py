"""Publish a benchmark run: docs/benchmarks/results.json (every figure), results.md (the
tables), the charts (requests/s and p99 against concurrency; requests/s per configuration),
profile.txt, and the README's benchmark section. Everything here is computed from the
measurements; nothing is typed by hand."""

import json
import math
import re

from tests.support import docker
from tests.support.environment import REPO

OUTPUT = REPO / "docs" / "benchmarks"
README = REPO / "README.md"
START, END = "<!-- benchmarks:start -->", "<!-- benchmarks:end -->"
ONE_YEAR = 31_536_000
# The image's weight over its base: the virtualenv, code and static files (about 49 MB), plus
# Debian's curl and its libraries (about 14 MB), which make Heroku show the release phase's
# output in `git push` and `heroku releases:output`.
IMAGE_OVER_BASE_MB = 65
# p99 may grow with the connections as the queue in front of the threads grows (Little's law:
# the mean time in the system is connections / throughput), and this much more.
QUEUE_SLACK = 1.5

NAMES = {
    "page": "Guestbook page: this project",
    "page_db_ceiling": "Ceiling: bare WSGI, the page's SQL, same gunicorn configuration",
    "page_ceiling": "Ceiling: bare WSGI, no database, same gunicorn configuration",
    "page_gunicorn_defaults": "Guestbook page: gunicorn's defaults (`gunicorn mysite.wsgi`)",
    "page_heroku_config": "Guestbook page: Heroku getting-started's gunicorn (gthread, 5 threads)",
    "page_select_1": "Guestbook page: this project with Django's `SELECT 1` health check",
    "page_gthread": "Guestbook page: this project with gunicorn's gthread worker",
    "entries_small": "Guestbook page, 1,000 entries",
    "entries_large": "Guestbook page, 1,000,000 entries",
    "static_compressed": "Stylesheet via WhiteNoise, gzip",
    "static_compressed_ceiling": "Ceiling: bare WSGI, same gzip bytes",
    "static_compressed_nginx": "nginx, same gzip file (the physical limit)",
    "static_plain": "Stylesheet via WhiteNoise, uncompressed",
    "static_plain_ceiling": "Ceiling: bare WSGI, same bytes",
    "static_plain_nginx": "nginx, same file",
}
ALTERNATIVES = ("page_gunicorn_defaults", "page_heroku_config")
DYNO_CONFIGURATIONS = ("page", *ALTERNATIVES)


def paired(results, subject, reference):
    """subject/reference in requests/s: the median over rounds of the pair measured back to back
    (page@16 names the page at 16 connections)."""
    return results["ratios"][f"{subject} / {reference}"]


def of_medians(figures, subject, reference):
    """subject/reference in requests/s, of their median figures: for the tables."""
    return figures[subject]["requests_per_second"] / figures[reference]["requests_per_second"]


def at(results, level=None):
    return results["page"][str(level or results["load"]["primary"])]


def levels(results):
    return results["load"]["levels"]


def setting(costs, start):
    return next(cost["us"] for cost in costs["settings"] if cost["what"].startswith(start))


def littles_law_ms(figures, connections):
    """The mean time a request spends in the system, by Little's law: connections / throughput."""
    return connections / figures["requests_per_second"] * 1000


def predicted_p99_ms(results, name, level):
    """p99 at `level`, grown from the primary level's as the queue grows (Little's law)."""
    primary = results["load"]["primary"]
    base, there = at(results)[name], at(results, level)[name]
    return base["p99_ms"] * littles_law_ms(there, level) / littles_law_ms(base, primary)


def best_per_dyno(results, name):
    """A configuration's best requests/s in a 512 MB container, at a level it served without
    errors, and that level."""
    served = [(at(results, level)[name]["requests_per_second"], level) for level in levels(results)
              if at(results, level)[name]["errors"] == 0]  # fmt: skip
    return max(served) if served else (0.0, None)


def targets(results):
    """(target, measured, met, why it can miss) for each target the project sets."""
    page = at(results)
    top = max(levels(results))
    page_top = at(results, top)["page"]
    headers = results["static_headers"]
    max_age = re.search(r"max-age=(\d+)", headers["cache_control"])
    image = results["image"]
    ours = f"page@{results['load']['primary']}"
    db_ratio = paired(results, ours, f"page_db_ceiling@{results['load']['primary']}")
    alternatives = {name: paired(results, ours, f"{name}@{results['load']['primary']}")
                    for name in ALTERNATIVES}  # fmt: skip
    alternative = min(alternatives, key=alternatives.get)  # the faster one
    alternative_ratio = alternatives[alternative]
    scaling = paired(results, f"page@{top}", ours)
    p99_growth = page_top["p99_ms"] / predicted_p99_ms(results, "page", top)
    errors = sum(at(results, level)["page"]["errors"] for level in levels(results))
    data = results["data"]
    data_ratio = paired(results, "entries_large", "entries_small")
    large_plan = results["plans"]["entries_large"]
    static = results["static"]
    static_ratio = paired(results, "static_compressed", "static_compressed_ceiling")
    memory = results["memory_peak_mb"][str(top)]
    costs = results["costs"]
    middleware_us = sum(cost["us"] for cost in costs["middleware"])
    names = [cost["what"] for cost in costs["middleware"]]
    before_whitenoise = sum(cost["us"] for cost in costs["middleware"][
        : names.index("`WhiteNoiseMiddleware`") + 1])  # fmt: skip
    template_us = setting(costs, "the template alone")
    query_us = setting(costs, "the query alone")
    app_cpu, ceiling_cpu = page["page"]["app_cpu_us"], page["page_db_ceiling"]["app_cpu_us"]
    primary = results["load"]["primary"]
    workers = results["load"]["workers"]
    return [
        ("Guestbook page ≥ 50% of its database ceiling", f"{db_ratio:.0%}", db_ratio >= 0.5,
         f"the page's dyno spends {app_cpu:,.0f} µs of CPU on a request, the ceiling's "
         f"{ceiling_cpu:,.0f} µs for the same query and bytes. In-process (bench/costs.py) the "
         f"page's template takes {template_us:,.0f} µs and its query through the ORM "
         f"{query_us:,.0f} µs, while all the middleware together adds {middleware_us:,.0f} µs: "
         f"the gap is Django's own work for a template page, which only a cache or a cheaper "
         f"template would cut, and the page stays the plain pattern."),
        (f"Guestbook page p99 ≤ 30 ms at {primary} connections", f"{page['page']['p99_ms']:.1f} ms",
         page["page"]["p99_ms"] <= 30,
         f"at {page['page']['requests_per_second']:,.0f} requests/s, by Little's law a request "
         f"spends {littles_law_ms(page['page'], primary):.1f} ms in the system on average with "
         f"{primary} connections: {app_cpu:,.0f} µs of CPU per page on {workers} worker "
         f"processes, the database and wrk sharing the cores, put even the mean past 30 ms."),
        (f"Guestbook page: 0 errors at {', '.join(map(str, levels(results)))} connections",
         str(errors), errors == 0, "See the scaling table."),
        ("Guestbook page ≥ 1.5x the faster alternative configuration",
         f"{alternative_ratio:.2f}x ({NAMES[alternative].split(': ')[1]})",
         alternative_ratio >= 1.5,
         "both alternatives run one gunicorn worker process, so one core; the page is CPU-bound "
         f"in Django, and this project's {workers} workers share the machine's "
         f"{results['machine']['cores']} cores with the database and wrk."),
        (f"Requests/s at {top} connections ≥ 90% of the figure at {primary}", f"{scaling:.0%}",
         scaling >= 0.9,
         f"the app's CPU per request went from {app_cpu:,.0f} µs at {primary} connections to "
         f"{page_top['app_cpu_us']:,.0f} µs at {top}, the database's from "
         f"{page['page']['db_cpu_us']:,.0f} to {page_top['db_cpu_us']:,.0f} µs."),
        (f"p99 at {top} connections within {QUEUE_SLACK}x of its growth by Little's law",
         f"{page_top['p99_ms']:.0f} ms, {p99_growth:.2f}x of "
         f"{predicted_p99_ms(results, 'page', top):.0f} ms", p99_growth <= QUEUE_SLACK,
         "See the scaling table."),
        (f"Container ≤ 300 MB at {top} connections (512 MB limit)", f"{memory:.0f} MB",
         memory <= 300, "Memory grows with the connections held and the requests queued."),
        ("1,000,000 entries: requests/s ≥ 90% of the figure with 1,000", f"{data_ratio:.0%}",
         data_ratio >= 0.9,
         f"per request, the app's CPU was {data['entries_small']['app_cpu_us']:,.0f} µs with "
         f"1,000 entries and {data['entries_large']['app_cpu_us']:,.0f} µs with 1,000,000, the "
         f"database's {data['entries_small']['db_cpu_us']:,.0f} and "
         f"{data['entries_large']['db_cpu_us']:,.0f} µs; both plans read the index."),
        ("The query plan with 1,000,000 entries reads the index", "Index Scan" if "Index Scan"
         in large_plan else large_plan.splitlines()[0], "Index Scan" in large_plan,
         "See the query plans."),
        ("Stylesheet via WhiteNoise ≥ 60% of its bare-WSGI ceiling (gzip)", f"{static_ratio:.0%}",
         static_ratio >= 0.6,
         f"a stylesheet request costs the app {static['static_compressed']['app_cpu_us']:,.0f} µs "
         f"of CPU, the ceiling's {static['static_compressed_ceiling']['app_cpu_us']:,.0f} µs: "
         f"Django's request cycle, the {before_whitenoise:,.0f} µs of the middleware before "
         f"WhiteNoise and WhiteNoise itself. The real limit is elsewhere: a CDN in front of the "
         f"immutable /static/ URLs answers most of these requests before they reach a dyno."),
        ("Stylesheet served pre-compressed", headers["content_encoding"] or "none",
         headers["content_encoding"] in {"gzip", "br"}, ""),
        ("Stylesheet cached a year, immutable", headers["cache_control"],
         bool(max_age) and int(max_age.group(1)) >= ONE_YEAR
         and "immutable" in headers["cache_control"], ""),
        (f"Image ≤ base + {IMAGE_OVER_BASE_MB} MB (curl included: Heroku shows the release "
         "phase's output only with it)", f"+{image['over_base_mb']:.1f} MB",
         image["over_base_mb"] <= IMAGE_OVER_BASE_MB, ""),
        ("Code-only rebuild ≤ 10 s", f"{image['code_rebuild_s']:.1f} s",
         image["code_rebuild_s"] <= 10, ""),
        ("Cold start to first 200 ≤ 3 s (median of 5)", f"{results['start_to_first_200_s']:.2f} s",
         results["start_to_first_200_s"] <= 3, ""),
        ("Idle SIGTERM to exit ≤ 3 s (median of 5)", f"{results['idle_sigterm_to_exit_s']:.2f} s",
         results["idle_sigterm_to_exit_s"] <= 3, ""),
    ]  # fmt: skip


def table(header, rows, align=None):
    align = align or ["---"] * len(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    return "\n".join(lines + ["| " + " | ".join(map(str, row)) + " |" for row in rows])


def targets_table(results):
    rows = [(target, measured, "yes" if met else "**no**")
            for target, measured, met, _ in targets(results)]  # fmt: skip
    return table(["Target", "Measured", "Met"], rows)


def misses(results):
    return [f"- {target}: {why}" for target, _, met, why in targets(results) if not met]


def figures_row(name, figures):
    return [
        NAMES[name],
        f"{figures['requests_per_second']:,.0f}",
        f"{figures['mean_ms']:.1f} ms",
        f"{figures['p50_ms']:.1f} ms",
        f"{figures['p99_ms']:.1f} ms",
        figures["errors"],
    ]


FIGURES = ["Configuration", "Requests/s", "Mean", "p50", "p99", "Errors"]
RIGHT = ["---", "---:", "---:", "---:", "---:", "---:"]


def page_table(results):
    page = at(results)
    rows = [
        [*figures_row(name, figures), f"{of_medians(page, name, 'page_db_ceiling'):.0%}",
         f"{of_medians(page, name, 'page_ceiling'):.0%}"]
        for name, figures in page.items()
    ]  # fmt: skip
    for row, figures in zip(rows, page.values(), strict=True):
        row += [f"{figures['app_cpu_us']:,.0f} µs", f"{figures['db_cpu_us']:,.0f} µs"]
    return table([*FIGURES, "vs database ceiling", "vs no-database ceiling", "App CPU/request",
                  "Database CPU/request"], rows, [*RIGHT, *["---:"] * 4])  # fmt: skip


def scaling_table(results):
    rows = []
    for name in at(results, max(levels(results))):
        for level in levels(results):
            figures = at(results, level)[name]
            memory = results["memory_peak_mb"][str(level)] if name == "page" else None
            rows.append([
                NAMES[name], level, f"{figures['requests_per_second']:,.0f}",
                f"{figures['mean_ms']:.1f} ms", f"{littles_law_ms(figures, level):.1f} ms",
                f"{figures['p99_ms']:.1f} ms", f"{predicted_p99_ms(results, name, level):.1f} ms",
                figures["errors"], f"{figures['app_cpu_us']:,.0f} µs",
                f"{memory:.0f} MB" if memory else "",
            ])  # fmt: skip
    header = ["Configuration", "Connections", "Requests/s", "Mean", "Little's law",
              "p99", "p99 by Little's law", "Errors", "App CPU/request", "Memory"]  # fmt: skip
    return table(header, rows, ["---", *["---:"] * 9])


def dyno_table(results):
    ours, _ = best_per_dyno(results, "page")
    rows = []
    for name in DYNO_CONFIGURATIONS:
        rate, level = best_per_dyno(results, name)
        dynos = math.ceil(1000 / rate) if rate else "∞"
        saved = ""
        if name != "page" and rate:
            saved = math.ceil(1000 / rate) - math.ceil(1000 / ours)
        rows.append([NAMES[name], f"{rate:,.0f}", level or "", dynos, saved])
    header = ["Configuration", "Requests/s per 512 MB dyno (best level, no errors)",
              "At connections", "Dynos per 1,000 requests/s",
              "Dynos this project saves"]  # fmt: skip
    return table(header, rows, ["---", "---:", "---:", "---:", "---:"])


def data_table(results):
    data = results["data"]
    rows = [[*figures_row(name, data[name]), f"{of_medians(data, name, 'entries_small'):.0%}",
             f"{data[name]['app_cpu_us']:,.0f} µs", f"{data[name]['db_cpu_us']:,.0f} µs"]
            for name in data]  # fmt: skip
    return table([*FIGURES, "vs 1,000 entries", "App CPU/request", "Database CPU/request"], rows,
                 [*RIGHT, "---:", "---:", "---:"])  # fmt: skip


def plans(results):
    return "\n\n".join(
        f"{NAMES[name]}:\n\n```text\n{plan}\n```" for name, plan in results["plans"].items()
    )


def static_table(results):
    static = results["static"]
    rows = [[*figures_row(name, figures), f"{of_medians(static, name, ceiling_of(name)):.0%}",
             f"{figures['app_cpu_us']:,.0f} µs"]
            for name, figures in static.items()]  # fmt: skip
    return table([*FIGURES, "vs its ceiling", "Server CPU/request"], rows,
                 [*RIGHT, "---:", "---:"])  # fmt: skip


def ceiling_of(name):
    return f"static_{name.split('_')[1]}_ceiling"


def microseconds(us):
    """A measured cost; below a microsecond it is within the measurement's noise."""
    return f"{us:,.1f} µs" if us >= 1 else "< 1 µs (within the noise)"


def costs_table(results):
    costs = results["costs"]
    rows = [(f"Middleware {cost['what']}", microseconds(cost["us"]))
            for cost in costs["middleware"]]  # fmt: skip
    rows += [(cost["what"][0].upper() + cost["what"][1:], microseconds(cost["us"]))
             for cost in costs["settings"]]  # fmt: skip
    rows.append(("The whole page, in-process", f"{costs['page_us']:,.0f} µs"))
    return table(["What", "Time per request"], rows, ["---", "---:"])


def worker_line(results):
    page = at(results)
    primary, gthread = (f"{name}@{results['load']['primary']}" for name in ("page", "page_gthread"))
    return (
        f"What holding slow clients in an event loop costs (`mysite/gunicorn_worker.py`), against "
        f"gunicorn's gthread worker in the same image: {paired(results, primary, gthread):.2f}x "
        f"the requests/s, {page['page']['app_cpu_us'] - page['page_gthread']['app_cpu_us']:+,.0f} "
        f"µs of the app's CPU per request, at {results['load']['primary']} connections."
    )


def health_check_line(results):
    page = at(results)
    faster = paired(results, *(f"{name}@{results['load']['primary']}"
                               for name in ("page", "page_select_1")))  # fmt: skip
    saved = page["page_select_1"]["db_cpu_us"] - page["page"]["db_cpu_us"]
    ours = setting(results["costs"], "the health check without")
    djangos = setting(results["costs"], "Django's health check")
    return (
        f"The health check without a round trip (`mysite/postgresql/base.py`) against Django's "
        f"`SELECT 1`: {ours:.1f} µs against {djangos:.0f} µs a request in-process, "
        f"{saved:,.0f} µs less of the database's CPU per request, {faster:.2f}x the requests/s "
        f"side by side. Both replace a connection the database closed before a request uses it "
        "(`tests/container/test_database_that_stops_answering.py`)."
    )


def other_table(results):
    image = results["image"]
    start, stop = results["start_to_first_200_s"], results["idle_sigterm_to_exit_s"]
    rows = [
        ("Image size", f"{image['image_mb']:.1f} MB (base {image['base_mb']:.1f} MB)"),
        (f"Image over its base (`{docker.base_image()}`)", f"{image['over_base_mb']:.1f} MB"),
        ("Cold build (no cache)", f"{image['cold_build_s']:.1f} s"),
        ("Rebuild after a one-line code change", f"{image['code_rebuild_s']:.1f} s"),
        ("`docker run` to first 200 on /healthz (median of 5)", f"{start:.2f} s"),
        ("Idle SIGTERM to exit (median of 5)", f"{stop:.2f} s"),
    ]
    return table(["Figure", "Value"], rows)


def machine_line(results):
    machine, load = results["machine"], results["load"]
    return (
        f"Measured {machine['date']} on {machine['cores']} cores and {machine['memory_gb']} GB "
        f"(shared machine; Docker engine {machine['docker_engine']}, wrk {machine['wrk']}). "
        f"Every page server runs in a dyno-shaped container (`{load['dyno']}`) with "
        f"{load['seeded_entries']:,} entries seeded; the servers of a comparison run side by "
        f"side and wrk visits each in turn, {load['warmup_s']} s warm-up, then {load['rounds']} "
        f"rounds of {load['round_s']} s; figures are medians. A target's ratio is the median "
        f"of a pair measured back to back, round after round; a table's, of the median figures. "
        f"Ceilings answer the very response bytes recorded from the real server. "
        f"The run took {machine['minutes']} minutes. Reproduce: `{machine['command']}`."
    )


def scaling_chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (rates, tails) = plt.subplots(1, 2, figsize=(11, 4.5))
    for name in at(results, max(levels(results))):
        figures = [at(results, level)[name] for level in levels(results)]
        label = NAMES[name].replace("`", "")
        style = "--" if "ceiling" in name else "-"
        rates.plot(levels(results), [f["requests_per_second"] for f in figures], style,
                   marker="o", label=label)  # fmt: skip
        tails.plot(levels(results), [f["p99_ms"] for f in figures], style, marker="o", label=label)
    for axes, what in ((rates, "requests per second"), (tails, "p99 latency, ms")):
        axes.set_xscale("log", base=2)
        axes.set_xticks(levels(results), [str(level) for level in levels(results)])
        axes.set_xlabel("concurrent connections")
        axes.set_ylabel(what)
        axes.grid(alpha=0.3)
    tails.set_yscale("log")
    rates.legend(fontsize=7)
    machine = results["machine"]
    figure.suptitle(f"mysite: the guestbook page against concurrency ({machine['date']}, "
                    f"{machine['cores']} cores, {results['load']['dyno']})")  # fmt: skip
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def bar_chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [*at(results).items(), *results["static"].items()]
    values = [figures["requests_per_second"] for _, figures in rows]
    colours = ["#9aa5b1" if "ceiling" in name or "nginx" in name else "#0b6e4f"
               for name, _ in rows]  # fmt: skip
    figure, axes = plt.subplots(figsize=(10, 6))
    bars = axes.barh(range(len(values)), values, color=colours)
    labels = [NAMES[name].replace("`", "") for name, _ in rows]
    axes.set_yticks(range(len(values)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xscale("log")  # nginx is an order of magnitude beyond the rest
    axes.set_xlabel(f"requests per second, log scale ({results['load']['primary']} connections)")
    machine = results["machine"]
    axes.set_title("mysite: requests/s per configuration, with ceilings (grey)\n"
                   f"{machine['date']}, {machine['cores']} cores")  # fmt: skip
    for bar, value in zip(bars, values, strict=True):
        axes.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {value:,.0f}",
                  va="center", fontsize=8)  # fmt: skip
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def readme_section(results):
    checked = targets(results)
    met = sum(1 for _, _, ok, _ in checked if ok)
    missed = misses(results)
    return "\n".join(
        [
            START,
            machine_line(results),
            "",
            f"{met} of {len(checked)} targets met:",
            "",
            targets_table(results),
            "",
            *(["Why a target is missed:", "", *missed, ""] if missed else []),
            "![Requests/s and p99 against concurrency](docs/benchmarks/scaling.png)",
            "",
            f"The guestbook page at {results['load']['primary']} connections:",
            "",
            page_table(results),
            "",
            health_check_line(results),
            "",
            worker_line(results),
            "",
            "What one dyno serves, and what that means for a bill:",
            "",
            dyno_table(results),
            "",
            "What each middleware and setting costs the page (taken away one at a time; "
            "in-process, so network and server are not in these figures):",
            "",
            costs_table(results),
            "",
            "Every figure, the scaling and data tables, the query plans and a profile: "
            "[docs/benchmarks/results.md](docs/benchmarks/results.md), "
            "[results.json](docs/benchmarks/results.json), "
            "[profile.txt](docs/benchmarks/profile.txt).",
            END,
        ]
    )


def results_markdown(results):
    missed = misses(results)
    return "\n\n".join(
        [
            "# Benchmarks",
            machine_line(results),
            "## Targets",
            targets_table(results),
            *(["Why a target is missed:", "\n".join(missed)] if missed else []),
            f"## The guestbook page at {results['load']['primary']} connections",
            page_table(results),
            health_check_line(results),
            worker_line(results),
            "## Against concurrency",
            scaling_table(results),
            "![Requests/s and p99 against concurrency](scaling.png)",
            "## Per 512 MB dyno",
            dyno_table(results),
            "## Against the data",
            data_table(results),
            plans(results),
            "## What each middleware and setting costs",
            costs_table(results),
            "Where the page's time goes: [profile.txt](profile.txt) (pyinstrument).",
            "## The stylesheet",
            static_table(results),
            "![Requests per second per configuration](requests_per_second.png)",
            "## Image and start",
            other_table(results),
        ]
    )


def publish(results):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "profile.txt").write_text(results["profile"])
    results = {key: value for key, value in results.items() if key != "profile"}
    results = {**results, "targets": [
        {"target": t, "measured": m, "met": ok} for t, m, ok, _ in targets(results)
    ]}  # fmt: skip
    (OUTPUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (OUTPUT / "results.md").write_text(results_markdown(results) + "\n")
    scaling_chart(results, OUTPUT / "scaling.png")
    bar_chart(results, OUTPUT / "requests_per_second.png")
    readme = README.read_text()
    section = readme_section(results)
    readme = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, readme,
                    flags=re.DOTALL)  # fmt: skip
    README.write_text(readme)


def main():
    """Publish again from docs/benchmarks/results.json and profile.txt (after a report change)."""
    results = json.loads((OUTPUT / "results.json").read_text())
    results.pop("targets")
    results["profile"] = (OUTPUT / "profile.txt").read_text()
    publish(results)


if __name__ == "__main__":
    main()

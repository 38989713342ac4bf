#!/usr/bin/env python3
"""Load and soak run: a fresh PostgreSQL database, gunicorn and the rq worker on the loopback,
locust driving signed-in people, and the memory (RSS) of every server process sampled.

    .venv/bin/python bench/load/run.py [--scenario mixed|deadline-rush] [--minutes M] [--users N]
                                       [--source worktree|head]   (after `python3 dev setup`)

Steps: (1) drop and create the database (default ``xinan_load``; every table in it is lost)
and migrate it; (2) ``xinan demo`` plus generated people (bench/load/seed.py); (3) the rq
worker (``xinan worker``) and gunicorn (sync workers) with production settings on a free port of
127.0.0.1; (4) locust headless; (5) RSS of the gunicorn master and workers, the rq worker and
locust every few seconds (psutil); (6) a table of requests/s, p50/p95/p99 per endpoint group
beside the baseline of the same run (``/healthz``), errors, and RSS at start, minute 2, middle
and end. Generated files (locust CSV, RSS samples, server logs) go to bench/out/load/ (ignored
by git); the data directory is a temporary one, removed at the end.

Scenarios: ``mixed`` — filers (SMS sign-in) read the campaign and file a report start to end,
counsellors read cases and add follow-up notes, team leaders read the dashboard and tasks;
``deadline-rush`` — filers prepare a report and press "submit" over the last 75 s before the
campaign's deadline and the first 15 s after it (the deadline is set when locust starts, one
minute before the end of the run); submissions before it must be accepted, after it refused
with the Chinese message, and none may end in a server error.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PY = sys.executable
PG = os.environ.get("XINAN_LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("XINAN_LOAD_REDIS", "redis://127.0.0.1:6379")
CLASSES = {"mixed": ["MixedFiler", "Counsellor", "TeamLeader", "Probe"], "deadline-rush": ["RushFiler", "Probe"]}
BASELINE = "baseline: /healthz"
MB = 1024 * 1024


def say(message: str) -> None:
    print(f"[load] {time.strftime('%H:%M:%S')} {message}", flush=True)


def reset_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def reset_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


def stop(process: subprocess.Popen | None, seconds: float = 30) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Sampler(threading.Thread):
    """RSS of the server processes (and locust) every ``every`` seconds, labelled by role."""

    def __init__(self, gunicorn: subprocess.Popen, worker: subprocess.Popen, every: float):
        super().__init__(daemon=True)
        import psutil

        self.psutil = psutil
        self.every = every
        self.started = time.monotonic()
        self.roots = {"gunicorn master": gunicorn.pid, "rq worker (xinan worker)": worker.pid}
        self.locust_pid = None
        self.labels: dict[int, str] = {}
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds (user + system) at its latest sample
        self.rows: list[tuple[float, str, int, float]] = []  # (seconds, label, pid, rss MB)
        self.loads: list[tuple[float, float]] = []  # (seconds, 1-minute load average)
        self.halt = threading.Event()

    def _rss(self, process) -> float:
        times = process.cpu_times()
        # Children that have exited count too: rq runs each job in a forked work-horse.
        self.cpu[process.pid] = times.user + times.system + times.children_user + times.children_system
        return process.memory_info().rss / MB

    def _label(self, pid: int, fallback: str) -> str:
        if pid not in self.labels:
            self.labels[pid] = fallback
        return self.labels[pid]

    def sample(self) -> None:
        now = time.monotonic() - self.started
        self.loads.append((now, os.getloadavg()[0]))
        for label, pid in self.roots.items():
            try:
                process = self.psutil.Process(pid)
                self.rows.append((now, label, pid, self._rss(process)))
                if label == "gunicorn master":
                    workers = sorted(child.pid for child in process.children())
                    known = [p for p, lab in self.labels.items() if lab.startswith("gunicorn worker")]
                    for child in workers:
                        name = f"gunicorn worker {len(known) + 1}" if child not in self.labels else self.labels[child]
                        if child not in self.labels:
                            if now > 3 * self.every:
                                name += " (started during the run)"
                            known.append(child)
                        self._label(child, name)
                        child_process = self.psutil.Process(child)
                        self.rows.append((now, self.labels[child], child, self._rss(child_process)))
            except self.psutil.NoSuchProcess:
                continue
        if self.locust_pid:
            try:
                rss = self._rss(self.psutil.Process(self.locust_pid))
                self.rows.append((now, "locust (load generator)", self.locust_pid, rss))
            except self.psutil.NoSuchProcess:
                pass

    def run(self) -> None:
        while not self.halt.is_set():
            self.sample()
            self.halt.wait(self.every)


def nearest(rows: list[tuple[float, float]], moment: float) -> float | None:
    return min(rows, key=lambda row: abs(row[0] - moment))[1] if rows else None


def slope_per_minute(series: list[tuple[float, float]], since: float) -> float | None:
    """Least-squares slope of RSS (MB per minute) over the samples from ``since`` seconds on."""
    points = [(t, rss) for t, rss in series if t >= since]
    if len(points) < 3:
        return None
    mean_t = sum(t for t, _r in points) / len(points)
    mean_r = sum(r for _t, r in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _r in points)
    return sum((t - mean_t) * (r - mean_r) for t, r in points) / spread * 60 if spread else None


def read_stats(prefix: Path) -> list[dict]:
    path = prefix.with_name(prefix.name + "_stats.csv")
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def database_checks(url: str, campaign_id: int) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        states = dict(
            conn.execute(
                "SELECT state, count(*) FROM campaigns_submission WHERE campaign_id = %s GROUP BY state",
                (campaign_id,),
            ).fetchall()
        )
        before, after = conn.execute(
            "SELECT count(*) FILTER (WHERE s.submitted_at < c.closes_at),"
            " count(*) FILTER (WHERE s.submitted_at >= c.closes_at)"
            " FROM campaigns_submission s JOIN campaigns_campaign c ON c.id = s.campaign_id"
            " WHERE s.campaign_id = %s AND s.state = 'submitted'",
            (campaign_id,),
        ).fetchone()
        outbox = dict(conn.execute("SELECT status, count(*) FROM notifications_message GROUP BY status").fetchall())
        over_quota = conn.execute("SELECT count(*) FROM campaigns_schoolquota WHERE used > quota").fetchone()[0]
        audit = conn.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0]
    return {
        "submissions by state": states,
        "submitted before the deadline": before,
        "submitted at or after the deadline": after,
        "outbox by status": outbox,
        "school quotas over their limit": over_quota,
        "audit entries": audit,
    }


def count_in(path: Path, needles: tuple[str, ...]) -> dict[str, int]:
    text = path.read_text(errors="replace") if path.exists() else ""
    return {needle: text.count(needle) for needle in needles}


def print_report(args, stats, results, samples: Sampler, checks, logs, seconds: float, rush_deadline) -> bool:
    status = results.get("status", {})
    rows = [row for row in stats if row["Name"] != "Aggregated"]
    total = next((row for row in stats if row["Name"] == "Aggregated"), None)
    base = next((row for row in rows if row["Name"] == BASELINE), None)
    base_p50 = float(base["50%"]) if base and float(base["50%"]) > 0 else None
    server_errors = 0
    print()
    print(
        f"scenario={args.scenario} users={args.users} minutes={args.minutes:g} gunicorn workers={args.workers} "
        f"cores={os.cpu_count()} date={dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(f"code: {args.revision}")
    loads = [load for _t, load in samples.loads]
    if loads:
        print(f"1-minute load average during the run: min {min(loads):.1f}, max {max(loads):.1f} (all processes)")
    print()
    header = f"{'endpoint group':<40}{'requests':>9}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}"
    header += f"{'×base':>7}{'fail':>6}{'5xx':>5}"
    print(header + "   (times in ms; ×base = p50 / p50 of " + BASELINE + ")")
    for row in sorted(rows, key=lambda r: (not r["Name"].startswith("baseline"), r["Name"])):
        fives = sum(n for code, n in status.get(row["Name"], {}).items() if code.startswith("5"))
        server_errors += fives
        p50 = float(row["50%"])
        ratio = f"{p50 / base_p50:.1f}" if base_p50 else "-"
        print(
            f"{row['Name'][:39]:<40}{row['Request Count']:>9}{float(row['Requests/s']):>8.2f}{row['50%']:>7}"
            f"{row['95%']:>7}{row['99%']:>7}{ratio:>7}{row['Failure Count']:>6}{fives:>5}"
        )
    if total:
        print(
            f"{'all requests':<40}{total['Request Count']:>9}{float(total['Requests/s']):>8.2f}{total['50%']:>7}"
            f"{total['95%']:>7}{total['99%']:>7}{'':>7}{total['Failure Count']:>6}{server_errors:>5}"
        )
    codes: dict[str, int] = {}
    for tally in status.values():
        for code, n in tally.items():
            codes[code] = codes.get(code, 0) + n
    print(f"status codes: {dict(sorted(codes.items()))}")

    print()
    print(f"RSS (MB) every {args.sample_seconds:g} s; growth = end − minute 2; slope = MB/min from minute 2 on")
    print(f"{'process':<44}{'start':>8}{'min 2':>8}{'middle':>8}{'end':>8}{'growth':>17}{'slope':>8}{'CPU s':>8}")
    by_pid: dict[int, list[tuple[float, float]]] = {}
    for moment, _label, pid, rss in samples.rows:
        by_pid.setdefault(pid, []).append((moment, rss))
    labels = {pid: label for _m, label, pid, _r in samples.rows}
    for pid, series in sorted(by_pid.items(), key=lambda item: labels[item[0]]):
        start, minute2 = series[0][1], nearest(series, 120.0)
        middle, end = nearest(series, seconds / 2), series[-1][1]
        growth = end - minute2 if minute2 is not None else 0.0
        slope = slope_per_minute(series, 120.0)
        slope_text = f"{slope:>+8.2f}" if slope is not None else f"{'-':>8}"
        print(
            f"{labels[pid][:43]:<44}{start:>8.1f}{minute2:>8.1f}{middle:>8.1f}{end:>8.1f}"
            f"{growth:>+8.1f} ({growth / minute2 * 100:+5.1f}%){slope_text}{samples.cpu.get(pid, 0):>8.0f}"
        )

    print()
    for key, value in checks.items():
        print(f"{key}: {value}")
    for name, found in logs.items():
        print(f"{name}: {found}")

    ok = server_errors == 0 and not any(n for found in logs.values() for n in found.values())
    if args.scenario == "deadline-rush":
        outcomes: dict[str, int] = {}
        before = {"accepted": 0, "refused: deadline": 0, "other": 0, "not prepared": 0}
        after = dict(before)
        for pressed, outcome in results.get("rush", []):
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            (before if pressed < 0 else after)[outcome] += 1
        print()
        print(f"deadline set to {dt.datetime.fromtimestamp(rush_deadline, dt.UTC):%H:%M:%S} UTC")
        print(f"submit pressed before the deadline: {before}")
        print(f"submit pressed after the deadline:  {after}")
        accepted = [pressed for pressed, outcome in results.get("rush", []) if outcome == "accepted"]
        refused = [pressed for pressed, outcome in results.get("rush", []) if outcome == "refused: deadline"]
        if accepted:
            print(f"latest press accepted: {max(accepted):+.2f} s from the deadline")
        if refused:
            print(f"earliest press refused: {min(refused):+.2f} s from the deadline")
        accepted_late = checks["submitted at or after the deadline"]
        print(f"database: {checks['submitted before the deadline']} submitted before it, {accepted_late} after it")
        ok = ok and accepted_late == 0 and after["accepted"] == 0 and outcomes.get("other", 0) == 0
    return ok


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=tuple(CLASSES), default="mixed")
    parser.add_argument("--minutes", type=float, help="run length (default: 10 mixed, 3 deadline-rush)")
    parser.add_argument("--users", type=int, help="locust users (default: 30 mixed, 80 deadline-rush)")
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="users started per second")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--sample-seconds", type=float, default=5.0)
    parser.add_argument("--database", default="xinan_load", help="dropped and created afresh")
    parser.add_argument("--redis-db", type=int, default=7, help="Redis database number (flushed)")
    parser.add_argument("--out", type=Path, help="folder for CSV and logs (default bench/out/load/<time>)")
    parser.add_argument(
        "--source",
        choices=("worktree", "head"),
        default="worktree",
        help="run the platform from the working tree, or from the last commit (git archive HEAD src)",
    )
    args = parser.parse_args(argv)
    args.minutes = args.minutes or (10.0 if args.scenario == "mixed" else 3.0)
    args.users = args.users or (30 if args.scenario == "mixed" else 80)
    if args.scenario == "deadline-rush" and args.minutes < 2:
        parser.error("the deadline rush needs at least 2 minutes")
    from bench.load.common import FILERS

    if args.scenario == "deadline-rush" and args.users > FILERS:
        parser.error(f"at most {FILERS} users: each filer signs in once")
    seconds = args.minutes * 60
    out = args.out or ROOT / "bench" / "out" / "load" / f"{args.scenario}-{time.strftime('%Y%m%d-%H%M%S')}"
    out.mkdir(parents=True, exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="xinan-load-"))
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    args.revision = f"{args.source} at {head.stdout.strip() or 'unknown'}"
    python_path = [str(ROOT)]
    if args.source == "head":
        snapshot = data_dir / "src-head"
        snapshot.mkdir()
        archive = subprocess.run(["git", "archive", "HEAD", "src"], cwd=ROOT, stdout=subprocess.PIPE, check=True)
        subprocess.run(["tar", "-x", "-C", str(snapshot)], input=archive.stdout, check=True)
        python_path.insert(0, str(snapshot / "src"))  # ahead of the editable install's path
    database_url = f"{PG}/{args.database}"
    redis_url = f"{REDIS}/{args.redis_db}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xinan.settings",
        "PYTHONPATH": os.pathsep.join(python_path),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "XINAN_TASK_BACKEND": "rq",
        "XINAN_HTTPS": "false",
        "XINAN_DEBUG": "false",
        "XINAN_DATA_DIR": str(data_dir),
        "XINAN_SMS_BACKEND": "outbox",
        "XINAN_EMAIL_BACKEND": "outbox",
        # Every load user comes from 127.0.0.1: the per-IP cap on sign-in codes (20 an hour)
        # would otherwise stop the 21st filer. The per-phone limits stay as they are.
        "XINAN_LOGIN_CODES_PER_IP_HOUR": "1000000",
    }
    gunicorn = worker = locust = None
    try:
        say(f"database {args.database}: drop, create, migrate")
        reset_database(args.database)
        reset_redis(redis_url)
        with (out / "setup.log").open("w") as log:
            for step in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"], ["demo"]):
                subprocess.run([PY, "-m", "xinan", *step], cwd=ROOT, env=env, stdout=log, stderr=log, check=True)
            say("seeding generated people, schools, cases and the load campaign")
            seeded = subprocess.run(
                [PY, "-m", "bench.load.seed"], cwd=ROOT, env=env, stderr=log, stdout=subprocess.PIPE, check=True
            )
        info = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
        say(f"seeded: {info}")
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        worker = subprocess.Popen(
            [PY, "-m", "xinan", "worker"],
            cwd=ROOT,
            env=env,
            stdout=(out / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "xinan.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "30",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=(out / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_until_up(f"{host}/healthz")
        say(f"gunicorn ({args.workers} workers) on {host}, rq worker on Redis db {args.redis_db}")
        sampler = Sampler(gunicorn, worker, args.sample_seconds)
        deadline = 0.0
        if args.scenario == "deadline-rush":
            import psycopg

            deadline = time.time() + seconds - 60
            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(
                    "UPDATE campaigns_campaign SET closes_at = to_timestamp(%s) WHERE id = %s",
                    (deadline, info["campaign"]),
                )
        prefix = out / "locust"
        locust_env = {
            **env,
            "LOAD_DATABASE_URL": database_url,
            "LOAD_CAMPAIGN_ID": str(info["campaign"]),
            "LOAD_DEADLINE": str(deadline),
            "LOAD_RESULT_JSON": str(out / "results.json"),
        }
        say(f"locust: {args.scenario}, {args.users} users for {args.minutes:g} min (results in {out})")
        sampler.start()
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "load" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{int(seconds)}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                *CLASSES[args.scenario],
            ],
            cwd=ROOT,
            env=locust_env,
            stdout=(out / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        sampler.locust_pid = locust.pid
        locust.wait(timeout=seconds + 180)
        sampler.halt.set()
        sampler.join()
        sampler.sample()
        with (out / "rss.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["seconds", "process", "pid", "rss_mb"])
            writer.writerows((f"{t:.1f}", label, pid, f"{rss:.1f}") for t, label, pid, rss in sampler.rows)
        stats = read_stats(prefix)
        results_path = out / "results.json"
        results = json.loads(results_path.read_text()) if results_path.exists() else {}
        checks = database_checks(database_url, info["campaign"])
        stop(gunicorn)
        stop(worker)
        logs = {
            "gunicorn log": count_in(out / "gunicorn.log", ("Internal Server Error", "Traceback", "WORKER TIMEOUT")),
            "worker log": count_in(out / "worker.log", ("Traceback",)),
        }
        if not stats:
            print((out / "locust.log").read_text(errors="replace")[-3000:])
            raise SystemExit("locust produced no statistics (its log is above)")
        ok = print_report(args, stats, results, sampler, checks, logs, seconds, deadline)
        print(f"\nfiles: {out}")
        return 0 if ok and stats else 1
    finally:
        for process in (locust, gunicorn, worker):
            stop(process)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))

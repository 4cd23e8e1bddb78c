"""What the benchmarks share: the machine line, a query counter, a throw-away database and
a short profile print. Benchmarks print one figure a line as `name: value unit`."""

from __future__ import annotations

import cProfile
import io
import os
import platform
import pstats
from contextlib import contextmanager


def step_data(step_id: str, case_id: int) -> dict | None:
    """What the desk types in: identifiers of its own per filing (the register refuses a
    NIF or employer number another company holds)."""
    return {"tax": {"nif": f"{1_000_000_000 + case_id}"},
            "social_security": {"employer_number": f"{100_000 + case_id}"}}.get(step_id)


def machine() -> str:
    model = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


class QueryCounter:
    """Counts the queries of this process's default connection without keeping them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._wrapper.__exit__(*exc)

    def __len__(self) -> int:
        return self.count


class QueryTimer(QueryCounter):
    """Counts and times queries by statement shape (numbers and literals blanked)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_statement: dict[str, list[float]] = {}

    def __call__(self, execute, sql, params, many, context):
        import re
        import time

        started = time.perf_counter()
        try:
            return super().__call__(execute, sql, params, many, context)
        finally:
            shape = re.sub(r"\d+|'[^']*'", "?", " ".join(sql.split()))[:110]
            entry = self.by_statement.setdefault(shape, [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - started

    def print_top(self, entries: int, *, prefix: str) -> None:
        ranked = sorted(self.by_statement.items(), key=lambda item: -item[1][1])
        for shape, (count, seconds) in ranked[:entries]:
            print(f"# {prefix} {seconds * 1000:8.1f} ms {count:6d}x  {shape}")


def clerks_by_desk() -> dict:
    """One clerk per desk (desk code -> user), as the benchmarks' deciding staff."""
    from django.contrib.auth import get_user_model

    from workflows.models import Desk, DeskMembership

    clerks = {}
    for desk in Desk.objects.all():
        user = get_user_model().objects.create_user(email=f"bench-{desk.code}@example.tg")
        DeskMembership.objects.create(desk=desk, user=user)
        clerks[desk.code] = user
    return clerks


@contextmanager
def throwaway_database():
    """A test_<name> database, migrated (definitions and desks published), then dropped."""
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                  serialize=False)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def database_url(name: str) -> str:
    from django.db import connection

    db = connection.settings_dict
    return (f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
            f"{name}")


# The project's own modules (not the libraries') in a profile's file names.
OWN_CODE = (r"^(?!.*site-packages)(?!.*<frozen)(?!.*\{)"
            r".*(registry|workflows|documents|notifications|outbox|accounts|privacy|security)/")


def profile_top(function, *, entries: int = 15, prefix: str = "profile") -> None:
    """Run `function` under cProfile; print its top entries by own time, then the project's
    own functions by cumulative time (where a case's time goes), as comments."""
    profiler = cProfile.Profile()
    profiler.runcall(function)
    _print_stats(profiler, "tottime", entries, prefix)
    _print_stats(profiler, "cumulative", entries, f"{prefix} own code, cumulative:",
                 OWN_CODE)


def _print_stats(profiler, order: str, entries: int, prefix: str, *restrictions) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(order).print_stats(*restrictions, entries)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    root = os.getcwd() + os.sep
    for line in lines[start:start + entries + 1]:
        print(f"# {prefix} {line.replace(root, '')}")


def _cpu_of(pid: int, *, reaped: bool = False) -> float:
    """Seconds of CPU (user + system) process `pid` has used; 0 once it is gone. With
    `reaped`, what its children that have ended (and were waited for) used instead."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    first = 13 if reaped else 11
    return (int(fields[first]) + int(fields[first + 1])) / os.sysconf("SC_CLK_TCK")


def _processes() -> list[tuple[int, str, int, str]]:
    """(pid, command name, process group, command line) of every process readable here."""
    rows = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    text = stat.read()
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            name = text[text.index("(") + 1:text.rindex(")")]
            rows.append((int(entry), name, int(text.rsplit(")", 1)[1].split()[2]), command))
    return rows


class CpuMeter:
    """Where the CPU went during a run, by side: this process, process groups named by
    side (a worker's, a web server's), and the PostgreSQL server processes serving
    `database` (other databases' work on a shared machine is left out). Read from /proc
    before and after, process by process."""

    def __init__(self, *, worker_group: int | None = None, database: str = "",
                 groups: dict[str, int] | None = None) -> None:
        self.groups = dict(groups or {})
        if worker_group is not None:
            self.groups["worker"] = worker_group
        self.database = database

    def sample(self) -> dict[int, tuple[str, float]]:
        """CPU by process (negative keys: what a side's ended processes used, read from
        the parent that reaped them: a web or worker group's leader, and PostgreSQL's
        postmaster, whose ended backends may have served any database)."""
        sides = {os.getpid(): ("driver", _cpu_of(os.getpid()))}
        side_of_group = {group: side for side, group in self.groups.items()}
        for pid, name, group, command in _processes():
            if group in side_of_group:
                sides[pid] = (side_of_group[group], _cpu_of(pid))
                if pid == group:
                    sides[-pid] = (side_of_group[group], _cpu_of(pid, reaped=True))
            elif name == "postgres" and self.database and f" {self.database} " in command:
                sides[pid] = ("postgresql", _cpu_of(pid))
            elif name == "postgres" and self.database and " -D " in command:
                sides[-pid] = ("postgresql", _cpu_of(pid, reaped=True))  # the postmaster
        return sides

    def __enter__(self):
        self.before = self.sample()
        return self

    def __exit__(self, *exc) -> None:
        self.used = {"driver": 0.0, "postgresql": 0.0, **dict.fromkeys(self.groups, 0.0)}
        for pid, (side, seconds) in self.sample().items():
            self.used[side] += seconds - self.before.get(pid, (side, 0.0))[1]

"""The benchmark entry point runs (benchmarks themselves never run in the suite)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest


@pytest.mark.skipif(
    shutil.which("gunicorn", path=sys.prefix + "/bin") is None,
    reason="gunicorn is not installed (pip install -e '.[serve]')",
)
def test_python_m_bench_runs_one_short_point():
    command = [sys.executable, "-m", "bench", "--servers", "gunicorn", "--costs", "4"]
    command += ["--seconds", "1", "--runs", "1", "--big-accounts", "0", "--connections", "2"]
    command += ["--generator", "python"]  # what a machine without wrk uses
    finished = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "load generator: python" in finished.stdout
    assert "| gunicorn: GET session/s |" in finished.stdout
    assert "| gunicorn: sign-ins/s at cost 4 |" in finished.stdout
    assert "| failed or non-2xx responses, all points | 0 |" in finished.stdout


def test_python_m_bench_outage_runs_one_short_fault():
    database, redis = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if not database or not redis:
        pytest.skip("bench.outage needs TEST_DATABASE_URL and TEST_REDIS_URL")
    command = [sys.executable, "-m", "bench.outage", "--database-url", database]
    command += ["--redis-url", redis, "--faults", "database:cut", "--seconds", "1"]
    command += ["--after", "1"]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    row = [line for line in finished.stdout.splitlines() if line.startswith("| database cut |")]
    assert len(row) == 1 and "| 503 at " in row[0], finished.stdout

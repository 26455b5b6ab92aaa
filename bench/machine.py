"""The machine the bench runs on: wrk, its hardware, its load, the commit measured."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from pathlib import Path

from config import ROOT

# Tools


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk (the HTTP load generator) is not installed; installing Debian's package: apt-get install -y wrk")
    if shutil.which("apt-get") is None:
        raise SystemExit("wrk is missing and apt-get is not available: install wrk (https://github.com/wg/wrk) and rerun.")
    install = subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, text=True)
    if install.returncode != 0:
        subprocess.run(["apt-get", "update"], capture_output=True)
        install = subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, text=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit(f"Could not install wrk:\n{install.stderr}\nInstall it (sudo apt-get install wrk) and rerun.")
    return found


def machine() -> dict:
    def meminfo_gb() -> float:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
        return 0.0

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": meminfo_gb(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": (wrk_version or ["?"])[0].split(" Copyright")[0],
    }


def commit() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT
    ).stdout
    return f"{head or 'unknown'}{' with uncommitted changes' if dirty.strip() else ''}"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])

"""Measuring one command: wall time, CPU time, peak memory; machine facts.

Peak memory is the larger of two readings: the child's ru_maxrss from
wait4() (which covers the descendants it waited for) and the largest sum of
VmRSS over the child's process tree, polled from /proc every 50 ms (which
covers descendants still running, e.g. omindex's filter helpers).
"""

import datetime
import os
import platform
import pty
import re
import select
import subprocess
import threading
import time


def _children(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.extend(int(x) for x in f.read().split())
    except OSError:
        pass
    return kids


_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _tree_rss_kb(root_pid):
    """Sum of resident memory (kB) over root_pid and its descendants."""
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                total += int(f.read().split()[1]) * _PAGE_KB
        except (OSError, ValueError, IndexError):
            continue
        stack.extend(_children(pid))
    return total


class Result:
    def __init__(self):
        self.wall = 0.0
        self.user = 0.0
        self.sys = 0.0
        self.peak_rss_mb = 0.0
        self.rc = None
        self.stdout = b""
        self.stderr = b""
        self.progress = []  # [(seconds since start, files done, files total, MB read)]

    @property
    def cpu(self):
        return self.user + self.sys


PROGRESS_RE = re.compile(rb"\[\s*\d+%\]\s+(\d+)/(\d+) files, ([\d.]+) MB read")


def run(cmd, env=None, cwd=None, poll=True, tty_stderr=False):
    """Runs cmd (a list) to completion and measures it.

    With tty_stderr, the child's stderr is a pseudo-terminal (so programs that
    show progress only on a terminal do) and `fidx add` progress lines are
    collected with their times into Result.progress.
    """
    res = Result()
    peak = [0]
    stop = threading.Event()
    out_chunks, err_chunks = [], []
    start = time.perf_counter()
    if tty_stderr:
        master, slave = pty.openpty()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave, env=env, cwd=cwd,
                                stdin=subprocess.DEVNULL)
        os.close(slave)
    else:
        master = None
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                cwd=cwd, stdin=subprocess.DEVNULL)

    def poller():
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            stop.wait(0.05)

    def drain(stream, chunks):
        for chunk in iter(lambda: stream.read(65536), b""):
            chunks.append(chunk)

    threads = [threading.Thread(target=drain, args=(proc.stdout, out_chunks), daemon=True)]
    if not tty_stderr:
        threads.append(threading.Thread(target=drain, args=(proc.stderr, err_chunks),
                                        daemon=True))
    if poll:
        threads.append(threading.Thread(target=poller, daemon=True))
    for t in threads:
        t.start()
    if tty_stderr:
        buf = b""
        while True:
            r, _, _ = select.select([master], [], [], 0.5)
            if r:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                now = time.perf_counter() - start
                buf += chunk
                parts = re.split(rb"[\r\n]", buf)
                buf = parts.pop()
                for line in parts:
                    line = re.sub(rb"\x1b\[[0-9;]*[A-Za-z]", b"", line)
                    m = PROGRESS_RE.search(line)
                    if m:
                        res.progress.append((now, int(m.group(1)), int(m.group(2)),
                                             float(m.group(3))))
                    elif line.strip():
                        err_chunks.append(line + b"\n")
            elif proc.poll() is not None:
                break
        os.close(master)
    _, status, ru = os.wait4(proc.pid, 0)
    res.wall = time.perf_counter() - start
    stop.set()
    for t in threads:
        t.join(timeout=5)
    res.rc = os.waitstatus_to_exitcode(status)
    proc.returncode = res.rc
    res.user, res.sys = ru.ru_utime, ru.ru_stime
    res.peak_rss_mb = max(ru.ru_maxrss, peak[0]) / 1024.0
    res.stdout = b"".join(out_chunks)
    res.stderr = b"".join(err_chunks)
    return res


def timed(cmd, env=None):
    """One run of cmd, output discarded: (wall seconds, CPU seconds, exit code)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, proc.returncode


def dir_bytes(path):
    """Bytes on disk (allocated blocks) under path."""
    total = 0
    if os.path.isfile(path):
        return os.stat(path).st_blocks * 512
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


def machine():
    """One line per fact about this machine."""
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        with open("/etc/debian_version") as f:
            debian = f.read().strip()
    except OSError:
        debian = "?"
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_gb, 1),
        "kernel": platform.release(),
        "debian": debian,
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def percentile(values, p):
    """The p-th percentile (0-100) by linear interpolation; None if empty."""
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)

#!/usr/bin/env python3
"""PostgreSQL 15 full-text search as a peer of fidx, fed the text fidx itself
extracts (the dump `fts5.py extract` writes).

  pg.py load DUMP.jsonl SOCKDIR
      loads that dump into a fresh table `docs` (the dump's columns plus a
      stored tsvector, to_tsvector('english', company || ' ' || body)) with
      COPY, builds a GIN index on the tsvector, ANALYZEs and CHECKPOINTs, on
      the server listening on SOCKDIR. This is the step the benchmark times
      (with the server's CPU time, read by Server.cpu()).

The server is private to the run (see Server): initdb into a temporary
directory owned by an unprivileged user (PostgreSQL refuses root), listening
only on a unix socket in that directory, started and stopped with pg_ctl.
Searching is done over one psycopg2 connection by run.py (`search()` below),
and once per search through `psql` (`psql_cmd()`), to time a whole process.
"""

import io
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import _children  # noqa: E402  (a process's child pids, from /proc)

BIN = "/usr/lib/postgresql/15/bin"
ROLE = "bench"
DBNAME = "postgres"
# The unprivileged user that runs the server: scripts/install-bench-deps.sh
# makes fidxbench; nobody otherwise.
USERS = ("fidxbench", "nobody")

# Durability is off, as for FTS5 (journal_mode and synchronous OFF): the
# benchmark compares indexing, not fsync. wal_level=minimal lets COPY into a
# table made in the same transaction skip the WAL. No autovacuum (the load
# runs ANALYZE itself) and no JIT (it costs tens of ms per short query).
CONF = """
listen_addresses = ''
unix_socket_directories = '{sock}'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
shared_buffers = 256MB
maintenance_work_mem = 512MB
work_mem = 64MB
autovacuum = off
jit = off
log_min_messages = warning
"""

COLUMNS = ("path", "accession", "form", "year", "ciks", "sic", "type", "company", "body")
SCHEMA = ("CREATE TABLE docs (path text, accession text, form text, year text, ciks text, "
          "sic text, type text, company text, body text, "
          "tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', company || ' ' || body)) "
          "STORED)")
INDEX = "CREATE INDEX docs_tsv ON docs USING gin (tsv)"


def _clk():
    return os.sysconf("SC_CLK_TCK")


def _tree(pid):
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(_children(p))
    return out


class Server:
    """A private PostgreSQL 15 cluster: `with Server(parent_dir) as pg:`."""

    def __init__(self, parent, keep=False):
        self.user = next((u for u in USERS if _user_exists(u)), None)
        if self.user is None:
            raise SystemExit("pg: no unprivileged user to run postgres (fidxbench or nobody)")
        os.makedirs(parent, exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix="pg-", dir=parent)
        pw = pwd.getpwnam(self.user)
        os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.data = os.path.join(self.dir, "data")
        self.sock = self.dir
        self.keep = keep
        self.pid = None

    def _as_user(self, cmd, **kw):
        # Run from the temp dir: the user may not be able to enter the cwd.
        return subprocess.run(["runuser", "-u", self.user, "--", *cmd], cwd=self.dir,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)

    def start(self):
        if self._as_user(["test", "-w", self.dir]).returncode:
            raise SystemExit(f"pg: {self.user} cannot write to {self.dir} (a parent directory "
                             "closed to other users? --work under /tmp works)")
        r = self._as_user([f"{BIN}/initdb", "-D", self.data, "-U", ROLE, "--auth=trust",
                           "-E", "UTF8", "--locale=C", "--no-sync"])
        if r.returncode:
            raise SystemExit("pg: initdb failed:\n" + r.stdout.decode(errors="replace"))
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(CONF.format(sock=self.sock))
        r = self._as_user([f"{BIN}/pg_ctl", "-D", self.data, "-l",
                           os.path.join(self.dir, "log"), "-w", "-s", "start"])
        if r.returncode:
            log = ""
            try:
                with open(os.path.join(self.dir, "log")) as f:
                    log = f.read()[-3000:]
            except OSError:
                pass
            raise SystemExit("pg: pg_ctl start failed:\n" + r.stdout.decode(errors="replace")
                             + log)
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.pid = int(f.readline())
        return self

    def stop(self):
        if self.pid is not None:
            self._as_user([f"{BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "-s", "stop"])
            self.pid = None
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()

    def cpu(self):
        """CPU seconds (user+sys) the server has used so far: the postmaster
        and every live child, each with the CPU of the children it has reaped
        (exited backends count in the postmaster's cutime/cstime)."""
        ticks = 0
        for p in _tree(self.pid):
            try:
                with open(f"/proc/{p}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                # utime, stime, cutime, cstime are fields 14-17 (1-based).
                ticks += sum(int(x) for x in fields[11:15])
            except (OSError, IndexError, ValueError):
                pass
        return ticks / _clk()

    def pss_mb(self):
        """Proportional set size of the server's processes (shared buffers
        counted once, not once per process as RSS would)."""
        kb = 0
        for p in _tree(self.pid):
            try:
                with open(f"/proc/{p}/smaps_rollup") as f:
                    for line in f:
                        if line.startswith("Pss:"):
                            kb += int(line.split()[1])
                            break
            except OSError:
                pass
        return kb / 1024

    def connect(self):
        return connect(self.sock)

    def settle(self, timeout=5.0):
        """Waits until no client backend is left (their CPU is then in the
        postmaster's cutime/cstime)."""
        conn = self.connect()
        try:
            end = time.time() + timeout
            while time.time() < end:
                with conn.cursor() as cur:
                    cur.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                                "'client backend' AND pid <> pg_backend_pid()")
                    if cur.fetchone()[0] == 0:
                        break
                time.sleep(0.05)
        finally:
            conn.close()
        time.sleep(0.1)

    def table_bytes(self):
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_total_relation_size('docs')")
                return cur.fetchone()[0]
        finally:
            conn.close()


def _user_exists(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def connect(sock):
    import psycopg2
    conn = psycopg2.connect(host=sock, dbname=DBNAME, user=ROLE)
    conn.autocommit = True
    return conn


def _copy_field(s):
    # COPY's text format; PostgreSQL text cannot hold NUL.
    return (s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r").replace("\x00", ""))


def load(dump, sock):
    conn = connect(sock)
    conn.autocommit = False
    cur = conn.cursor()
    cur.execute("DROP TABLE IF EXISTS docs")
    cur.execute(SCHEMA)
    n = 0
    copy = f"COPY docs ({', '.join(COLUMNS)}) FROM STDIN"
    with open(dump, encoding="utf-8") as f:
        buf, size = [], 0
        for line in f:
            row = "\t".join(_copy_field(x) for x in json.loads(line)) + "\n"
            buf.append(row)
            size += len(row)
            n += 1
            if size >= 16 << 20:
                cur.copy_expert(copy, io.BytesIO("".join(buf).encode("utf-8", "replace")))
                buf, size = [], 0
        if buf:
            cur.copy_expert(copy, io.BytesIO("".join(buf).encode("utf-8", "replace")))
    cur.execute(INDEX)
    conn.commit()
    conn.autocommit = True
    cur.execute("ANALYZE docs")
    cur.execute("CHECKPOINT")
    conn.close()
    print(json.dumps({"documents": n}))


# ---------------------------------------------------------------------------
# Search.

HEADLINE = "StartSel=\x02, StopSel=\x03, MaxFragments=1, MinWords=12, MaxWords=24"


def tsquery(match):
    """The tsquery for an FTS5-style match string: a quoted phrase ->
    phraseto_tsquery; a trailing * -> a prefix (to_tsquery 'word:*');
    otherwise websearch_to_tsquery (words ANDed)."""
    m = match.strip()
    if len(m) > 1 and m.startswith('"') and m.endswith('"'):
        return "phraseto_tsquery('english', %s)", m[1:-1]
    if m.endswith("*") and " " not in m:
        return "to_tsquery('english', %s)", m[:-1] + ":*"
    return "websearch_to_tsquery('english', %s)", m


FACET_SQL = ("SELECT {col}, count(DISTINCT accession) FROM docs {where} GROUP BY {col} "
             "ORDER BY 2 DESC LIMIT 10")


def statements(match, where="", params=(), facets=False, snippets=True):
    """The SQL of one search like `fidx search` (the same as fts5.search()):
    top 10 documents by ts_rank with ts_headline snippets, the number of
    matching filings and, with facets, counts of filings by form/year/SIC.
    [(sql, args)] with %s placeholders."""
    conds, args = [], []
    q = None
    if match:
        q, qarg = tsquery(match)
        conds.append(f"tsv @@ {q}")
        args.append(qarg)
    if where:
        conds.append(where.replace("?", "%s"))
        args.extend(params)
    clause = ("WHERE " + " AND ".join(conds)) if conds else ""
    if match:
        snip = f"ts_headline('english', body, {q}, %s)" if snippets else "''"
        sargs = [qarg, HEADLINE] if snippets else []
        # ts_headline only for the 10 hits: after ORDER BY ... LIMIT.
        hits = (f"SELECT accession, form, {snip} FROM (SELECT accession, form, body, "
                f"ts_rank(tsv, {q}) AS r FROM docs {clause} ORDER BY r DESC LIMIT 10) h "
                "ORDER BY r DESC", sargs + [qarg] + args)
    else:
        hits = (f"SELECT accession, form, '' FROM docs {clause} LIMIT 10", list(args))
    out = [hits, (f"SELECT count(DISTINCT accession) FROM docs {clause}", list(args))]
    if facets:
        out += [(FACET_SQL.format(col=col, where=clause), list(args))
                for col in ("form", "year", "sic")]
    return out


def search(conn, match, where="", params=(), facets=False, snippets=True):
    """fts5.search()'s answer, over a psycopg2 connection."""
    stmts = statements(match, where, params, facets, snippets)
    with conn.cursor() as cur:
        cur.execute(*stmts[0])
        hits = cur.fetchall()
        cur.execute(*stmts[1])
        total = cur.fetchone()[0]
        out = {"total": total, "hits": hits}
        if facets:
            out["facets"] = {}
            for col, st in zip(("form", "year", "sic"), stmts[2:]):
                cur.execute(*st)
                out["facets"][col] = cur.fetchall()
    return out


def psql_cmd(conn, sock, match, where="", params=(), facets=False, snippets=True):
    """One psql process doing the same search (one -c per statement)."""
    cmd = [f"{BIN}/psql", "-X", "-q", "-A", "-t", "-h", sock, "-U", ROLE, "-d", DBNAME]
    with conn.cursor() as cur:
        for sql, args in statements(match, where, params, facets, snippets):
            cmd += ["-c", cur.mogrify(sql, args).decode()]
    return cmd


def version():
    try:
        out = subprocess.run([f"{BIN}/postgres", "--version"], stdout=subprocess.PIPE)
        return out.stdout.decode().strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)

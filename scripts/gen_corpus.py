#!/usr/bin/env python3
"""Generates a scale corpus of EDGAR-like full-submission filings.

Everything a filing is made of comes from the real filings in the shared
corpus (../shared/corpus by default), recombined:

  * document bodies: HTML, plain-text, XML (ownership, 13F, XBRL) and
    uuencoded attachments cut out of real <DOCUMENT> blocks and standalone
    primary documents; long documents are made of windows of several real
    bodies (cut at tag or line boundaries), so sizes follow EDGAR's spread
    (most filings 5-200 KB, a few of several MB);
  * header shapes: SEC-HEADER (with PEM wrapping for some 1990s filings,
    REPORTING-OWNER/ISSUER for forms 3/4/5, SUBJECT COMPANY/FILED BY for
    schedules 13D/13G) and the dissemination-feed .nc <SUBMISSION> form;
  * company-name words from real headers, SIC codes and titles from
    toniremi__sic-data-lookup/data/sic_codes.csv.

New are the accession numbers (NNNNNNNNNN-YY-NNNNNN, unique), CIKs, names,
filed dates (1994-2026), forms and amendments. The output is deterministic
for a given --seed, --filings and source corpus, and is streamed to disk
filing by filing (memory stays at the size of the source pool, ~0.3 GB).

Layout: OUT/<year>/<accession>.txt (and .nc for the feed form), plus
OUT/MANIFEST.tsv with one row per filing:
  accession, form, filed (YYYY-MM-DD), ciks (every party, comma-separated,
  unpadded), sic (the one company party's SIC, or empty), path, bytes.
Only the company party (filer, issuer or subject company) carries a SIC, so
`sic:` counts follow the manifest exactly.

Usage: scripts/gen_corpus.py --filings 100000 --out /tmp/corpus100k
"""

import argparse
import csv
import datetime
import hashlib
import os
import random
import re
import sys
import time

SKIP_EXT = {".csv", ".idx", ".json", ".md", ".js", ".css", ".xsd", ".py", ".sh",
            ".pdf", ".jpg", ".jpeg", ".gif", ".png", ".zip", ".xlsx", ".xls"}

DOC_RE = re.compile(rb"<DOCUMENT>(.*?)</DOCUMENT>", re.S)
TYPE_RE = re.compile(rb"<TYPE>([^\r\n<]*)")
TEXT_RE = re.compile(rb"<TEXT>\r?\n?(.*?)</TEXT>", re.S)
NAME_RE = re.compile(rb"(?:COMPANY CONFORMED NAME:|<CONFORMED-NAME>)[ \t]*([^\r\n]+)")
UU_RE = re.compile(rb"^\s*begin [0-7]{3} \S+")
BODY_OPEN_RE = re.compile(rb"<body[^>]*>", re.I)
BODY_CLOSE_RE = re.compile(rb"</body", re.I)
HTMLISH_RE = re.compile(rb"<(?:html|table|p|div|font|br)[\s>/]", re.I)

KB = 1024

# ---------------------------------------------------------------------------
# The pool of real material.


class Pool:
    """Real document bodies by kind, and name words, read once."""

    def __init__(self):
        self.bodies = {k: [] for k in ("html", "text", "xml", "own", "info13f", "uu")}
        self.name_words = set()
        self.seen = set()
        self.source_files = 0

    def add_body(self, kind, body):
        body = body.strip(b"\r\n")
        if len(body) < 300:
            return
        digest = hashlib.blake2b(body, digest_size=12).digest()
        if digest in self.seen:
            return
        self.seen.add(digest)
        if kind == "html":
            body = html_inner(body)
        elif kind in ("xml", "own", "info13f"):
            # Rewrapped in <XML> when written.
            body = re.sub(rb"^\s*<(?:XML|XBRL)>\s*", b"", body, flags=re.I)
            body = re.sub(rb"\s*</(?:XML|XBRL)>\s*$", b"", body, flags=re.I)
        self.bodies[kind].append(body)

    def add_names(self, data):
        for m in NAME_RE.finditer(data[:200000]):
            for w in re.split(rb"[\s,./&()]+", m.group(1).upper()):
                if 2 <= len(w) <= 14 and w.isalpha():
                    self.name_words.add(w.decode("ascii", "ignore"))


def classify(body):
    head = body[:4000].lstrip()
    if UU_RE.match(head):
        return "uu"
    if head[:5].upper() == b"<PDF>":
        return None
    if head[:6].upper() in (b"<XML>\n", b"<XML>\r", b"<XBRL>") or head[:5] in (b"<?xml", b"<XML>"):
        if re.search(rb"<html", body[:20000], re.I):
            return "html"  # inline XBRL
        if b"<ownershipDocument" in body[:20000]:
            return "own"
        if b"informationTable" in body[:20000]:
            return "info13f"
        return "xml"
    if HTMLISH_RE.search(body[:20000]):
        return "html"
    if body.count(b"<") * 100 > len(body):
        return None  # markup of some other kind (XBRL schema, linkbase ...)
    return "text"


def html_inner(body):
    """The part of an HTML body between <body> and </body>, if there is one."""
    m = BODY_OPEN_RE.search(body)
    start = m.end() if m else 0
    ends = [m.start() for m in BODY_CLOSE_RE.finditer(body, start)]
    end = ends[-1] if ends else len(body)
    inner = body[start:end]
    return inner if len(inner) > 300 else body


def load_pool(corpus):
    pool = Pool()
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            ext = os.path.splitext(name)[1].lower()
            if ext in SKIP_EXT or name.startswith("."):
                continue
            path = os.path.join(root, name)
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except OSError:
                continue
            pool.source_files += 1
            pool.add_names(data)
            if b"<DOCUMENT>" in data:
                for m in DOC_RE.finditer(data):
                    t = TEXT_RE.search(m.group(1))
                    if t:
                        kind = classify(t.group(1))
                        if kind:
                            pool.add_body(kind, t.group(1))
            elif ext in (".htm", ".html") and b"-index" not in name.encode():
                if not re.search(rb"EDGAR Filing Documents|ACCESSION NUMBER:", data[:20000]):
                    pool.add_body("html", data)
            elif ext == ".xml":
                kind = classify(data)
                if kind in ("own", "info13f", "xml"):
                    pool.add_body(kind, data)
            elif ext == ".txt" and len(data) > 4000 and b"ACCESSION NUMBER" not in data[:5000]:
                if classify(data) == "text":
                    pool.add_body("text", data)
    for kind, bodies in pool.bodies.items():
        if not bodies and kind != "uu":
            sys.exit(f"gen_corpus: no {kind} bodies found under {corpus}")
    pool.name_words = sorted(pool.name_words)
    return pool


def load_sics(path):
    sics = []
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        for row in csv.DictReader(f):
            try:
                code = int(row["SIC Code"])
            except (KeyError, ValueError):
                continue
            if code > 0:
                sics.append((code, row.get("Industry Title", "").strip().upper()))
    if not sics:
        sys.exit(f"gen_corpus: no SIC codes in {path}")
    return sics


# ---------------------------------------------------------------------------
# Documents: windows of real bodies.


def window(rng, body, size, kind):
    """About `size` bytes of `body`, cut at tag (HTML/XML) or line boundaries."""
    if len(body) <= size:
        return body
    start = rng.randrange(0, len(body) - size)
    if kind == "html":
        s = body.find(b"<", start)
        e = body.rfind(b">", s, s + size)
        if s < 0 or e <= s:
            return body[:size]
        return body[s:e + 1]
    s = body.find(b"\n", start) + 1
    e = body.rfind(b"\n", s, s + size)
    if e <= s:
        return body[start:start + size]
    return body[s:e + 1]


def compose(rng, pool, kind, size):
    """A document body of about `size` bytes made of windows of real ones."""
    bodies = pool.bodies[kind]
    if kind in ("xml", "own", "info13f", "uu"):
        # Structured bodies are used whole: a cut would break them.
        return rng.choice(bodies)
    parts, have = [], 0
    while have < size * 0.9 and len(parts) < 64:
        piece = window(rng, rng.choice(bodies), size - have, kind)
        parts.append(piece)
        have += len(piece)
    if kind == "html":
        return b"<HTML>\n<BODY>\n" + b"\n".join(parts) + b"\n</BODY>\n</HTML>"
    return b"\n".join(parts)


# ---------------------------------------------------------------------------
# Entities: companies, people, institutions.

STATES = ["DE"] * 10 + ["NV"] * 3 + ["NY", "NY", "CA", "CA", "MD", "MD", "TX", "FL", "MA",
                                     "NJ", "PA", "OH", "IL", "MN", "CO", "WA", "GA", "VA",
                                     "E9", "D0", "K3", "A0"]
CITIES = [("NEW YORK", "NY"), ("BOSTON", "MA"), ("CHICAGO", "IL"), ("HOUSTON", "TX"),
          ("SAN FRANCISCO", "CA"), ("PALO ALTO", "CA"), ("DALLAS", "TX"), ("ATLANTA", "GA"),
          ("DENVER", "CO"), ("SEATTLE", "WA"), ("MIAMI", "FL"), ("PHILADELPHIA", "PA"),
          ("MINNEAPOLIS", "MN"), ("CLEVELAND", "OH"), ("RESTON", "VA"), ("LAS VEGAS", "NV"),
          ("PRINCETON", "NJ"), ("BALTIMORE", "MD"), ("CAMBRIDGE", "MA"), ("AUSTIN", "TX")]
SUFFIXES = ["INC", "INC", "CORP", "CO", "LTD", "LLC", "HOLDINGS INC", "GROUP INC", "L P",
            "TRUST", "BANCORP", "PLC", "N V", "CORPORATION", "INTERNATIONAL INC"]
FIRST = ["JOHN", "MARY", "JAMES", "PATRICIA", "ROBERT", "JENNIFER", "MICHAEL", "LINDA",
         "DAVID", "SUSAN", "WILLIAM", "KAREN", "RICHARD", "NANCY", "THOMAS", "LISA",
         "CHARLES", "SANDRA", "DANIEL", "ASHLEY", "ANTHONY", "EMILY", "MARK", "DONNA"]
LAST = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS",
        "RODRIGUEZ", "MARTINEZ", "HERNANDEZ", "LOPEZ", "WILSON", "ANDERSON", "TAYLOR",
        "THOMAS", "MOORE", "JACKSON", "MARTIN", "LEE", "THOMPSON", "WHITE", "HARRIS",
        "CLARK", "LEWIS", "ROBINSON", "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT"]
INST_TAIL = ["CAPITAL MANAGEMENT LLC", "ADVISORS LP", "ASSET MANAGEMENT INC",
             "INVESTMENT PARTNERS LLC", "GLOBAL INVESTORS", "FUND MANAGEMENT CO"]
AGENTS = [1193125, 950123, 1104659, 1213900, 1140361, 950170, 1628280, 1493152,
          1564590, 1477932, 950103, 1683168, 1437749, 1062993, 1127602, 899243]


class Entities:
    def __init__(self, rng, pool, sics, n_companies, n_people, n_inst):
        used = set()

        def new_cik():
            while True:
                c = rng.randrange(2000, 2100000)
                if c not in used and c not in AGENTS:
                    used.add(c)
                    return c

        words = pool.name_words or ["ACME", "GLOBAL", "AMERICAN"]
        self.companies = []
        for _ in range(n_companies):
            name = " ".join(rng.choice(words) for _ in range(rng.choice((1, 2, 2, 3))))
            city, bstate = rng.choice(CITIES)
            first = rng.randrange(1994, 2026)
            self.companies.append({
                "cik": new_cik(), "name": f"{name} {rng.choice(SUFFIXES)}",
                "sic": rng.choice(sics), "inc": rng.choice(STATES),
                "fye": rng.choice(["1231"] * 6 + ["0630", "0930", "0331", "0131"]),
                "irs": f"{rng.randrange(10**8, 10**9)}",
                "fileno": f"{rng.choice(['001', '000'])}-{rng.randrange(10000, 99999)}",
                "street": f"{rng.randrange(1, 9999)} {rng.choice(words)} "
                          f"{rng.choice(['STREET', 'AVENUE', 'ROAD', 'BLVD', 'PLAZA'])}",
                "city": city, "state": bstate, "zip": f"{rng.randrange(10000, 99999)}",
                "phone": f"{rng.randrange(200, 999)}{rng.randrange(2000000, 9999999)}",
                "first": first, "last": min(2026, first + rng.randrange(3, 40)),
            })
        self.people = [{"cik": new_cik(),
                        "name": f"{rng.choice(LAST)} {rng.choice(FIRST)} "
                                f"{chr(rng.randrange(65, 91))}"} for _ in range(n_people)]
        self.institutions = [{"cik": new_cik(),
                              "name": f"{rng.choice(words)} {rng.choice(INST_TAIL)}"}
                             for _ in range(n_inst)]


# ---------------------------------------------------------------------------
# Forms: mix, first year, amendment rate, main-document size and exhibits.

# form, weight, first year, amendment probability, main kind, median KB, sigma
FORMS = [
    ("4", 24, 2003, 0.03, "own", 5, 0.5),
    ("8-K", 17, 1994, 0.04, "doc", 12, 0.9),
    ("10-Q", 7, 1994, 0.03, "doc", 70, 0.8),
    ("10-K", 2.6, 1994, 0.08, "doc", 200, 1.0),
    ("SC 13G", 8, 1996, 0.45, "doc", 12, 0.5),
    ("SC 13D", 1.5, 1996, 0.50, "doc", 30, 0.7),
    ("DEF 14A", 1.8, 1994, 0.03, "doc", 110, 0.8),
    ("S-1", 0.6, 1994, 0.60, "doc", 350, 0.8),
    ("424B2", 3, 1994, 0.0, "doc", 35, 1.1),
    ("424B5", 1.5, 1994, 0.0, "doc", 150, 0.8),
    ("13F-HR", 4, 1999, 0.05, "13f", 15, 0.9),
    ("6-K", 4, 1996, 0.02, "doc", 18, 0.9),
    ("3", 3, 2003, 0.05, "own", 4, 0.4),
    ("D", 3, 2009, 0.20, "xml", 8, 0.4),
    ("497", 3, 1996, 0.0, "doc", 30, 1.0),
    ("S-8", 0.8, 1994, 0.02, "doc", 40, 0.6),
    ("11-K", 0.4, 1994, 0.03, "doc", 60, 0.7),
    ("485BPOS", 1.2, 1996, 0.0, "doc", 200, 1.0),
    ("N-CSR", 0.7, 2003, 0.05, "doc", 150, 0.9),
]
OWN_FORMS = {"3", "4", "5"}
SCHEDULES = {"SC 13G", "SC 13D"}
INST_FORMS = {"13F-HR"}

# form -> [(document type, probability, kind, median KB, first year)]
EXHIBITS = {
    "8-K": [("EX-99.1", 0.5, "doc", 15, 1994), ("EX-10.1", 0.12, "doc", 50, 1994),
            ("EX-99.2", 0.12, "doc", 25, 1994)],
    "10-Q": [("EX-31.1", 0.95, "doc", 4, 2002), ("EX-31.2", 0.9, "doc", 4, 2002),
             ("EX-32.1", 0.95, "doc", 3, 2002), ("EX-10.1", 0.2, "doc", 90, 1994),
             ("EX-101.INS", 0.9, "xml", 0, 2010)],
    "10-K": [("EX-21.1", 0.8, "doc", 5, 1994), ("EX-23.1", 0.7, "doc", 3, 1994),
             ("EX-31.1", 0.95, "doc", 4, 2002), ("EX-31.2", 0.9, "doc", 4, 2002),
             ("EX-32.1", 0.95, "doc", 3, 2002), ("EX-10.1", 0.3, "doc", 120, 1994),
             ("EX-13", 0.15, "doc", 250, 1994), ("EX-101.INS", 0.9, "xml", 0, 2010)],
    "S-1": [("EX-5.1", 0.8, "doc", 8, 1994), ("EX-23.1", 0.9, "doc", 3, 1994),
            ("EX-10.1", 0.5, "doc", 150, 1994)],
    "DEF 14A": [("DEFA14A", 0.05, "doc", 10, 1994)],
    "6-K": [("EX-99.1", 0.5, "doc", 40, 1996)],
    "13F-HR": [("INFORMATION TABLE", 1.0, "info13f", 0, 2013)],
    "S-8": [("EX-5.1", 0.9, "doc", 6, 1994), ("EX-23.1", 0.9, "doc", 3, 1994)],
}


def lognormal_bytes(rng, median_kb, sigma):
    return int(min(8 * KB * KB, max(1500, rng.lognormvariate(0, sigma) * median_kb * KB)))


def doc_kind(rng, year):
    """Text or HTML, by how common HTML was in the year."""
    p_html = 0.0 if year < 1997 else min(0.97, 0.12 * (year - 1996))
    return "html" if rng.random() < p_html else "text"


# ---------------------------------------------------------------------------
# Headers.


def party_block(role, p, form, with_sic, filing_values=True):
    lines = [f"{role}:", "", "\tCOMPANY DATA:" if "sic" in p or "inc" in p else "\tOWNER DATA:",
             f"\t\tCOMPANY CONFORMED NAME:\t\t\t{p['name']}",
             f"\t\tCENTRAL INDEX KEY:\t\t\t{p['cik']:010d}"]
    if with_sic:
        code, title = p["sic"]
        lines.append(f"\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\t{title} [{code:04d}]")
    if "irs" in p:
        lines += [f"\t\tIRS NUMBER:\t\t\t\t{p['irs']}",
                  f"\t\tSTATE OF INCORPORATION:\t\t\t{p['inc']}",
                  f"\t\tFISCAL YEAR END:\t\t\t{p['fye']}"]
    if filing_values:
        lines += ["", "\tFILING VALUES:", f"\t\tFORM TYPE:\t\t{form}", "\t\tSEC ACT:\t\t1934 Act",
                  f"\t\tSEC FILE NUMBER:\t{p.get('fileno', '005-00000')}",
                  f"\t\tFILM NUMBER:\t\t{p['film']}"]
    if "street" in p:
        lines += ["", "\tBUSINESS ADDRESS:", f"\t\tSTREET 1:\t\t{p['street']}",
                  f"\t\tCITY:\t\t\t{p['city']}", f"\t\tSTATE:\t\t\t{p['state']}",
                  f"\t\tZIP:\t\t\t{p['zip']}", f"\t\tBUSINESS PHONE:\t\t{p['phone']}"]
    return "\n".join(lines) + "\n\n"


def sgml_header(f):
    d = f["filed"].replace("-", "")
    acc = f["accession"]
    open_tag = "IMS" if f["year"] < 1996 and f["pem"] else "SEC"
    out = [f"<{open_tag}-DOCUMENT>{acc}.txt : {d}", f"<{open_tag}-HEADER>{acc}.hdr.sgml : {d}"]
    if f["year"] >= 2001:
        out.append(f"<ACCEPTANCE-DATETIME>{d}{f['hms']}")
    out += [f"ACCESSION NUMBER:\t\t{acc}", f"CONFORMED SUBMISSION TYPE:\t{f['form']}",
            f"PUBLIC DOCUMENT COUNT:\t\t{len(f['docs'])}"]
    if f["period"]:
        out.append(f"CONFORMED PERIOD OF REPORT:\t{f['period']}")
    out.append(f"FILED AS OF DATE:\t\t{d}")
    out.append(f"DATE AS OF CHANGE:\t\t{d}")
    out.append("")
    text = "\n".join(out) + "\n"
    for role, p, with_sic in f["parties"]:
        text += party_block(role, p, f["form"], with_sic)
    return text + f"</{open_tag}-HEADER>\n"


def nc_header(f):
    d = f["filed"].replace("-", "")
    out = ["<SUBMISSION>", f"<ACCESSION-NUMBER>{f['accession']}", f"<TYPE>{f['form']}",
           f"<PUBLIC-DOCUMENT-COUNT>{len(f['docs'])}"]
    if f["period"]:
        out.append(f"<PERIOD>{f['period']}")
    out += [f"<FILING-DATE>{d}", f"<DATE-OF-FILING-DATE-CHANGE>{d}"]
    nc_roles = {"FILER": "FILER", "REPORTING-OWNER": "REPORTING-OWNER", "ISSUER": "ISSUER",
                "SUBJECT COMPANY": "SUBJECT-COMPANY", "FILED BY": "FILED-BY"}
    for role, p, with_sic in f["parties"]:
        tag = nc_roles[role]
        out += [f"<{tag}>", "<COMPANY-DATA>" if "irs" in p else "<OWNER-DATA>",
                f"<CONFORMED-NAME>{p['name']}", f"<CIK>{p['cik']:010d}"]
        if with_sic:
            out.append(f"<ASSIGNED-SIC>{p['sic'][0]:04d}")
        if "irs" in p:
            out += [f"<IRS-NUMBER>{p['irs']}", f"<STATE-OF-INCORPORATION>{p['inc']}",
                    f"<FISCAL-YEAR-END>{p['fye']}"]
        out.append("</COMPANY-DATA>" if "irs" in p else "</OWNER-DATA>")
        out += ["<FILING-VALUES>", f"<FORM-TYPE>{f['form']}", "<ACT>34",
                f"<FILE-NUMBER>{p.get('fileno', '005-00000')}", f"<FILM-NUMBER>{p['film']}",
                "</FILING-VALUES>"]
        if "street" in p:
            out += ["<BUSINESS-ADDRESS>", f"<STREET1>{p['street']}", f"<CITY>{p['city']}",
                    f"<STATE>{p['state']}", f"<ZIP>{p['zip']}", "</BUSINESS-ADDRESS>"]
        out.append(f"</{tag}>")
    return "\n".join(out) + "\n"


PEM_HEAD = (b"-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n"
            b"Originator-Name: webmaster@www.sec.gov\nOriginator-Key-Asymmetric:\n"
            b" MFgwCgYEVQgBAQICAf8DSgAwRwJAW2sNKK9AVtBzYZmr6aGjlWyK3XmZv3dTINen\n"
            b" TWSM7vrzLADbmYQaionwg5sDW3P6oaM5D3tdezXMm7z1T+B+twIDAQAB\n"
            b"MIC-Info: RSA-MD5,RSA,\n"
            b" Fh7Zr3X2gVmgF0ZDF5rCGXbd0yG2OqX7pXNp8a8Sak7m0Vx5bTVQmpN9v0EHHzQv\n"
            b" RbN4i2E4kUfi+ce3DxDcOA==\n\n")


def cover(f):
    """A short generated cover block: names and numbers that vary by filing."""
    co = f["company"]
    return (f"\nUNITED STATES SECURITIES AND EXCHANGE COMMISSION\nWashington, D.C. 20549\n\n"
            f"FORM {f['form']}\n\n{co['name']}\n(Exact name of registrant as specified in "
            f"its charter)\n\n{co.get('inc', '')}  {co.get('fileno', '')}  {co.get('irs', '')}\n"
            f"{co.get('street', '')}, {co.get('city', '')}, {co.get('state', '')} "
            f"{co.get('zip', '')}\nFiled {f['filed']}\n\n").encode("ascii", "replace")


def render(f):
    """The bytes of one filing."""
    if f["nc"]:
        head = nc_header(f).encode("ascii", "replace")
    else:
        head = sgml_header(f).encode("ascii", "replace")
    parts = [head]
    for seq, (dtype, fname, desc, kind, body) in enumerate(f["docs"], 1):
        meta = f"<DOCUMENT>\n<TYPE>{dtype}\n<SEQUENCE>{seq}\n<FILENAME>{fname}\n"
        if desc:
            meta += f"<DESCRIPTION>{desc}\n"
        parts.append(meta.encode("ascii") + b"<TEXT>\n")
        if kind in ("own", "info13f", "xml"):
            parts += [b"<XML>\n", body, b"\n</XML>\n"]
        elif kind == "html" and seq == 1:
            parts += [b"<HTML><BODY><PRE>", cover(f).replace(b"&", b"&amp;"), b"</PRE>\n",
                      body, b"\n</BODY></HTML>\n"]
        elif kind == "text" and seq == 1:
            parts += [cover(f), body, b"\n"]
        else:
            parts += [body, b"\n"]
        parts.append(b"</TEXT>\n</DOCUMENT>\n")
    if not f["nc"]:
        parts.append(b"</IMS-DOCUMENT>\n" if f["year"] < 1996 and f["pem"]
                     else b"</SEC-DOCUMENT>\n")
    else:
        parts.append(b"</SUBMISSION>\n")
    data = b"".join(parts)
    if f["pem"]:
        data = PEM_HEAD + data + b"-----END PRIVACY-ENHANCED MESSAGE-----\n"
    return data


# ---------------------------------------------------------------------------
# Filings.


class Generator:
    def __init__(self, args, pool, sics):
        self.rng = random.Random(args.seed)
        self.pool = pool
        n = args.filings
        self.ent = Entities(self.rng, pool, sics, max(50, n // 8), max(50, n // 15),
                            max(20, n // 300))
        self.nc_share = args.nc_share
        self.years = list(range(1994, 2027))
        # EDGAR grew from ~1993 phase-in to its modern volume around 2003.
        self.year_weights = [min(1.0, 0.15 + 0.09 * (y - 1994)) * (0.9 if y == 2026 else 1)
                             for y in self.years]
        self.seq = {}  # (agent, yy) -> next sequence number
        self.film = 100000
        self.form_weights = [fm[1] for fm in FORMS]

    def accession(self, filer_cik, year):
        rng = self.rng
        agent = filer_cik if rng.random() < 0.3 else rng.choice(AGENTS)
        key = (agent, year % 100)
        nxt = self.seq.get(key)
        if nxt is None:
            nxt = rng.randrange(1, 2000)
        self.seq[key] = nxt + rng.randrange(1, 4)
        if nxt > 999999:
            raise RuntimeError("accession sequence overflow")
        return f"{agent:010d}-{year % 100:02d}-{nxt:06d}"

    def pick_form(self):
        while True:
            spec = self.rng.choices(FORMS, self.form_weights)[0]
            year = self.rng.choices(self.years, self.year_weights)[0]
            if year >= spec[2]:
                return spec, year

    def one(self):
        rng, ent = self.rng, self.ent
        spec, year = self.pick_form()
        form, _, _, amend_p, main_kind, median_kb, sigma = spec
        amended = rng.random() < amend_p
        last_day = datetime.date(2026, 11, 20) if year == 2026 else datetime.date(year, 12, 31)
        day = datetime.date(year, 1, 2) + datetime.timedelta(
            days=rng.randrange((last_day - datetime.date(year, 1, 2)).days + 1))
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        company = rng.choice(ent.companies)
        self.film += rng.randrange(1, 50)
        company = dict(company, film=f"{year % 100:02d}{self.film:06d}")
        parties = []
        if form in OWN_FORMS:
            owner = dict(rng.choice(ent.people), film=company["film"], fileno=company["fileno"])
            parties = [("REPORTING-OWNER", owner, False), ("ISSUER", company, True)]
            if rng.random() < 0.1:
                second = dict(rng.choice(ent.people), film=company["film"])
                if second["cik"] != owner["cik"]:
                    parties.insert(1, ("REPORTING-OWNER", second, False))
        elif form in SCHEDULES:
            inst = dict(rng.choice(ent.institutions), film=company["film"])
            parties = [("SUBJECT COMPANY", company, True), ("FILED BY", inst, False)]
        elif form in INST_FORMS:
            inst = dict(rng.choice(ent.institutions), film=company["film"],
                        fileno=f"028-{rng.randrange(10000, 99999)}")
            parties = [("FILER", inst, False)]
            company = inst
        else:
            parties = [("FILER", company, True)]
        filer_cik = parties[0][1]["cik"]
        full_form = form + "/A" if amended else form
        period = ""
        if form in ("10-K", "10-Q", "8-K", "4", "3", "13F-HR", "N-CSR", "11-K"):
            period = (day - datetime.timedelta(days=rng.randrange(1, 90))).strftime("%Y%m%d")
        f = {"form": full_form, "year": year, "filed": day.isoformat(), "period": period,
             "accession": self.accession(filer_cik, year), "parties": parties,
             "company": company, "hms": f"{rng.randrange(6, 22):02d}{rng.randrange(60):02d}"
                                        f"{rng.randrange(60):02d}",
             "nc": rng.random() < self.nc_share, "pem": year < 1997 and rng.random() < 0.5}
        f["docs"] = self.documents(form, full_form, main_kind, median_kb, sigma, year)
        return f

    def documents(self, form, full_form, main_kind, median_kb, sigma, year):
        rng, pool = self.rng, self.pool
        slug = f"d{rng.randrange(100000, 999999)}"
        docs = []
        if main_kind == "own":
            kind = "own"
        elif main_kind == "xml":
            kind = "xml"
        elif main_kind == "13f":
            kind = doc_kind(rng, year)
        else:
            kind = doc_kind(rng, year)
        size = lognormal_bytes(rng, median_kb, sigma)
        ext = {"html": "htm", "text": "txt"}.get(kind, "xml")
        docs.append((full_form, f"{slug}{form.lower().replace(' ', '')}.{ext}", full_form, kind,
                     compose(rng, pool, kind, size)))
        for dtype, p, ekind, ekb, first in EXHIBITS.get(form, []):
            if year < first or rng.random() >= p:
                continue
            k = doc_kind(rng, year) if ekind == "doc" else ekind
            ext = {"html": "htm", "text": "txt"}.get(k, "xml")
            body = compose(rng, pool, k, lognormal_bytes(rng, max(ekb, 1), 0.6))
            docs.append((dtype, f"{slug}{dtype.lower().replace('.', '').replace(' ', '')}.{ext}",
                         dtype, k, body))
        if year >= 1997 and pool.bodies["uu"] and rng.random() < 0.03:
            body = rng.choice(pool.bodies["uu"])
            if len(body) < 2 * KB * KB:
                docs.append(("GRAPHIC", f"g{rng.randrange(10000, 99999)}.jpg", "", "uu", body))
        return docs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_corpus = os.path.normpath(os.path.join(here, "..", "..", "shared", "corpus"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--filings", type=int, default=10000, help="how many filings (default 10000)")
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--source", default=default_corpus, help="real corpus to draw from")
    ap.add_argument("--sic-csv", default=None,
                    help="SIC list (default: SOURCE/toniremi__sic-data-lookup/data/sic_codes.csv)")
    ap.add_argument("--seed", type=int, default=20261122)
    ap.add_argument("--nc-share", type=float, default=0.05,
                    help="share of filings written in the .nc feed form (default 0.05)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    if args.filings <= 0:
        ap.error("--filings must be positive")
    sic_csv = args.sic_csv or os.path.join(args.source, "toniremi__sic-data-lookup", "data",
                                           "sic_codes.csv")
    t0 = time.time()
    pool = load_pool(args.source)
    sics = load_sics(sic_csv)
    if not args.quiet:
        counts = ", ".join(f"{k} {len(v)}" for k, v in pool.bodies.items())
        print(f"gen_corpus: pool from {pool.source_files} files: {counts} bodies; "
              f"{len(pool.name_words)} name words; {len(sics)} SIC codes "
              f"({time.time() - t0:.1f} s)", file=sys.stderr)
    os.makedirs(args.out, exist_ok=True)
    gen = Generator(args, pool, sics)
    total = 0
    made_dirs = set()
    seen_acc = set()
    with open(os.path.join(args.out, "MANIFEST.tsv"), "w", encoding="utf-8") as manifest:
        manifest.write("accession\tform\tfiled\tciks\tsic\tpath\tbytes\n")
        for i in range(args.filings):
            f = gen.one()
            if f["accession"] in seen_acc:
                raise RuntimeError(f"duplicate accession {f['accession']}")
            seen_acc.add(f["accession"])
            data = render(f)
            ydir = str(f["year"])
            if ydir not in made_dirs:
                os.makedirs(os.path.join(args.out, ydir), exist_ok=True)
                made_dirs.add(ydir)
            rel = f"{ydir}/{f['accession']}.{'nc' if f['nc'] else 'txt'}"
            with open(os.path.join(args.out, rel), "wb") as out:
                out.write(data)
            total += len(data)
            ciks = ",".join(str(p["cik"]) for _, p, _ in f["parties"])
            sic = next((str(p["sic"][0]) for _, p, s in f["parties"] if s), "")
            manifest.write(f"{f['accession']}\t{f['form']}\t{f['filed']}\t{ciks}\t{sic}\t"
                           f"{rel}\t{len(data)}\n")
            if not args.quiet and (i + 1) % 5000 == 0:
                print(f"gen_corpus: {i + 1} filings, {total / 1e9:.2f} GB "
                      f"({time.time() - t0:.0f} s)", file=sys.stderr)
    if not args.quiet:
        print(f"gen_corpus: wrote {args.filings} filings, {total / 1e6:.1f} MB to {args.out} "
              f"in {time.time() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

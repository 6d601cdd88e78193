#!/usr/bin/python3
"""Differential test of fidx's query language against a brute-force evaluator.

    tests/query_diff_test.py FIDX CORPUS [--queries N] [--seed S] [--work DIR]

Indexes CORPUS with `fidx add`, reads back every indexed file with `fidx
inspect --json --text` (the text fidx extracted, never the index), and
then, for N seeded random queries (words, quoted words, phrases drawn from
the corpus's own text, AND/OR/NOT/-/+, parentheses, NEAR/n, ADJ/n, trailing
wildcards, filters, negated filters, ranges), compares the set of filings
`fidx search` returns with the set this script computes by itself, at
filing level and with --per-document. Nothing here goes through Xapian:
words are cut as Xapian's TermGenerator cuts them (reimplemented below from
its documented rules) and stemmed with the Snowball English stemmer
(python3-snowballstemmer).

With --serve the queries go to `fidx serve`'s /api/search instead (the same
contract; a server's searchers count filings through an in-memory table of
every document's filing, the CLI reads values), so both paths are held to
the same proof.

Every fourth query also asks for facets, and the per-filing counts of form,
year, CIK, SIC, state of incorporation and business location are compared
with counts made here over the matching filings' headers (both levels
count filings).

A failure prints the seed, the query, the smallest query found that still
fails, and the filings on each side. Exit status: 0 all agree, 1 some
differ, 2 usage or setup error.
"""

import argparse
import bisect
import collections
import http.client
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import unicodedata
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import snowballstemmer

_local = threading.local()
MAX_WORD = 64          # DocumentBuilder: set_max_word_length(64)
FIELD_GAP = True       # fields of a document never join in a phrase

# ---------------------------------------------------------------------------
# Words, as Xapian's TermGenerator makes them (termgenerator_internal.cc).

WORD_CATS = {"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Me", "Mc", "Nd", "Nl", "No", "Pc"}
STEM_CATS = {"Ll", "Lt", "Lm", "Lo"}


def is_wordchar(ch):
    return unicodedata.category(ch) in WORD_CATS


def lower(ch):
    low = ch.lower()
    return low if len(low) == 1 else ch


def infix(ch):
    if ch in "'&\u00b7\u05f4\u2027":
        return ch
    if ch in "\u2019\u201b":
        return "'"
    if ch in "\u200b\u200c\u200d\u2060\ufeff":
        return ""
    return None


def infix_digit(ch):
    if ch in ",.;\u037e\u0589\u060d\u07f8\u2044\ufe10\ufe13\ufe14":
        return ch
    if ch in "\u200b\u200c\u200d\u2060\ufeff":
        return ""
    return None


def is_digit(ch):
    return unicodedata.category(ch) == "Nd"


# The same rules as one regular expression (Python's Unicode \w stands for
# Xapian's word characters; they differ only on combining marks and rare
# connector punctuation):
#   initials: upper-case letters joined by '.', not followed by a word char
#   words: runs of word chars joined by ',', '.', ';' between digits, or by
#          an apostrophe or '&' otherwise; then up to 3 of '+' or '#' (C++)
#          unless more of them or a word char follow.
_APOS = "\u2019\u201b"
_TOKEN = re.compile(
    r"(?P<acro>(?>[A-Z](?:\.[A-Z])+\.?)(?!\w))"
    r"|(?P<word>\w+(?:(?:(?<=\d)[,.;\u037e\u0589\u060d\u07f8\u2044\ufe10\ufe13\ufe14](?=\d)"
    r"|(?<!\d)['&\u00b7\u05f4\u2027" + _APOS + r"](?=\w)"
    r"|['&\u00b7\u05f4\u2027" + _APOS + r"](?=(?!\d)\w))\w+)*)"
    r"(?P<suffix>[+#]{1,3}(?![+#]|\w))?")


# Accents folded as fidx folds them, index and query alike: Latin letters
# U+00C0..U+024F by compatibility decomposition without combining marks,
# and a few letters that have none.
_SPECIAL = {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
            "ł": "l", "Ł": "L", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ð": "d",
            "Ð": "D", "ı": "i", "ħ": "h", "Ħ": "H", "ŋ": "n", "Ŋ": "N", "ŧ": "t", "Ŧ": "T",
            "ĸ": "q"}


def _fold_char(c):
    if c in _SPECIAL:
        return _SPECIAL[c]
    f = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x))
    return f if f and f.isascii() else c


_FOLD = str.maketrans({chr(cp): _fold_char(chr(cp)) for cp in range(0xC0, 0x250)})


def words(text):
    """The terms of `text` in order (a too-long word takes no position)."""
    out = []
    for m in _TOKEN.finditer(text.translate(_FOLD)):
        if m.group("acro"):
            term = m.group("acro").replace(".", "").lower()
        else:
            term = m.group("word").lower()
            for a in _APOS:
                term = term.replace(a, "'")
            if m.group("suffix"):
                term += m.group("suffix")
        if len(term.encode("utf-8")) <= MAX_WORD:
            out.append(term)
    return out


def should_stem(term):
    return bool(term) and unicodedata.category(term[0]) in STEM_CATS


def stem(term):
    # Snowball stemmers keep state: one per thread.
    st = getattr(_local, "stemmer", None)
    if st is None:
        st = _local.stemmer = snowballstemmer.stemmer("english")
    return st.stemWord(term)


# ---------------------------------------------------------------------------
# The corpus as fidx extracted it.


def canon(s):
    return " ".join((s or "").split()).upper()


class Doc:
    __slots__ = ("filing", "ident", "fields", "exact", "stems", "type", "desc_stems",
                 "desc_exact", "desc_fields", "_positions")

    def __init__(self, filing, ident, body, names, description, dtype):
        self.filing = filing
        self.ident = ident
        # Fields are indexed 100 positions apart: phrases stay inside one.
        self.fields = [words(body)] + [words(nm) for nm in names] + [words(description)]
        self.exact = set(t for f in self.fields for t in f)
        self.stems = set(stem(t) for t in self.exact if should_stem(t))
        self.type = canon(dtype)
        self.desc_fields = [words(description)]
        self.desc_exact = set(self.desc_fields[0])
        self.desc_stems = set(stem(t) for t in self.desc_exact if should_stem(t))
        self._positions = None

    def positions(self):
        """Per field, term -> sorted positions (built on first use)."""
        if self._positions is None:
            built = []  # published whole: two threads may ask at once
            for f in self.fields:
                m = {}
                for i, t in enumerate(f):
                    m.setdefault(t, []).append(i)
                built.append(m)
            self._positions = built
        return self._positions


class Filing:
    def __init__(self, key, header):
        self.key = key
        self.form = canon(header.get("form"))
        self.filed = (header.get("filed") or "").replace("-", "")
        self.accession = header.get("accession") or ""
        parties = header.get("parties") or []
        self.ciks = set(p["cik"] for p in parties if p.get("cik"))
        self.sics = set(p["sic"] for p in parties if p.get("sic"))
        self.states = set(canon(p.get("state_of_incorporation")) for p in parties) - {""}
        self.locations = set(canon((p.get("business_address") or {}).get("state"))
                             for p in parties) - {""}
        names = []
        for p in parties:
            names.append(p.get("name") or "")
            names.extend(fn.get("name") or "" for fn in p.get("former_names") or [])
        self.names = names
        name_words = [t for nm in names for t in words(nm)]
        self.company_exact = set(name_words)
        self.company_stems = set(stem(t) for t in name_words if should_stem(t))
        self.docs = []


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def load(fidx, db):
    """The filings and documents the index holds, read back from the files."""
    r = run([fidx, "search", "--db", db, "--json", "--no-snippets", "--per-document",
             "-n", "10000000", "*"])
    if r.returncode not in (0, 1):
        raise SystemExit(f"fidx search '*' failed: {r.stderr.decode()}")
    hits = json.loads(r.stdout)["hits"]
    by_path = {}
    for h in hits:
        by_path.setdefault(h["path"], []).append(h)
    filings, docs = {}, []
    paths = sorted(by_path)
    for start in range(0, len(paths), 200):
        chunk = paths[start:start + 200]
        out = run([fidx, "inspect", "--json", "--text"] + chunk)
        for line in out.stdout.decode("utf-8", "replace").split("\n"):
            if not line:
                continue
            obj = json.loads(line)
            path = obj["path"]
            key = obj.get("accession") or path
            want = by_path.get(path, [])
            if not want:
                continue
            f = filings.get(key)
            if f is None:
                f = filings[key] = Filing(key, obj)
            documents = obj.get("documents") or []
            texts = obj.get("texts") or []
            if not documents:
                documents, texts = [{}], [""]
            # The documents this path contributed, as listed by the index.
            listed = {(h["document"].get("sequence") or 0, h["document"].get("filename") or "")
                      for h in want}
            for d, text in zip(documents, texts):
                ident = (d.get("sequence") or 0, d.get("filename") or "")
                if ident not in listed:
                    continue
                doc = Doc(f, (key,) + ident + (d.get("type") or "",), text, f.names,
                          d.get("description") or "", d.get("type") or "")
                f.docs.append(doc)
                docs.append(doc)
    return filings, docs


# ---------------------------------------------------------------------------
# Queries: a tree, its text, and its brute-force answer.
#
# Nodes: ("word", w) ("qword", w) ("phrase", [w...]) ("near", [a, b], n, ordered)
# ("wild", prefix) ("filter", field, value, text) ("all",) ("and", [..], explicit)
# ("or", [..]) ("not", child, style)


def leaf_docs(node, ctx):
    """Documents matching a leaf."""
    kind = node[0]
    docs = ctx.docs
    if kind == "word":
        return set(ctx.by_stem.get(stem(words(node[1])[0]), ()))
    if kind == "qword":
        return set(ctx.by_word.get(node[1], ()))
    if kind == "phrase":
        ws = node[1]
        cands = set.intersection(*[ctx.by_word.get(w, set()) for w in ws])
        return {i for i in cands if any(has_phrase(m, ws) for m in docs[i].positions())}
    if kind == "near":
        (a, b), n, ordered = node[1], node[2], node[3]
        cands = ctx.by_word.get(a, set()) & ctx.by_word.get(b, set())
        return {i for i in cands if any(has_near(m, a, b, n, ordered) for m in docs[i].positions())}
    if kind == "wild":
        p = node[1]
        out = set()
        k = bisect.bisect_left(ctx.vocabulary, p)
        while k < len(ctx.vocabulary) and ctx.vocabulary[k].startswith(p):
            out |= ctx.by_word[ctx.vocabulary[k]]
            k += 1
        return out
    if kind == "filter" and node[1] in ("company", "description"):
        s = stem(node[2])
        if node[1] == "company":
            return {i for i, d in enumerate(docs) if s in d.filing.company_stems}
        return {i for i, d in enumerate(docs) if s in d.desc_stems}
    if kind == "filter":
        return {i for i, d in enumerate(docs) if filter_holds(node, d)}
    if kind == "all":
        return set(range(len(docs)))
    raise ValueError(kind)


def has_phrase(positions, ws):
    """`ws` at consecutive positions of one field (term -> positions)."""
    lists = [positions.get(w) for w in ws]
    if not all(lists):
        return False
    pivot = min(range(len(ws)), key=lambda j: len(lists[j]))
    for x in lists[pivot]:
        start = x - pivot
        if all(contains(lists[j], start + j) for j in range(len(ws)) if j != pivot):
            return True
    return False


def contains(sorted_list, v):
    k = bisect.bisect_left(sorted_list, v)
    return k < len(sorted_list) and sorted_list[k] == v


def has_near(positions, a, b, n, ordered):
    pa, pb = positions.get(a), positions.get(b)
    if not pa or not pb:
        return False
    for x in pa:
        k = bisect.bisect_left(pb, x - n - 1)
        while k < len(pb) and pb[k] <= x + n + 1:
            y = pb[k]
            if (ordered and 0 < y - x) or (not ordered and y != x):
                return True
            k += 1
    return False


def filter_holds(node, d):
    _, field, value, _ = node
    f = d.filing
    if field == "form":
        return f.form == value
    if field == "cik":
        return value in f.ciks
    if field == "sic":
        return value in f.sics
    if field == "state":
        return value in f.states
    if field == "location":
        return value in f.locations
    if field == "year":
        lo, hi = value
        y = f.filed[:4]
        return bool(y) and (lo is None or y >= lo) and (hi is None or y <= hi)
    if field == "filed":
        lo, hi = value
        return bool(f.filed) and (lo is None or f.filed >= lo) and (hi is None or f.filed <= hi)
    if field == "type":
        return d.type == value
    if field == "accession":
        return f.accession == value
    raise ValueError(field)


def normalise(node):
    """The README's rule: positive filters of one field side by side
    (joined without AND) are alternatives."""
    if node[0] == "and":
        kids = [normalise(c) for c in node[1]]
        if not node[2]:
            merged, out = {}, []
            for c in kids:
                if c[0] == "filter":
                    key = c[1]
                    if key in merged:
                        out[merged[key]][1].append(c)
                        continue
                    merged[key] = len(out)
                    out.append(("or", [c]))
                else:
                    out.append(c)
            kids = [c[1][0] if c[0] == "or" and len(c[1]) == 1 and c[1][0][0] == "filter" else c
                    for c in out]
        return ("and", kids, node[2])
    if node[0] == "or":
        return ("or", [normalise(c) for c in node[1]])
    if node[0] == "not":
        return ("not", normalise(node[1]), node[2])
    return node


def evaluate(node, ctx, level):
    """Set of filing keys (level "filing") or document indexes ("document")."""
    kind = node[0]
    if kind == "and":
        acc = None
        for c in node[1]:
            s = evaluate(c, ctx, level)
            acc = s if acc is None else acc & s
        return acc
    if kind == "or":
        acc = set()
        for c in node[1]:
            acc |= evaluate(c, ctx, level)
        return acc
    if kind == "not":
        universe = ctx.filing_keys if level == "filing" else set(range(len(ctx.docs)))
        return universe - evaluate(node[1], ctx, level)
    cache = ctx.leaf_cache
    key = repr(node)
    if key not in cache:
        cache[key] = leaf_docs(node, ctx)
    docs = cache[key]
    if level == "document":
        return docs
    return {ctx.docs[i].filing.key for i in docs}


def render(node, top=True):
    kind = node[0]
    if kind == "word":
        return node[1]
    if kind == "qword":
        return '"' + node[1] + '"'
    if kind == "phrase":
        return '"' + " ".join(node[1]) + '"'
    if kind == "near":
        op = "ADJ" if node[3] else "NEAR"
        return f"{node[1][0]} {op}/{node[2]} {node[1][1]}"
    if kind == "wild":
        return node[1] + "*"
    if kind == "filter":
        return node[3]
    if kind == "all":
        return "*"
    if kind == "and":
        parts = []
        for c in node[1]:
            t = render(c, False)
            parts.append("(" + t + ")" if c[0] in ("or", "and") else t)
        return (" AND " if node[2] else " ").join(parts)
    if kind == "or":
        parts = []
        for c in node[1]:
            t = render(c, False)
            parts.append(t)
        return " OR ".join(parts)
    if kind == "not":
        c = node[1]
        t = render(c, False)
        if c[0] in ("and", "or", "near", "not"):
            t = "(" + t + ")"
        return ("-" + t) if node[2] == "-" else ("NOT " + t)
    raise ValueError(kind)


class Generator:
    def __init__(self, ctx, rng):
        self.ctx = ctx
        self.rng = rng
        self.filings = list(ctx.filings.values())

    def doc(self):
        return self.rng.choice(self.ctx.docs)

    def word(self):
        for _ in range(50):
            d = self.doc()
            f = d.fields[0] if d.fields[0] and self.rng.random() < 0.9 else self.rng.choice(d.fields)
            if not f:
                continue
            w = self.rng.choice(f)
            if w.isascii() and w.isalpha() and 3 <= len(w) <= 20:
                return w
        return "revenue"

    def leaf(self):
        r = self.rng.random()
        if r < 0.30:
            w = self.word()
            return ("word", w.capitalize() if self.rng.random() < 0.1 else w)
        if r < 0.38:
            return ("qword", self.word())
        if r < 0.55:
            return self.phrase()
        if r < 0.63:
            return self.near()
        if r < 0.68:
            w = self.word()
            while len(w) < 6:
                w = self.word()
            return ("wild", w[:max(5, len(w) - 3)])
        return self.filter()

    def phrase(self):
        for _ in range(50):
            d = self.doc()
            f = self.rng.choice(d.fields) if self.rng.random() < 0.2 else d.fields[0]
            k = self.rng.randint(2, 4)
            if len(f) < k:
                continue
            i = self.rng.randrange(len(f) - k + 1)
            ws = f[i:i + k]
            if all(w.isascii() and (w.isalnum() or set(w) <= set("abcdefghijklmnopqrstuvwxyz0123456789'&.,"))
                   for w in ws) and all(w[0].isalnum() for w in ws):
                return ("phrase", ws)
        return ("phrase", ["material", "adverse", "effect"])

    def near(self):
        for _ in range(50):
            d = self.doc()
            f = d.fields[0]
            if len(f) < 3:
                continue
            i = self.rng.randrange(len(f))
            j = min(len(f) - 1, i + self.rng.randint(1, 12))
            a, b = f[i], f[j]
            if a != b and all(w.isascii() and w.isalpha() for w in (a, b)):
                if self.rng.random() < 0.5:
                    a, b = b, a
                return ("near", [a, b], self.rng.choice([0, 1, 3, 5, 10, 20]),
                        self.rng.random() < 0.3)
        return ("near", ["orphan", "drug"], 3, False)

    def filter(self):
        f = self.rng.choice(self.filings)
        d = self.rng.choice(f.docs)
        choices = []
        if f.form:
            choices.append(("form", f.form, "form:" + (f.form if " " not in f.form else '"' + f.form + '"')))
        for c in f.ciks:
            z = str(c).zfill(10) if self.rng.random() < 0.3 else str(c)
            choices.append(("cik", c, "cik:" + z))
        for s in f.sics:
            choices.append(("sic", s, f"sic:{s}"))
        for s in f.states:
            if len(s) == 2 and s.isalnum():
                choices.append(("state", s, f"state:{s.lower() if self.rng.random() < 0.3 else s}"))
        for s in f.locations:
            if len(s) == 2 and s.isalnum():
                choices.append(("location", s, f"location:{s}"))
        if f.filed:
            y = f.filed[:4]
            choices.append(("year", (y, y), f"year:{y}"))
            lo = str(int(y) - self.rng.randint(0, 5))
            hi = str(int(y) + self.rng.randint(0, 5))
            form = self.rng.randint(0, 2)
            if form == 0:
                choices.append(("year", (lo, hi), f"year:{lo}..{hi}"))
            elif form == 1:
                choices.append(("year", (lo, None), f"year:{lo}.."))
            else:
                choices.append(("year", (None, hi), f"year:..{hi}"))
            day = f.filed
            choices.append(("filed", (day, day), f"filed:{day[:4]}-{day[4:6]}-{day[6:]}"))
            m_lo = day[:6] + "01"
            choices.append(("filed", (m_lo, day[:6] + "31"), f"filed:{day[:4]}-{day[4:6]}"))
            choices.append(("filed", (day, None), f"filed:{day}.."))
            choices.append(("filed", (None, day), f"filed:..{day[:4]}-{day[4:6]}-{day[6:]}"))
        if d.type and " " not in d.type and '"' not in d.type and "*" not in d.type:
            choices.append(("type", d.type, "type:" + d.type))
        if f.accession:
            choices.append(("accession", f.accession, "accession:" + f.accession))
        cw = [t for t in f.company_exact if t.isascii() and t.isalpha() and len(t) >= 3]
        if cw:
            w = self.rng.choice(sorted(cw))
            choices.append(("company", w, "company:" + w))
        dw = [t for t in d.desc_exact if t.isascii() and t.isalpha() and len(t) >= 3]
        if dw:
            w = self.rng.choice(sorted(dw))
            choices.append(("description", w, "description:" + w))
        if not choices:
            return ("all",)
        field, value, text = self.rng.choice(choices)
        if field == "filed":
            lo, hi = value
            value = (lo, hi if hi is None or not hi.endswith("31") else hi)
            if text.startswith("filed:") and len(text) == len("filed:") + 7:  # a month
                value = (lo, month_end(lo))
        return ("filter", field, value, text)

    def node(self, depth=0):
        r = self.rng.random()
        if depth >= 3 or r < 0.35:
            return self.leaf()
        if r < 0.70:
            kids = [self.node(depth + 1) for _ in range(self.rng.randint(2, 4))]
            kids = [("not", k, self.rng.choice("-N")) if self.rng.random() < 0.2 and k[0] != "not" else k
                    for k in kids]
            if all(k[0] == "not" for k in kids) and self.rng.random() < 0.5:
                kids.insert(0, ("all",))
            return ("and", kids, self.rng.random() < 0.2)
        if r < 0.92:
            return ("or", [self.node(depth + 1) for _ in range(self.rng.randint(2, 3))])
        return ("not", self.node(depth + 1), self.rng.choice("-N"))

    def query(self):
        q = self.node()
        if q[0] == "not" and q[1][0] == "not":
            q = q[1]
        return q


def month_end(day):
    y, m = int(day[:4]), int(day[4:6])
    days = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return f"{day[:6]}{days:02d}"


# ---------------------------------------------------------------------------
# fidx's answers.


class Context:
    def __init__(self, fidx, db, filings, docs):
        self.fidx = fidx
        self.db = db
        self.serve_port = None  # set with --serve
        self.filings = filings
        self.docs = docs
        self.filing_keys = set(filings)
        self.leaf_cache = {}
        # Which documents hold each word and each stem (a plain inverted
        # list, built here from the extracted text).
        self.by_word, self.by_stem = {}, {}
        for i, d in enumerate(docs):
            for t in d.exact:
                self.by_word.setdefault(t, set()).add(i)
            for t in d.stems:
                self.by_stem.setdefault(t, set()).add(i)
        self.vocabulary = sorted(self.by_word)


FACET_FIELDS = ("form", "year", "cik", "sic", "state", "location")


def facet_values(f):
    """The facet values filing f is counted under (FilingFacets() in
    document_builder.cc, FacetTally in facet_tally.cc)."""
    unknown = ["(unknown)"]
    year = f.filed[:4] if len(f.filed) == 8 and f.filed != "00000000" else "(unknown)"
    listed = lambda vals: sorted(set(v.replace(",", "") for v in vals) - {""}) or unknown
    return {
        "form": [f.form or "(unknown)"],
        "year": [year],
        "cik": sorted(str(c) for c in f.ciks) or unknown,
        "sic": sorted(str(c) for c in f.sics) or unknown,
        "state": listed(f.states),
        "location": listed(f.locations),
    }


def expected_facets(ctx, keys):
    counts = {field: collections.Counter() for field in FACET_FIELDS}
    for key in keys:
        for field, values in facet_values(ctx.filings[key]).items():
            counts[field].update(values)
    return {field: dict(c) for field, c in counts.items() if c}


def serve_answer(ctx, text, level, facets=False):
    """fidx serve's /api/search: (status, body).

    Each thread keeps one keep-alive connection. The server closes one left
    idle past its keep-alive timeout (5 s: the brute-force side of a query
    can take longer on a loaded machine), so a request that finds its
    kept connection closed is sent once more on a new one, as HTTP clients
    do; a server that is gone fails that second try too."""
    query = urllib.parse.urlencode({"q": text, "limit": SERVE_PAGE, "snippets": 0,
                                    "per_document": int(level == "document"),
                                    "facets": int(facets)})
    for attempt in (1, 2):
        conn = getattr(_local, "conn", None)
        reused = conn is not None
        if conn is None:
            conn = _local.conn = http.client.HTTPConnection("127.0.0.1", ctx.serve_port,
                                                            timeout=120)
        try:
            conn.request("GET", "/api/search?" + query)
            resp = conn.getresponse()
            return resp.status, resp.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn.close()
            _local.conn = None
            if not reused or attempt == 2:
                raise
        except (OSError, http.client.HTTPException):
            conn.close()
            _local.conn = None
            raise


def fidx_answer(ctx, text, level, facets=None):
    """The filings (or documents) fidx answers; with `facets` (a dict), the
    facet counts it gives are put there."""
    if ctx.serve_port:
        status, body = serve_answer(ctx, text, level, facets is not None)
        if status != 200:
            return ("error", status, body.decode("utf-8", "replace").strip())
        answer = json.loads(body)
    else:
        cmd = [ctx.fidx, "search", "--db", ctx.db, "--json", "--no-snippets", "-n", "10000000"]
        if level == "document":
            cmd.append("--per-document")
        if facets is not None:
            cmd.append("--facets")
        r = run(cmd + ["--", text])
        if r.returncode not in (0, 1):
            return ("error", r.returncode, r.stderr.decode("utf-8", "replace").strip())
        answer = json.loads(r.stdout)
    hits = answer["hits"]
    if facets is not None:
        facets.update({field: counts for field, counts in (answer.get("facets") or {}).items()
                       if field in FACET_FIELDS and counts})
    if level == "filing":
        return set(h["accession"] or h["path"] for h in hits)
    out = []
    for h in hits:
        key = h["accession"] or h["path"]
        d = h["document"]
        out.append((key, d.get("sequence") or 0, d.get("filename") or "", d.get("type") or ""))
    return sorted(out)


def expected(ctx, node, level):
    got = evaluate(normalise(node), ctx, level)
    if level == "filing":
        return got
    return sorted(ctx.docs[i].ident for i in got)


def agrees(ctx, node, level):
    return fidx_answer(ctx, render(node), level) == expected(ctx, node, level)


def shrink(ctx, node, level):
    """A smaller query that still disagrees (greedy: children replace their
    parent, children are dropped)."""
    changed = True
    while changed:
        changed = False
        for cand in smaller(node):
            try:
                if not agrees(ctx, cand, level):
                    node, changed = cand, True
                    break
            except Exception:
                continue
    return node


def smaller(node):
    kind = node[0]
    if kind in ("and", "or"):
        kids = node[1]
        for c in kids:
            yield c
        if len(kids) > 2:
            for i in range(len(kids)):
                rest = kids[:i] + kids[i + 1:]
                yield (kind, rest, node[2]) if kind == "and" else (kind, rest)
        for i, c in enumerate(kids):
            for s in smaller(c):
                new = kids[:i] + [s] + kids[i + 1:]
                yield (kind, new, node[2]) if kind == "and" else (kind, new)
    elif kind == "not":
        yield node[1]
        for s in smaller(node[1]):
            yield ("not", s, node[2])


def describe_counts(counts, limit=8):
    """The values whose counts differ are what matters; a sample of a dict."""
    if counts is None:
        return "none"
    items = sorted(counts.items())
    more = f" ... ({len(items)} values)" if len(items) > limit else ""
    return ", ".join(f"{v}={n}" for v, n in items[:limit]) + more


def describe(ans, limit=8):
    if isinstance(ans, tuple):
        return f"error {ans[1]}: {ans[2]}"
    items = sorted(ans)
    head = ", ".join(str(x) for x in items[:limit])
    return f"{len(items)} [{head}{' ...' if len(items) > limit else ''}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("fidx")
    ap.add_argument("corpus", nargs="+")
    ap.add_argument("--queries", type=int, default=5000, help="per level (default 5000)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--work", default=None, help="index here (default: a temporary folder)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--serve", action="store_true",
                    help="ask a `fidx serve` over the index instead of `fidx search`")
    ap.add_argument("--skip-if-absent", action="store_true",
                    help="exit 77 (skipped) when a corpus folder does not exist")
    args = ap.parse_args()
    missing = [c for c in args.corpus if not os.path.isdir(c)]
    if missing:
        print(f"query_diff: SKIPPED: {', '.join(missing)} not found", flush=True)
        return 77 if args.skip_if_absent else 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    print(f"query_diff: seed {seed} (rerun with --seed {seed}), {args.queries} queries per level "
          f"over {' '.join(args.corpus)}", flush=True)

    tmp = None
    if args.work:
        work = args.work
    else:
        tmp = tempfile.TemporaryDirectory(prefix="fidx-qdiff-")
        work = tmp.name
    db = os.path.join(work, "index")
    r = run([args.fidx, "add", "--quiet", "--db", db] + args.corpus)
    if r.returncode not in (0, 1):
        print(r.stderr.decode(), file=sys.stderr)
        return 2
    filings, docs = load(args.fidx, db)
    print(f"query_diff: {len(filings)} filings, {len(docs)} documents read back", flush=True)
    ctx = Context(args.fidx, db, filings, docs)
    server = None
    if args.serve:
        server, ctx.serve_port = start_server(args.fidx, db)
        if server is None:
            return 2
    try:
        return compare(ctx, args, seed)
    finally:
        if server:
            if server.poll() is not None:
                # It died under the test: say how, with what it last wrote
                # (a sanitizer's report, an exception).
                print(f"query_diff: fidx serve exited with status {server.returncode}; "
                      "its last words:\n" + "".join(server.log), file=sys.stderr)
            server.terminate()
            server.wait()


SERVE_PAGE = 1000000


def start_server(fidx, db):
    """Starts `fidx serve` on a free port; (process, port) or (None, None)."""
    server = subprocess.Popen([fidx, "serve", "--db", db, "--listen", "127.0.0.1:0",
                               "--max-page", str(SERVE_PAGE), "--threads", "2"],
                              stderr=subprocess.PIPE, text=True)
    line = server.stderr.readline()
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    if not m:
        print(f"query_diff: fidx serve did not start: {line.strip()}", file=sys.stderr)
        server.kill()
        return None, None
    # Keep reading its diagnostics so that it never blocks on a full pipe;
    # the last lines are kept, to be shown if it dies.
    server.log = collections.deque(maxlen=60)
    threading.Thread(target=lambda: server.log.extend(server.stderr), daemon=True).start()
    print(f"query_diff: asking fidx serve on port {m.group(1)}", flush=True)
    return server, int(m.group(1))


def compare(ctx, args, seed):
    # Every filing and document the index lists must be read back, and the
    # other way round, or the comparisons below would mean little.
    if expected(ctx, ("all",), "filing") != fidx_answer(ctx, "*", "filing"):
        print("query_diff: FAIL: '*' differs from the files read back", file=sys.stderr)
        return 1

    rng = random.Random(seed)
    gen = Generator(ctx, rng)
    cases = []
    for level in ("filing", "document"):
        for i in range(args.queries):
            cases.append((level, i, gen.query()))

    def check(case):
        level, i, node = case
        text = render(node)
        want = expected(ctx, node, level)
        got_facets = {} if i % 4 == 0 else None
        got = fidx_answer(ctx, text, level, got_facets)
        facet_diff = None
        if got_facets is not None and want == got:
            keys = want if level == "filing" else set(k for k, _, _, _ in want)
            want_facets = expected_facets(ctx, keys)
            if want_facets != got_facets:
                facet_diff = {f: (got_facets.get(f), want_facets.get(f)) for f in FACET_FIELDS
                              if got_facets.get(f) != want_facets.get(f)}
        return case, text, want, got, facet_diff

    failures = 0
    faceted = 0
    stats = {"filing": [0, 0], "document": [0, 0]}  # queries, non-empty answers
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for case, text, want, got, facet_diff in pool.map(check, cases):
            level = case[0]
            stats[level][0] += 1
            if isinstance(want, (set, list)) and want:
                stats[level][1] += 1
            faceted += case[1] % 4 == 0
            if facet_diff:
                failures += 1
                if failures <= 5:
                    lines = "".join(f"\n  {f}: fidx {describe_counts(g)}\n"
                                    f"  {' ' * len(f)}  expected {describe_counts(w)}"
                                    for f, (g, w) in facet_diff.items())
                    print(f"query_diff: FAIL (seed {seed}, {level} level, query {case[1]}, "
                          f"facets): {text}{lines}", file=sys.stderr, flush=True)
                continue
            if want == got:
                continue
            failures += 1
            if failures <= 5:
                small = shrink(ctx, case[2], level)
                print(f"query_diff: FAIL (seed {seed}, {level} level, query {case[1]}): {text}\n"
                      f"  smallest failing query: {render(small)}\n"
                      f"    fidx:     {describe(fidx_answer(ctx, render(small), level))}\n"
                      f"    expected: {describe(expected(ctx, small, level))}",
                      file=sys.stderr, flush=True)
    for level, (n, nonempty) in stats.items():
        print(f"query_diff: {level} level: {n} queries, {nonempty} with matches")
    print(f"query_diff: facets compared on {faceted} queries")
    total = sum(n for n, _ in stats.values())
    print(f"query_diff: {total - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

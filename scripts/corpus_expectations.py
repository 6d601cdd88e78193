#!/usr/bin/env python3
"""Independent expectations for fidx's EDGAR header parser.

Walks ../shared/corpus and, for every file that carries a submission header
(full submissions, .nc dissemination files, header-only files and EDGAR
-index-headers.html pages), writes one row of tests/data/corpus_headers.tsv:

    path  accession  form  filed  ciks  sics

(path relative to the corpus; ciks and sics sorted, comma-separated; "-"
when absent). tests/corpus_test.cc checks fidx's parser against every row.

The approach is deliberately unlike the C++ parser's: no layout detection,
no state machine, no notion of parties or sections. A file counts as having
a header if an accession-number field appears before its first <DOCUMENT>;
each value is then found with a regular expression over that whole region.

Usage: scripts/corpus_expectations.py [CORPUS_DIR] [OUT_TSV]
"""

import html
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "corpus"))
DEFAULT_OUT = os.path.join(HERE, "..", "tests", "data", "corpus_headers.tsv")

ACCESSION = re.compile(
    r"^[ \t]*ACCESSION NUMBER:[ \t]*(\d{10}-\d{2}-\d{6})|<ACCESSION-NUMBER>[ \t]*(\d{10}-\d{2}-\d{6})",
    re.M)
FORM = re.compile(r"^[ \t]*CONFORMED SUBMISSION TYPE:[ \t]*([^\n]*)|<TYPE>([^<\n]*)", re.M)
FILED = re.compile(r"^[ \t]*FILED AS OF DATE:[ \t]*(\d{8})|<FILING-DATE>[ \t]*(\d{8})", re.M)
CIK = re.compile(r"^[ \t]*CENTRAL INDEX KEY:[ \t]*(\d+)|<CIK>[ \t]*(\d+)", re.M)
SIC = re.compile(r"^[ \t]*STANDARD INDUSTRIAL CLASSIFICATION:([^\n]*)|<ASSIGNED-SIC>[ \t]*(\d+)", re.M)
FOUR_DIGITS = re.compile(r"(\d{4})")


def header_text(raw):
    """The header region of a file as str, or None if it has no header."""
    text = raw.decode("latin-1").replace("\r\n", "\n").replace("\r", "\n")
    # -index-headers.html: the header is HTML-escaped inside <PRE>.
    pre = re.search(r"&lt;SEC-HEADER&gt;(.*?)(?:&lt;/SEC-HEADER&gt;|</PRE>|\Z)", text, re.S)
    if pre and re.match(r"\s*<(html|!doctype)", text, re.I):
        return html.unescape(pre.group(1))
    first_document = text.find("<DOCUMENT>")
    region = text if first_document < 0 else text[:first_document]
    if not ACCESSION.search(region):
        return None
    return region


def first(regex, text):
    m = regex.search(text)
    if not m:
        return None
    return next(g for g in m.groups() if g is not None).strip()


def expectations(region):
    accession = first(ACCESSION, region) or "-"
    form = first(FORM, region) or "-"
    filed = first(FILED, region)
    filed = f"{filed[:4]}-{filed[4:6]}-{filed[6:]}" if filed else "-"
    ciks = sorted({int(a or b) for a, b in CIK.findall(region)} - {0})
    sics = set()
    for title, code in SIC.findall(region):
        if code:
            sics.add(int(code))
        else:
            # "NAME [2834]", "2834", " [2834" or " []": the last 4-digit run.
            codes = FOUR_DIGITS.findall(title)
            if codes:
                sics.add(int(codes[-1]))
    sics = sorted(sics - {0})
    return [accession, form, filed,
            ",".join(map(str, ciks)) or "-", ",".join(map(str, sics)) or "-"]


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CORPUS
    out_path = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUT
    rows = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                raw = f.read()
            region = header_text(raw)
            if region is None:
                continue
            rel = os.path.relpath(path, corpus)
            rows.append([rel] + expectations(region))
    rows.sort()
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("# Written by scripts/corpus_expectations.py; do not edit by hand.\n")
        out.write("# path\taccession\tform\tfiled\tciks\tsics\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print(f"{len(rows)} files with a header -> {out_path}", file=sys.stderr)


if __name__ == "__main__":
    main()

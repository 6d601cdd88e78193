#!/usr/bin/env python3
"""Writes a deterministic folder of hostile input for `fidx add`.

The folder mixes every filing of the bundled corpus/ (the good files) with
files built to break an indexer: empty, random bytes, NUL bytes, a truncated
header, missing end tags, Windows-1252 text, a uuencoded blob, a 30 MB single
line, 3,000 documents in one filing, 200,000 nested tags, an XML entity flood
("billion laughs"), invalid header values, names with spaces and non-ASCII
characters, symbolic link loops, a named pipe, a corrupt gzip file and an
unreadable (mode 000) file.

Layout:
  OUT/corpus/...        what `fidx add OUT/corpus` is run on
  OUT/manifest.json     one entry per file under corpus/, with its outcome:
    "indexed"  must become exactly one filing (`docs` documents, if given);
               at most one warning line may name it (a "warn" entry must
               have exactly one);
    "failed"   must not be indexed; exactly one warning line names it;
    "ignored"  never read and never named (dot-files, named pipes,
               directory loops);
    "unreadable" indexed when fidx runs as root, else "failed".
  Every indexed filing has its own accession number (or none: then the
  file's path keys it), so the index holds exactly one filing per
  "indexed" entry. Generated filings list theirs ("accession").

The output depends only on --seed and the bundled corpus. No network.
Usage: tests/hostile_corpus.py --out /tmp/hostile [--seed 1] [--small]
  --small drops the 30 MB line to 3 MB (for quick runs and sanitizers).
"""

import argparse
import gzip
import json
import os
import random
import shutil
import stat
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(os.path.dirname(HERE), "corpus")

# Accession numbers of generated filings: 9999999999-26-000001 ...
ACC_PREFIX = "9999999999-26-"


class Writer:
    def __init__(self, out):
        self.root = os.path.join(out, "corpus")
        self.entries = []
        self.serial = 0

    def accession(self):
        self.serial += 1
        return "%s%06d" % (ACC_PREFIX, self.serial)

    def write(self, rel, data, expect, why, docs=None, mode=None, accession=None):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(path, mode)
        self.add(rel, expect, why, docs, accession)

    def add(self, rel, expect, why, docs=None, accession=None):
        entry = {"path": rel, "expect": expect, "why": why}
        if docs is not None:
            entry["docs"] = docs
        if accession is not None:
            entry["accession"] = accession
        self.entries.append(entry)


def header(acc, form="8-K", name="HOSTILE INPUT TEST CORP", cik="0009999999",
           filed="20260115", extra=b""):
    return (
        "<SEC-DOCUMENT>%s.txt : %s\n<SEC-HEADER>%s.hdr.sgml : %s\n"
        "ACCESSION NUMBER:\t\t%s\nCONFORMED SUBMISSION TYPE:\t%s\n"
        "PUBLIC DOCUMENT COUNT:\t\t1\nFILED AS OF DATE:\t\t%s\n\nFILER:\n\n"
        "\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\t%s\n"
        "\t\tCENTRAL INDEX KEY:\t\t\t%s\n"
        "\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tPHARMACEUTICAL PREPARATIONS [2834]\n"
        "\t\tSTATE OF INCORPORATION:\t\t\tDE\n\n\tFILING VALUES:\n"
        "\t\tFORM TYPE:\t\t%s\n" % (acc, filed, acc, filed, acc, form, filed,
                                   name, cik, form)
    ).encode() + extra + b"</SEC-HEADER>\n"


def document(body, doc_type="8-K", seq=1, filename="d.htm"):
    return (b"<DOCUMENT>\n<TYPE>" + doc_type.encode() + b"\n<SEQUENCE>" +
            str(seq).encode() + b"\n<FILENAME>" + filename.encode() +
            b"\n<TEXT>\n" + body + b"\n</TEXT>\n</DOCUMENT>\n")


def filing(acc, docs, **kw):
    return header(acc, **kw) + b"".join(docs) + b"</SEC-DOCUMENT>\n"


def words(rng, n):
    vocab = ["revenue", "merger", "dividend", "shareholder", "audit", "board",
             "quarter", "covenant", "impairment", "liquidity", "warrant",
             "indenture", "subsidiary", "derivative", "goodwill"]
    return " ".join(rng.choice(vocab) for _ in range(n))


def good_files(w):
    """Every file of the bundled corpus that fidx indexes, copied as is."""
    for dirpath, dirnames, filenames in os.walk(CORPUS):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".md"):
                continue  # SOURCES.md: fidx skips .md files
            src = os.path.join(dirpath, name)
            rel = os.path.join("good", os.path.relpath(src, CORPUS))
            dst = os.path.join(w.root, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
            w.add(rel, "indexed", "bundled corpus file")


def broken_files(w, rng, small):
    sample = open(os.path.join(CORPUS, "2017", "0001144204-17-013452.txt"), "rb").read()

    w.write("bad/empty.txt", b"", "failed", "empty file")
    w.write("bad/random-bytes.txt", rng.randbytes(200000),
            "failed", "random bytes")
    w.write("bad/nul-bytes.txt", b"\0" * 65536, "failed", "NUL bytes only")
    w.write("bad/corrupt.txt.gz", gzip.compress(sample)[:1500], "failed",
            "gzip cut short")

    acc = w.accession()
    cut = sample.replace(b"0001144204-17-013452", acc.encode())
    cut = cut[:cut.index(b"FORMER COMPANY")]
    w.write("odd/truncated-header.txt", cut, "warn", "header cut mid-way, no </SEC-HEADER>", accession=acc)

    acc = w.accession()
    open_tags = sample.replace(b"0001144204-17-013452", acc.encode())
    for tag in (b"</TEXT>", b"</DOCUMENT>", b"</SEC-DOCUMENT>", b"</HTML>", b"</BODY>"):
        open_tags = open_tags.replace(tag, b"")
    w.write("odd/missing-end-tags.txt", open_tags, "indexed", "no end tags at all", accession=acc)

    # Windows-1252: curly quotes, a euro sign and an e-acute, as 1990s text
    # filings have them.
    acc = w.accession()
    text = (b"The \x93caf\xe9 merger\x94 cost \x80 5 million \x96 a "
            b"hostilewindowsword deal.\n") * 50
    w.write("odd/windows-1252.txt",
            filing(acc, [document(text, filename="d.txt")]), "indexed",
            "Windows-1252 bytes in a plain-text document", accession=acc)

    acc = w.accession()
    blob = rng.randbytes(3 << 20)
    uu = [b"begin 644 blob.bin"]
    for i in range(0, len(blob), 45):
        chunk = blob[i:i + 45]
        line = bytes([32 + len(chunk)])
        padded = chunk + b"\0" * ((3 - len(chunk) % 3) % 3)
        for j in range(0, len(padded), 3):
            a, b, c = padded[j], padded[j + 1], padded[j + 2]
            for v in (a >> 2, ((a & 3) << 4) | (b >> 4), ((b & 15) << 2) | (c >> 6), c & 63):
                line += bytes([32 + v if v else 96])
        uu.append(line)
    uu += [b"`", b"end"]
    w.write("odd/uuencoded.txt",
            filing(acc, [document(b"Hostile uuencoded exhibit follows.", filename="a.txt"),
                         document(b"\n".join(uu), doc_type="EX-99", seq=2,
                                  filename="blob.bin")]),
            "indexed", "3 MB uuencoded attachment", docs=2, accession=acc)

    acc = w.accession()
    size = (3 if small else 30) << 20
    line = (words(rng, 2000) + " ").encode()
    body = (line * (size // len(line) + 1))[:size]
    w.write("odd/long-line.txt", filing(acc, [document(body, filename="l.txt")]),
            "indexed", "%d MB single line" % (size >> 20), accession=acc)

    acc = w.accession()
    docs = [document(("exhibit %d %s" % (i, words(rng, 30))).encode(), doc_type="EX-99",
                     seq=i + 1, filename="ex%d.txt" % i) for i in range(3000)]
    w.write("odd/many-documents.txt", filing(acc, docs), "indexed",
            "3,000 documents in one filing", docs=3000, accession=acc)

    acc = w.accession()
    nested = b"<html><body>" + b"<div>" * 200000 + b"deepnestedword" + \
        b"</div>" * 200000 + b"</body></html>"
    w.write("odd/nested-tags.txt", filing(acc, [document(nested)]), "indexed",
            "200,000 nested tags", accession=acc)

    acc = w.accession()
    lol = [b'<?xml version="1.0"?>', b"<!DOCTYPE lolz [", b' <!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = b"&lol;" if i == 1 else b"&lol%d;" % (i - 1)
        lol.append(b' <!ENTITY lol%d "%s">' % (i, prev * 10))
    lol += [b"]>", b"<lolz>&lol9; entityfloodword</lolz>"]
    w.write("odd/entity-flood.txt",
            filing(acc, [document(b"\n".join(lol), doc_type="EX-101.INS",
                                  filename="lol.xml")]),
            "indexed", "XML entity flood (billion laughs)", accession=acc)

    acc = w.accession()
    extra = (b"\t\tSEC FILE NUMBER:\t" + b"9" * 5000 + b"\n"
             b"\t\tSTATE OF INCORPORATION:\t\t\t" + b"\0" * 300 + b"\n"
             b"ITEM INFORMATION:\t\t" + b"\0" * 250 + b"\n")
    w.write("odd/invalid-header.txt",
            filing(acc, [document(b"invalidheaderword text")],
                   form="8-K\0\0\0" + "\0" * 200, name="X" * 20000, cik="abc",
                   filed="99999999", extra=extra),
            "indexed", "invalid header values (NUL bytes, 20 KB name, bad CIK and date)", accession=acc)

    acc = w.accession()
    w.write("names/with space \u00fc \u20ac \u65e5\u672c.txt",
            sample.replace(b"0001144204-17-013452", acc.encode()), "indexed",
            "spaces and non-ASCII characters in the name", accession=acc)

    acc = w.accession()
    w.write("names/unreadable.txt", sample.replace(b"0001144204-17-013452", acc.encode()),
            "unreadable", "mode 000", mode=0, accession=acc)

    loops = os.path.join(w.root, "links")
    os.makedirs(loops, exist_ok=True)
    os.symlink("self-loop.txt", os.path.join(loops, "self-loop.txt"))
    w.add("links/self-loop.txt", "failed", "symbolic link to itself")
    os.symlink("..", os.path.join(loops, "dir-loop"))
    w.add("links/dir-loop", "ignored", "directory symlink loop (walked once)")
    os.mkfifo(os.path.join(loops, "pipe.txt"))
    w.add("links/pipe.txt", "ignored", "named pipe: never opened")
    w.write("links/.hidden.txt", b"hidden", "ignored", "dot-file")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--small", action="store_true")
    args = ap.parse_args()
    if os.path.exists(os.path.join(args.out, "corpus")):
        sys.exit("hostile_corpus.py: %s/corpus exists; remove it first" % args.out)
    rng = random.Random(args.seed)
    w = Writer(args.out)
    good_files(w)
    broken_files(w, rng, args.small)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump({"entries": w.entries}, f, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

// The parser against the real filings of ../shared/corpus.
//
// tests/data/corpus_headers.tsv is written by scripts/corpus_expectations.py,
// an independent regex-based reading of every header in the corpus; each row
// must agree exactly with what ParseFiling finds. Tests skip, saying so, when
// the shared corpus is absent.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fidx/file_io.h"
#include "fidx/filing.h"
#include "fidx/parser.h"
#include "test_paths.h"

namespace {

bool CorpusPresent() {
  struct stat st;
  return ::stat(fidx_test::kSharedCorpus, &st) == 0 && S_ISDIR(st.st_mode);
}

#define SKIP_WITHOUT_CORPUS()                                                   \
  do {                                                                          \
    if (!CorpusPresent()) {                                                     \
      WARN("skipped: shared corpus not found at " << fidx_test::kSharedCorpus); \
      SUCCEED();                                                                \
      return;                                                                   \
    }                                                                           \
  } while (0)

std::string CorpusPath(const std::string& rel) {
  return std::string(fidx_test::kSharedCorpus) + "/" + rel;
}

fidx::Filing ParseCorpusFile(const std::string& rel, bool extract_text) {
  std::string bytes, error;
  bool gzipped = false;
  std::string path = CorpusPath(rel);
  if (!fidx::ReadFileBytes(path, fidx::ReadLimits(), &bytes, &gzipped, &error)) {
    FAIL("cannot read " << path << ": " << error);
  }
  fidx::ParseOptions options;
  options.extract_text = extract_text;
  options.path = path;
  return fidx::ParseFiling(bytes, options);
}

struct Expected {
  std::string path, accession, form, filed, ciks, sics;
};

std::vector<Expected> ReadExpectations() {
  std::ifstream in(std::string(fidx_test::kSourceDir) + "/tests/data/corpus_headers.tsv");
  std::vector<Expected> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Expected e;
    std::getline(fields, e.path, '\t');
    std::getline(fields, e.accession, '\t');
    std::getline(fields, e.form, '\t');
    std::getline(fields, e.filed, '\t');
    std::getline(fields, e.ciks, '\t');
    std::getline(fields, e.sics, '\t');
    rows.push_back(e);
  }
  return rows;
}

template <typename T>
std::string SortedList(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  std::string s;
  for (const T& x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s.empty() ? "-" : s;
}

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

// "" if `f` agrees with `e`, else one line per differing field.
std::string Compare(const Expected& e, const fidx::Filing& f) {
  std::string diff;
  auto check = [&](const char* what, const std::string& want, const std::string& got) {
    if (want != got) diff += "  " + std::string(what) + ": want " + want + ", got " + got + "\n";
  };
  check("accession", e.accession, OrDash(f.accession));
  check("form", e.form, OrDash(f.form));
  check("filed", e.filed, OrDash(f.filed));
  check("ciks", e.ciks, SortedList(f.Ciks()));
  check("sics", e.sics, SortedList(f.Sics()));
  return diff;
}

}  // namespace

TEST_CASE("every corpus header agrees with the independent count", "[corpus]") {
  SKIP_WITHOUT_CORPUS();
  std::vector<Expected> rows = ReadExpectations();
  REQUIRE(rows.size() >= 200);
  std::string mismatches;
  size_t agree = 0;
  for (const Expected& e : rows) {
    std::string diff = Compare(e, ParseCorpusFile(e.path, false));
    if (diff.empty()) {
      ++agree;
    } else {
      mismatches += e.path + "\n" + diff;
    }
  }
  INFO(agree << " of " << rows.size() << " files agree\n" << mismatches);
  CHECK(agree == rows.size());
}

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
#include "skip.h"
#include "test_paths.h"

namespace {

// Ends the test as skipped (CTest says so) when ../shared/corpus is absent.
#define SKIP_WITHOUT_CORPUS() fidx_test::SkipWithoutSharedCorpus()

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

// ---- The same claim through the real binary: fidx inspect --json ----

namespace {

// The raw JSON text of `"key":value` in `line` for every occurrence.
std::vector<std::string> JsonValues(const std::string& line, const std::string& key) {
  std::vector<std::string> out;
  std::string needle = "\"" + key + "\":";
  for (size_t at = line.find(needle); at != std::string::npos; at = line.find(needle, at + 1)) {
    size_t begin = at + needle.size();
    size_t end = begin;
    if (line[begin] == '"') {
      end = line.find('"', begin + 1) + 1;  // corpus values hold no escaped quotes
    } else {
      while (end < line.size() && line[end] != ',' && line[end] != '}') ++end;
    }
    out.push_back(line.substr(begin, end - begin));
  }
  return out;
}

std::string Unquote(const std::string& v) {
  return v.size() >= 2 && v.front() == '"' ? v.substr(1, v.size() - 2) : "-";
}

std::string NumberSet(const std::vector<std::string>& values) {
  std::set<uint64_t> s;
  for (const std::string& v : values) {
    // Quoted values are not CIKs: "sources":{"cik":"sec-header"}.
    if (v != "null" && v != "0" && v.front() != '"') s.insert(std::stoull(v));
  }
  return SortedList(std::vector<uint64_t>(s.begin(), s.end()));
}

bool FidxBinaryPresent() {
  struct stat st;
  return ::stat(fidx_test::kFidxBinary, &st) == 0;
}

}  // namespace

TEST_CASE("fidx inspect --json agrees with the independent count on every corpus header",
          "[corpus][cli]") {
  SKIP_WITHOUT_CORPUS();
  if (!FidxBinaryPresent()) {
    WARN("skipped: " << fidx_test::kFidxBinary << " not built");
    SUCCEED();
    return;
  }
  std::vector<Expected> rows = ReadExpectations();
  std::string command = "cd '" + std::string(fidx_test::kSharedCorpus) + "' && '" +
                        fidx_test::kFidxBinary + "' inspect --json";
  for (const Expected& e : rows) command += " '" + e.path + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::vector<std::string> lines;
  std::string line;
  for (int c = std::fgetc(pipe); c != EOF; c = std::fgetc(pipe)) {
    if (c != '\n') {
      line.push_back(static_cast<char>(c));
    } else {
      lines.push_back(line);
      line.clear();
    }
  }
  int status = ::pclose(pipe);
  CHECK(status == 0);
  REQUIRE(lines.size() == rows.size());
  std::string mismatches;
  for (size_t i = 0; i < rows.size(); ++i) {
    const Expected& e = rows[i];
    const std::string& json = lines[i];
    std::string got = Unquote(JsonValues(json, "path").at(0)) + "\t" +
                      Unquote(JsonValues(json, "accession").at(0)) + "\t" +
                      Unquote(JsonValues(json, "form").at(0)) + "\t" +
                      Unquote(JsonValues(json, "filed").at(0)) + "\t" +
                      NumberSet(JsonValues(json, "cik")) + "\t" + NumberSet(JsonValues(json, "sic"));
    std::string want = e.path + "\t" + e.accession + "\t" + e.form + "\t" + e.filed + "\t" +
                       e.ciks + "\t" + e.sics;
    if (got != want) mismatches += "want " + want + "\n got " + got + "\n";
  }
  INFO(mismatches);
  CHECK(mismatches.empty());
}

// ---- Text extraction on real documents ----

namespace {

// A full uuencoded data line: 'M' (45 bytes) then 60 characters from the
// uuencode alphabet (space to backquote).
bool LooksUuencoded(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() != 61 || line[0] != 'M') return false;
  return std::all_of(line.begin(), line.end(), [](char c) { return c >= ' ' && c <= '`'; });
}

std::string TextOf(const fidx::Filing& f, const std::string& type) {
  for (const fidx::Document& d : f.documents) {
    if (d.type == type) return d.text;
  }
  return "";
}

}  // namespace

TEST_CASE("the seed press release says orphan drug", "[corpus][text]") {
  SKIP_WITHOUT_CORPUS();
  fidx::Filing f = ParseCorpusFile("seeds/003_97de325fabf0e49e.txt", true);
  std::string text = TextOf(f, "EX-99.1");
  CHECK(text.find("The FDA has granted Cellectar an orphan drug designation for CLR 131") !=
        std::string::npos);
  CHECK(text.find("Wisconsin Alumni Research Foundation (WARF)") != std::string::npos);
}

TEST_CASE("a 1994 plain-text 10-K reads as its words", "[corpus][text]") {
  SKIP_WITHOUT_CORPUS();
  fidx::Filing f = ParseCorpusFile("mwaldstein__edgarWebR/tests/testdata/0000037996-94-000005.txt", true);
  CHECK(f.format == fidx::Format::kImsSubmission);
  std::string text = TextOf(f, "10-K");
  CHECK(text.find("FORD MOTOR COMPANY") != std::string::npos);
  CHECK(text.find("Annual report pursuant to Section 13 or 15(d) of the") != std::string::npos);
  CHECK(text.find("<PAGE>") == std::string::npos);
}

TEST_CASE("a Form 4 XML document reads as its values", "[corpus][text]") {
  SKIP_WITHOUT_CORPUS();
  fidx::Filing f = ParseCorpusFile("dgunning__edgartools/data/sgml/0001127602-25-001055.txt", true);
  REQUIRE(!f.documents.empty());
  CHECK(f.documents[0].type == "4");
  CHECK(f.documents[0].kind == fidx::DocumentKind::kXml);
  const std::string& text = f.documents[0].text;
  CHECK(text.find("Garascia Jessica A.") != std::string::npos);
  CHECK(text.find("AAR CORP") != std::string::npos);
  CHECK(text.find("<ownershipDocument") == std::string::npos);
}

TEST_CASE("no uuencoded line comes out as text anywhere in the corpus", "[corpus][text]") {
  SKIP_WITHOUT_CORPUS();
  size_t files = 0, binary_documents = 0;
  std::string leaks;
  for (const Expected& e : ReadExpectations()) {
    std::string bytes, error;
    bool gz = false;
    REQUIRE(fidx::ReadFileBytes(CorpusPath(e.path), fidx::ReadLimits(), &bytes, &gz, &error));
    if (bytes.find("\nbegin 6") == std::string::npos) continue;
    ++files;
    fidx::Filing f = ParseCorpusFile(e.path, true);
    for (const fidx::Document& d : f.documents) {
      if (d.kind == fidx::DocumentKind::kBinary) ++binary_documents;
      std::istringstream lines(d.text);
      for (std::string l; std::getline(lines, l);) {
        if (LooksUuencoded(l)) {
          leaks += e.path + " " + d.type + ": " + l.substr(0, 20) + "\n";
          break;
        }
      }
    }
  }
  INFO(leaks);
  CHECK(files >= 40);
  CHECK(binary_documents >= 100);
  CHECK(leaks.empty());
}

// End-to-end over the whole ../shared/corpus (indexed once by the
// shared_index_setup fixture): totals and facets must agree with the
// filings' headers as listed independently in tests/data/corpus_headers.tsv
// (written by scripts/corpus_expectations.py, a separate regex extractor).

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cli_runner.h"
#include "test_paths.h"

using fidx_test::RunFidx;
using fidx_test::Source;
using nlohmann::json;

namespace {

struct Expected {
  std::string accession, form, filed;
  std::set<std::string> ciks, sics;
  std::string path;
};

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep)) out.push_back(item);
  return out;
}

// One entry per distinct accession (a filing may be in several files).
std::map<std::string, Expected> LoadExpectations() {
  std::map<std::string, Expected> out;
  std::ifstream in(Source("tests/data/corpus_headers.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto f = Split(line, '\t');
    if (f.size() < 6 || f[1].empty() || f[1] == "-") continue;
    Expected e;
    e.path = f[0];
    e.accession = f[1];
    e.form = f[2];
    e.filed = f[3];
    for (auto& c : Split(f[4], ',')) if (!c.empty() && c != "-") e.ciks.insert(c);
    for (auto& s : Split(f[5], ',')) if (!s.empty() && s != "-") e.sics.insert(s);
    out.emplace(e.accession, e);
  }
  return out;
}

bool Ready() {
  if (!fidx_test::HaveSharedCorpus()) return false;
  if (!std::filesystem::exists(std::string(fidx_test::kSharedIndex) + "/XAPIANDB")) {
    FAIL("the shared_index_setup fixture did not build " << fidx_test::kSharedIndex);
  }
  return true;
}

json Search(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"search", "--db", fidx_test::kSharedIndex, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = RunFidx(args);
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return r.Json();
}

// Every hit of `query`, one per filing, without snippets.
json AllHits(const std::string& query) {
  return Search({query, "--limit", "1000000", "--no-snippets"});
}

}  // namespace

TEST_CASE("every filing in the shared corpus is indexed with its header's fields",
          "[shared]") {
  if (!Ready()) return;
  auto expected = LoadExpectations();
  REQUIRE(expected.size() > 150);
  json all = AllHits("*");
  std::map<std::string, json> by_accession;
  for (auto& h : all["hits"]) {
    if (h["accession"].is_string()) by_accession[h["accession"]] = h;
  }
  size_t mismatches = 0;
  for (const auto& [acc, e] : expected) {
    INFO(e.path << " " << acc);
    auto it = by_accession.find(acc);
    if (it == by_accession.end()) {
      ++mismatches;
      FAIL_CHECK("not in the index");
      continue;
    }
    json q = AllHits("accession:" + acc);
    CHECK(q["total"] == 1);
    std::set<std::string> ciks;
    for (auto& c : it->second["ciks"]) ciks.insert(std::to_string(c.get<uint64_t>()));
    CHECK(ciks == e.ciks);
    CHECK(it->second["form"] == e.form);
    CHECK(it->second["filed"] == e.filed);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("form, CIK, SIC and year filters count exactly the filings whose headers say so",
          "[shared]") {
  if (!Ready()) return;
  auto expected = LoadExpectations();
  std::map<std::string, uint64_t> forms, ciks, sics, years;
  for (const auto& [acc, e] : expected) {
    ++forms[e.form];
    for (auto& c : e.ciks) ++ciks[c];
    for (auto& s : e.sics) ++sics[s];
    ++years[e.filed.substr(0, 4)];
  }
  // Only filings with a header count: header-less files now know their
  // form, CIK and accession too (from their content and names), but the
  // expectations are read from headers.
  auto header_total = [&expected](const std::string& filter) {
    uint64_t n = 0;
    json hits = AllHits(filter);
    for (auto& h : hits["hits"]) {
      n += h["accession"].is_string() && expected.count(h["accession"].get<std::string>()) ? 1 : 0;
    }
    return n;
  };
  for (const auto& [form, n] : forms) {
    INFO("form " << form);
    CHECK(header_total("form:\"" + form + "\"") == n);
  }
  for (const auto& [sic, n] : sics) {
    INFO("sic " << sic);
    CHECK(header_total("sic:" + sic) == n);
  }
  for (const auto& [year, n] : years) {
    INFO("year " << year);
    CHECK(header_total("year:" + year) == n);
  }
  int checked = 0;
  for (const auto& [cik, n] : ciks) {
    if (++checked > 60) break;  // each is one process start; 60 is plenty
    INFO("cik " << cik);
    CHECK(header_total("cik:" + cik) == n);
  }
}

TEST_CASE("facet counts over the whole corpus equal the filter totals", "[shared]") {
  if (!Ready()) return;
  json r = Search({"*", "--facets", "--limit", "0"});
  for (const char* facet : {"form", "year", "sic"}) {
    int checked = 0;
    uint64_t sum = 0;
    for (auto& [value, n] : r["facets"][facet].items()) sum += n.get<uint64_t>();
    // Single-valued facets account for every filing ("(unknown)" included).
    if (std::string(facet) != "sic") CHECK(sum == r["total"].get<uint64_t>());
    for (auto& [value, n] : r["facets"][facet].items()) {
      if (value == "(unknown)") continue;  // no filter for "has none"
      if (++checked > 15) break;
      std::string filter = std::string(facet) + ":" +
                           (std::string(facet) == "form" ? "\"" + value + "\"" : value);
      INFO(filter);
      CHECK(Search({filter, "--limit", "0"})["total"] == n);
    }
  }
}

TEST_CASE("phrases taken from a filing's text find that filing", "[shared]") {
  if (!Ready()) return;
  auto expected = LoadExpectations();
  int tried = 0;
  for (const auto& [acc, e] : expected) {
    if (tried >= 25) break;
    std::ifstream in(std::string(fidx_test::kSharedCorpus) + "/" + e.path);
    std::string line;
    bool in_text = false;
    std::string phrase;
    while (std::getline(in, line)) {
      if (line.find("<TEXT>") != std::string::npos) in_text = true;
      if (!in_text || line.find_first_of("<>&=;|_") != std::string::npos) continue;
      std::istringstream words(line);
      std::vector<std::string> ws;
      std::string w;
      while (words >> w) {
        bool alpha = w.size() >= 3;
        for (char c : w) alpha = alpha && std::isalpha(static_cast<unsigned char>(c));
        if (!alpha) break;
        ws.push_back(w);
      }
      if (ws.size() >= 5) {
        phrase = ws[0] + " " + ws[1] + " " + ws[2] + " " + ws[3] + " " + ws[4];
        break;
      }
    }
    if (phrase.empty()) continue;
    ++tried;
    INFO(e.path << ": \"" << phrase << "\"");
    json hits = AllHits("\"" + phrase + "\"");
    bool found = false;
    for (auto& h : hits["hits"]) found = found || h["accession"] == acc;
    CHECK(found);
  }
  CHECK(tried >= 15);
}

TEST_CASE("uuencoded parts of real filings contribute no searchable text", "[shared]") {
  if (!Ready()) return;
  int checked = 0;
  for (auto& entry : std::filesystem::recursive_directory_iterator(fidx_test::kSharedCorpus)) {
    if (checked >= 10 || !entry.is_regular_file() || entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path());
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
      if (line.rfind("begin 644 ", 0) == 0) inside = true;
      if (!inside || line.size() < 61 || line[0] != 'M') continue;
      // Runs of letters in an encoded line: the junk words a naive indexer adds.
      std::string word;
      for (char c : line.substr(1)) {
        if (std::isalpha(static_cast<unsigned char>(c))) {
          word.push_back(c);
        } else if (word.size() >= 4) {
          break;
        } else {
          word.clear();
        }
      }
      if (word.size() < 4) continue;
      INFO(entry.path() << ": " << word);
      CHECK(Search({"\"" + word + "\"", "--limit", "0"})["total"] == 0);
      ++checked;
      break;
    }
  }
  CHECK(checked >= 5);
}

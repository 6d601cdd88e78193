// End-to-end: `fidx show` (issue 14): sec.gov links, 8-K items with
// titles, extracted text, header-less filings by path, and one JSON shape
// with `fidx inspect --json`.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "cli_runner.h"

using fidx_test::RunFidx;
using fidx_test::Source;
using fidx_test::TempDir;
using nlohmann::json;

namespace {

std::string IndexCorpus(const TempDir& dir) { return fidx_test::IndexBundledCorpus(dir); }

}  // namespace

TEST_CASE("show gives sec.gov links and 8-K items as numbers with titles", "[e2e][cli][show]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  auto r = RunFidx({"show", "0001144204-17-013452"}, db);
  REQUIRE(r.exit_code == 0);
  const std::string base = "https://www.sec.gov/Archives/edgar/data/1279704/000114420417013452/";
  CHECK_THAT(r.out, Catch::Contains("index:       " + base + "0001144204-17-013452-index.htm"));
  CHECK_THAT(r.out, Catch::Contains("item:        7.01 Regulation FD Disclosure"));
  CHECK_THAT(r.out, Catch::Contains("item:        9.01 Financial Statements and Exhibits"));
  CHECK_THAT(r.out, Catch::Contains("       " + base + "v461435_ex99-1.htm\n"));
  json j = RunFidx({"show", "--json", "0001144204-17-013452"}, db).Json();
  CHECK(j["index_url"] == base + "0001144204-17-013452-index.htm");
  CHECK(j["item_numbers"][0]["number"] == "7.01");
  CHECK(j["item_numbers"][0]["title"] == "Regulation FD Disclosure");
  CHECK(j["documents"][1]["url"] == base + "v461435_ex99-1.htm");
  // The item number shown is what item: finds.
  CHECK(RunFidx({"search", "item:7.01", "--json"}, db).Json()["total"].get<int>() >= 1);
}

TEST_CASE("show --text and --document N print the extracted text", "[e2e][cli][show]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  auto one = RunFidx({"show", "0001144204-17-013452", "--document", "2"}, db);
  REQUIRE(one.exit_code == 0);
  CHECK_THAT(one.out, Catch::StartsWith("Exhibit 99.1"));
  CHECK_THAT(one.out, Catch::Contains("Wisconsin Alumni Research Foundation"));
  CHECK(one.out.find("FILER:") == std::string::npos);
  auto all = RunFidx({"show", "0001144204-17-013452", "--text"}, db);
  CHECK_THAT(all.out, Catch::Contains("FILER: Cellectar"));
  CHECK_THAT(all.out, Catch::Contains("Wisconsin Alumni Research Foundation"));
  json j = RunFidx({"show", "--json", "--text", "0001144204-17-013452"}, db).Json();
  REQUIRE(j["texts"].size() == 2);
  CHECK(j["texts"][1].get<std::string>().rfind("Exhibit 99.1", 0) == 0);
  // The same text inspect extracts from the file.
  json file = RunFidx({"inspect", "--json", "--text",
                       Source("corpus/2017/0001144204-17-013452.txt")}).Json();
  CHECK(j["texts"] == file["texts"]);
  auto missing = RunFidx({"show", "0001144204-17-013452", "--document", "7"}, db);
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("has no document 7"));
}

TEST_CASE("a header-less hit is shown by its path", "[e2e][cli][show]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json hit = RunFidx({"search", "--json", "\"requisite vote to ratify\""}, db).Json()["hits"][0];
  std::string path = hit["path"];
  auto r = RunFidx({"show", path}, db);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith(path + "\n"));
  auto text = RunFidx({"show", path, "--document", "0"}, db);
  CHECK_THAT(text.out, Catch::Contains("requisite vote to ratify"));
  CHECK(RunFidx({"show", path + ".nope"}, db).exit_code == 1);
}

TEST_CASE("show --json and inspect --json describe a filing in one shape", "[e2e][cli][show]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json shown = RunFidx({"show", "--json", "0001144204-17-013452"}, db).Json();
  json inspected =
      RunFidx({"inspect", "--json", Source("corpus/2017/0001144204-17-013452.txt")}).Json();
  std::vector<std::string> a, b;
  for (auto& [k, v] : shown.items()) a.push_back(k);
  for (auto& [k, v] : inspected.items()) b.push_back(k);
  CHECK(a == b);
  for (const char* key : {"accession", "form", "filed", "parties", "items", "item_numbers",
                          "index_url"}) {
    INFO(key);
    CHECK(shown[key] == inspected[key]);
  }
  REQUIRE(shown["documents"].size() == inspected["documents"].size());
  for (size_t i = 0; i < shown["documents"].size(); ++i) {
    json s = shown["documents"][i], f = inspected["documents"][i];
    CHECK(s["raw_bytes"].is_null());  // not kept in the index
    s.erase("raw_bytes");
    f.erase("raw_bytes");
    CHECK(s == f);
  }
}

// End-to-end: filings whose files carry no SEC header (bare <DOCUMENT>s,
// XML forms, inline XBRL) found by form, CIK, company and date like any
// other, with facets, stats and sec.gov links (issue 12). Real files from
// tests/data (see tests/data/README.md).

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_runner.h"

using fidx_test::RunFidx;
using fidx_test::Source;
using fidx_test::TempDir;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

const char* const kHeaderless[] = {
    "1002517_8K_2011_0000950123-11-060355.htm",  // bare <DOCUMENT>, edgar-crawler name
    "0000887919-21-000012.html",                 // inline XBRL 8-K
    "aapl-4-20201013.xml",                       // Form 4
    "form-d-amendment.xml",                      // Form D/A
    "13f-hr-primary-doc.xml",                    // 13F-HR
};

// Copies the header-less fixtures into `dir`/files and indexes them.
std::string IndexHeaderless(const TempDir& dir) {
  fs::create_directories(dir / "files");
  for (const char* name : kHeaderless) {
    fs::copy_file(Source(std::string("tests/data/") + name), dir / ("files/" + std::string(name)));
  }
  std::string db = dir / "index";
  auto add = RunFidx({"add", dir / "files"}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  return db;
}

json Search(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), "search");
  args.push_back("--json");
  auto r = RunFidx(args, db);
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return r.Json();
}

}  // namespace

TEST_CASE("header-less filings are found by form, CIK, company and date", "[e2e][metadata]") {
  TempDir dir;
  std::string db = IndexHeaderless(dir);
  json r = Search(db, {"form:8-K"});
  CHECK(r["total"] == 2);
  r = Search(db, {"company:nuance form:8-K"});
  REQUIRE(r["total"] == 1);
  const json& nuance = r["hits"][0];
  CHECK(nuance["accession"] == "0000950123-11-060355");
  CHECK(nuance["cik"] == 1002517);
  CHECK(nuance["company"] == "NUANCE COMMUNICATIONS, INC.");
  // The <FILENAME> of the bare document is EDGAR's name for it.
  CHECK(nuance["url"] ==
        "https://www.sec.gov/Archives/edgar/data/1002517/000095012311060355/b87042e8vk.htm");

  r = Search(db, {"cik:887919"});
  REQUIRE(r["total"] == 1);
  CHECK(r["hits"][0]["company"] == "PREMIER FINANCIAL BANCORP, INC.");
  CHECK(r["hits"][0]["form"] == "8-K");

  // Form 4: both the issuer's and the owner's CIK find it; dated by its signature.
  CHECK(Search(db, {"cik:320193 form:4"})["total"] == 1);
  CHECK(Search(db, {"cik:1513362"})["total"] == 1);
  r = Search(db, {"year:2020"});
  REQUIRE(r["total"] == 1);
  CHECK(r["hits"][0]["filed"] == "2020-10-13");
  CHECK(Search(db, {"form:D/A company:shepherd"})["total"] == 1);
  CHECK(Search(db, {"form:13F-HR filed:2023-05-31"})["total"] == 1);
}

TEST_CASE("header-less filings count in facets and stats", "[e2e][metadata]") {
  TempDir dir;
  std::string db = IndexHeaderless(dir);
  json r = Search(db, {"*", "--facets"});
  CHECK(r["total"] == 5);
  auto stats = RunFidx({"stats", "--json"}, db);
  REQUIRE(stats.exit_code == 0);
  json s = stats.Json();
  CHECK(s["filings"] == 5);
  CHECK(s["by_form"]["8-K"] == 2);
  CHECK(s["by_form"]["4"] == 1);
  CHECK(s["by_form"]["D/A"] == 1);
  CHECK(s["by_form"]["13F-HR"] == 1);
  CHECK(s["by_year"]["2023"] == 2);
}

TEST_CASE("two copies of a header-less file that names its accession are one filing",
          "[e2e][metadata]") {
  TempDir dir;
  std::string name = "1002517_8K_2011_0000950123-11-060355.htm";
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  fs::copy_file(Source("tests/data/" + name), dir / ("a/" + name));
  fs::copy_file(Source("tests/data/" + name), dir / ("b/copy-of-" + name));
  std::string db = dir / "index";
  auto add = RunFidx({"add", dir.path()}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(Search(db, {"*"})["total"] == 1);
  CHECK(Search(db, {"\"Thomas Beaudoin\""})["total"] == 1);
}

TEST_CASE("fidx inspect --json says where each field of a header-less file came from",
          "[e2e][metadata]") {
  auto r = RunFidx({"inspect", "--json", Source("tests/data/0000887919-21-000012.html")});
  REQUIRE(r.exit_code == 0);
  json j = r.Json();
  CHECK(j["sources"]["form"] == "xbrl:dei:DocumentType");
  CHECK(j["sources"]["company"] == "xbrl:dei:EntityRegistrantName");
  CHECK(j["sources"]["accession"] == "file-name");
  r = RunFidx({"inspect", "--json", Source("tests/data/0001045810-23-000128.txt")});
  REQUIRE(r.exit_code == 0);
  CHECK(r.Json()["sources"]["form"] == "sec-header");
}

TEST_CASE("XBRL viewer pages are never a hit, XBRL text-block markup never a word",
          "[e2e][text]") {
  TempDir dir;
  fs::create_directories(dir / "files");
  fs::copy_file(Source("tests/data/0001193125-25-066253-trimmed.txt"),
                dir / "files/0001193125-25-066253.txt");
  std::string db = dir / "index";
  auto add = RunFidx({"add", dir / "files"}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  // R2.htm restates the fee table; only the filing's own documents match.
  json r = Search(db, {"\"Depositary Shares representing Preferred Stock\"", "--per-document"});
  REQUIRE(r["total"] == 3);
  for (const json& hit : r["hits"]) {
    std::string name = hit["document"]["filename"];
    INFO(name);
    CHECK(name.rfind("R", 0) != 0);
    CHECK(name != "FilingSummary.xml");
    CHECK_THAT(hit["snippet"].get<std::string>(), !Catch::Contains("&lt;") && !Catch::Contains("<td"));
  }
  CHECK(r["hits"][0]["document"]["filename"] == "d763599dexfilingfees.htm");
  for (const char* markup : {"cellpadding", "valign", "td", "style"}) {
    INFO(markup);
    CHECK(Search(db, {markup})["total"] == 0);
  }
}

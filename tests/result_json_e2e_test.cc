// End-to-end: what each hit of `fidx search --json` says about its filing
// (filer and subject, period, 8-K items, sec.gov index page) and the shape
// guarantees of the result JSON, on the bundled corpus.

#include <catch2/catch.hpp>

#include "cli_runner.h"

using fidx_test::RunFidx;
using fidx_test::Source;
using fidx_test::TempDir;
using nlohmann::json;

namespace {

json SearchJson(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"search", "--json"});
  auto r = RunFidx(args, db);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.Json();
}

std::string IndexCorpus(const TempDir& dir) {
  std::string db = dir / "index";
  auto add = RunFidx({"add", "--quiet", Source("corpus")}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  return db;
}

}  // namespace

TEST_CASE("an SC 13G/A names JPMorgan as filer and Federal Realty as subject", "[e2e][json]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json hit = SearchJson(db, {"accession:0000019617-24-000012"})["hits"][0];
  CHECK(hit["form"] == "SC 13G/A");
  REQUIRE(hit["filers"].size() == 1);
  CHECK(hit["filers"][0]["role"] == "FILED BY");
  CHECK(hit["filers"][0]["name"] == "JPMORGAN CHASE & CO");
  CHECK(hit["filers"][0]["cik"] == 19617);
  REQUIRE(hit["subjects"].size() == 1);
  CHECK(hit["subjects"][0]["role"] == "SUBJECT COMPANY");
  CHECK(hit["subjects"][0]["name"] == "FEDERAL REALTY INVESTMENT TRUST");
  CHECK(hit["subjects"][0]["cik"] == 34903);
  CHECK(hit["index_url"] ==
        "https://www.sec.gov/Archives/edgar/data/34903/000001961724000012/"
        "0000019617-24-000012-index.htm");

  auto text = RunFidx({"search", "accession:0000019617-24-000012"}, db);
  CHECK_THAT(text.out, Catch::Contains("FEDERAL REALTY INVESTMENT TRUST (CIK 34903)"));
  CHECK_THAT(text.out, Catch::Contains("filed by JPMORGAN CHASE & CO (CIK 19617)"));
}

TEST_CASE("a Form 4 names its reporting owner and issuer, and its period", "[e2e][json]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json hit = SearchJson(db, {"accession:0001562180-25-000280"})["hits"][0];
  CHECK(hit["form"] == "4");
  CHECK(hit["period"] == "2025-01-06");
  REQUIRE(hit["filers"].size() == 1);
  CHECK(hit["filers"][0]["role"] == "REPORTING-OWNER");
  CHECK(hit["filers"][0]["name"] == "Snow Jessica");
  REQUIRE(hit["subjects"].size() == 1);
  CHECK(hit["subjects"][0]["role"] == "ISSUER");
  CHECK(hit["subjects"][0]["cik"] == 1860782);
}

TEST_CASE("an 8-K hit lists its items by number; snippets are null without snippets",
          "[e2e][json]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json r = SearchJson(db, {"orphan drug", "--no-snippets"});
  json hit = r["hits"][0];
  CHECK(hit["accession"] == "0001144204-17-013452");
  CHECK(hit["items"] == json::array({"7.01", "9.01"}));
  CHECK(hit["snippet"].is_null());
  CHECK(hit["filers"][0]["name"] == "Cellectar Biosciences, Inc.");
  CHECK(hit["subjects"].empty());
  CHECK(SearchJson(db, {"orphan drug"})["hits"][0]["snippet"].get<std::string>().find(
            "<mark>orphan</mark>") != std::string::npos);
}

TEST_CASE("facets and facet_labels list every facet key, even with nothing in it",
          "[e2e][json]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json r = SearchJson(db, {"orphan drug", "--facets"});
  for (const char* key : {"form", "cik", "sic", "year", "state"}) {
    INFO(key);
    CHECK(r["facets"].contains(key));
    CHECK(r["facet_labels"].contains(key));
    CHECK(r["facet_labels"][key].is_object());
  }
  CHECK(r["facet_labels"]["form"].empty());
  CHECK(r["facet_labels"]["sic"]["2834"] == "PHARMACEUTICAL PREPARATIONS");
  json none = SearchJson(db, {"orphan drug"});
  CHECK_FALSE(none.contains("facets"));
  CHECK_FALSE(none.contains("facet_labels"));
}

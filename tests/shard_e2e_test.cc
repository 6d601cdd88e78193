// End-to-end: sharded indexes, Xapian's remote backend (xapian-tcpsrv on
// loopback) and compaction give the same answers as one database.

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "test_paths.h"

using fidx_test::Process;
using fidx_test::RunFidx;
using fidx_test::Source;
using fidx_test::TempDir;
using nlohmann::json;

namespace {

// Queries whose totals, facets and top hits must not depend on the layout.
const std::vector<std::string> kQueries = {
    "*", "orphan drug", "\"annual report\"", "form:8-K", "form:4", "sic:2834",
    "year:2024", "revenue OR income", "securities -exchange", "company:apple", "type:EX-99.1",
};

// The corpus to shard: the shared one when present (as the issue asks),
// else the bundled one.
std::string Corpus() {
  return std::filesystem::is_directory(fidx_test::kSharedCorpus) ? fidx_test::kSharedCorpus
                                                                  : Source("corpus");
}

std::string Index(const TempDir& dir, const std::string& name, std::vector<std::string> extra) {
  std::string db = dir / name;
  // --no-compact keeps the shard-NN names the servers below are given.
  std::vector<std::string> args = {"add", "--quiet", "--no-compact", "--db", db};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(Corpus());
  auto r = RunFidx(args);
  INFO(r.err);
  REQUIRE(r.exit_code <= 1);
  return db;
}

json Search(const std::string& db, const std::string& q, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"search", "--db", db, "--json", "--facets", "--limit", "20", q};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = RunFidx(args);
  INFO(q << "\n" << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return r.Json();
}

// What must be equal: totals, facets, and the ranked filings with scores.
json Essentials(const json& r) {
  json out;
  out["total"] = r["total"];
  out["facets"] = r["facets"];
  for (const json& h : r["hits"]) {
    out["hits"].push_back({h["accession"], h["path"], h["document"]["filename"],
                           std::round(h["score"].get<double>() * 1000) / 1000});
  }
  return out;
}

// The single-database baseline: the shared_index_setup fixture's index of
// the shared corpus when present, else a fresh one of the bundled corpus.
std::string Baseline(const TempDir& dir) {
  if (Corpus() == fidx_test::kSharedCorpus &&
      std::filesystem::exists(std::string(fidx_test::kSharedIndex) + "/XAPIANDB")) {
    return fidx_test::kSharedIndex;
  }
  return Index(dir, "single", {});
}

void ExpectSameAnswers(const std::string& a, const std::string& b) {
  for (const std::string& q : kQueries) {
    INFO("query: " << q);
    CHECK(Essentials(Search(a, q)) == Essentials(Search(b, q)));
  }
}

std::string WriteStub(const TempDir& dir, const std::vector<int>& ports) {
  std::string stub = dir / "remote.stub";
  std::ofstream out(stub);
  out << "# two shards served by xapian-tcpsrv\n";
  for (int p : ports) out << "remote 127.0.0.1:" << p << "\n";
  return stub;
}

}  // namespace

TEST_CASE("a sharded index answers exactly like one database", "[shards]") {
  TempDir dir;
  std::string single = Baseline(dir);
  std::string sharded = Index(dir, "sharded", {"--shards", "3"});
  CHECK(std::filesystem::exists(sharded + "/shard-02"));
  ExpectSameAnswers(single, sharded);

  // (Steps in sequence rather than SECTIONs: each SECTION would re-index.)
  INFO("later runs keep the shards and update the right one");
  auto again = RunFidx({"add", "--json", "--db", sharded, Corpus()});
  REQUIRE(again.exit_code <= 1);
  CHECK(again.Json()["added"] == 0);
  CHECK(again.Json()["updated"] == 0);
  ExpectSameAnswers(single, sharded);

  INFO("compaction and merging keep every answer");
  REQUIRE(RunFidx({"compact", "--db", sharded}).exit_code == 0);
  ExpectSameAnswers(single, sharded);
  REQUIRE(RunFidx({"compact", "--merge", "--db", sharded}).exit_code == 0);
  ExpectSameAnswers(single, sharded);
  auto after = RunFidx({"add", "--json", "--db", sharded, Corpus()});
  REQUIRE(after.exit_code <= 1);
  CHECK(after.Json()["added"] == 0);
  CHECK(after.Json()["unchanged"] == again.Json()["unchanged"]);
}

TEST_CASE("remote shards served by xapian-tcpsrv answer like one database", "[shards]") {
  TempDir dir;
  std::string single = Baseline(dir);
  std::string sharded = Index(dir, "sharded", {"--shards", "2"});
  int p1 = fidx_test::FreePort(), p2 = fidx_test::FreePort();
  while (p2 == p1) p2 = fidx_test::FreePort();
  Process s1({"xapian-tcpsrv", "--interface", "127.0.0.1", "--port", std::to_string(p1),
              sharded + "/shard-00"});
  Process s2({"xapian-tcpsrv", "--interface", "127.0.0.1", "--port", std::to_string(p2),
              sharded + "/shard-01"});
  REQUIRE(fidx_test::WaitForPort(p1));
  REQUIRE(fidx_test::WaitForPort(p2));
  std::string stub = WriteStub(dir, {p1, p2});
  ExpectSameAnswers(single, stub);

  s2.Stop();
  INFO("a shard that is down is an error by default, naming it");
  auto down = RunFidx({"search", "--db", stub, "orphan drug"});
  CHECK(down.exit_code == 4);
  CHECK_THAT(down.err, Catch::Contains("127.0.0.1:" + std::to_string(p2)));
  CHECK(down.out.empty());

  INFO("--allow-partial answers from the other shard, with a warning naming the missing one");
  auto partial = RunFidx({"search", "--db", stub, "--allow-partial", "--json", "*"});
  CHECK(partial.exit_code == 0);
  CHECK_THAT(partial.err, Catch::Contains("127.0.0.1:" + std::to_string(p2)));
  CHECK(partial.Json()["total"] == Search(sharded + "/shard-00", "*")["total"]);
}

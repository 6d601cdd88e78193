// End-to-end: the query language's contract on the bundled corpus/, one test
// per wrong answer fidx used to give (issue 11's table). The seeded
// differential test (query_diff_test.py) proves the same contract on
// thousands of generated queries.

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <string>

#include "cli_runner.h"

using fidx_test::RunFidx;
using fidx_test::Source;
using fidx_test::TempDir;
using nlohmann::json;

namespace {

const std::string& Index() {
  // One index of corpus/ for every test of this file.
  static TempDir dir;
  static std::string db = [] {
    std::string path = dir / "index";
    auto add = RunFidx({"add", "--quiet", Source("corpus")}, path);
    INFO(add.err);
    REQUIRE(add.exit_code == 0);
    return path;
  }();
  return db;
}

json SearchJson(const std::string& query, bool per_document = false) {
  std::vector<std::string> args = {"search", "--json", "--no-snippets", "-n", "1000"};
  if (per_document) args.push_back("--per-document");
  args.push_back("--");
  args.push_back(query);
  auto r = RunFidx(args, Index());
  INFO(query << "\n" << r.err << "\n" << r.out.substr(0, 300));
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return r.Json();
}

// The filings a query returns (accession, or path for header-less files).
std::set<std::string> Filings(const std::string& query) {
  std::set<std::string> out;
  const json r = SearchJson(query);
  for (const json& h : r["hits"]) {
    std::string acc = h["accession"].is_string() ? h["accession"].get<std::string>() : "";
    out.insert(acc.empty() ? h["path"].get<std::string>() : acc);
  }
  return out;
}

std::set<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::set<std::string> out;
  for (const auto& x : a) {
    if (!b.count(x)) out.insert(x);
  }
  return out;
}

// Runs a query that must be refused: exit 2, a message naming the problem.
std::string Refused(const std::string& query) {
  auto r = RunFidx({"search", "--", query}, Index());
  INFO("query: [" << query << "] stdout: " << r.out << " stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  return r.err;
}

const char kCellectar[] = "0001144204-17-013452";

}  // namespace

TEST_CASE("a negated filter or word matches the complement, alone or after *", "[e2e][query]") {
  const auto all = Filings("*");
  REQUIRE(all.size() == 13);
  for (const std::string& positive : std::vector<std::string>{"form:8-K", "orphan", "year:2025", "item:7.01",
                                      "cik:1279704", "company:apple"}) {
    INFO(positive);
    const auto matched = Filings(positive);
    CHECK(!matched.empty());
    CHECK(Filings("* -" + positive) == Minus(all, matched));
    CHECK(Filings("-" + positive) == Minus(all, matched));
    CHECK(Filings("NOT " + positive) == Minus(all, matched));
    CHECK(Filings("* NOT " + positive) == Minus(all, matched));
  }
  // No hit of "* -form:8-K" is an 8-K.
  const json not_8k = SearchJson("* -form:8-K");
  for (const json& h : not_8k["hits"]) CHECK(h["form"] != "8-K");
}

TEST_CASE("words and phrases in different documents of one filing match the filing",
          "[e2e][query]") {
  // "Regulation FD" is in the 8-K's body, "orphan" in its EX-99.1.
  CHECK(Filings("\"Regulation FD\" orphan") == std::set<std::string>{kCellectar});
  CHECK(Filings("\"Regulation FD\" AND orphan") == std::set<std::string>{kCellectar});
  // ... but no single document has both.
  CHECK(SearchJson("\"Regulation FD\" orphan", true)["total"] == 0);
  // The hit still names its best document and a snippet from it.
  auto r = RunFidx({"search", "--json", "orphan drug"}, Index());
  json top = r.Json()["hits"][0];
  CHECK(top["accession"] == kCellectar);
  CHECK(top["document"]["type"] == "EX-99.1");
  CHECK_THAT(std::string(top["snippet"]), Catch::Contains("<mark>orphan</mark> <mark>drug</mark>"));
}

TEST_CASE("a NOT excludes a filing that has the word in any of its documents", "[e2e][query]") {
  // "agriculture" is in the 8-K body, "orphan" in the EX-99.1.
  REQUIRE(SearchJson("accession:0001144204-17-013452 agriculture", true)["total"] == 1);
  CHECK(Filings("cik:1279704 orphan -agriculture").empty());
  CHECK(Filings("cik:1279704 orphan NOT agriculture").empty());
  // Per document, the EX-99.1 has orphan and not agriculture.
  json per_doc = SearchJson("cik:1279704 orphan -agriculture", true);
  REQUIRE(per_doc["total"] == 1);
  CHECK(per_doc["hits"][0]["document"]["type"] == "EX-99.1");
}

TEST_CASE("filters of one field side by side are alternatives", "[e2e][query]") {
  auto apple = Filings("company:apple"), tesla = Filings("company:tesla");
  // Apple's UPLOAD letter and the loose Form 4 XML whose issuer it is
  // (corpus/loose/aapl-4-20201013.xml, read from its XML since issue 12).
  REQUIRE(apple.size() == 2);
  REQUIRE(tesla.size() == 1);
  std::set<std::string> both = apple;
  both.insert(tesla.begin(), tesla.end());
  CHECK(Filings("company:apple company:tesla") == both);
  CHECK(Filings("form:10-K form:8-K").size() == Filings("form:10-K").size() + Filings("form:8-K").size());
  CHECK(Filings("cik:320193 cik:1318605") == both);
  // Joined with AND, both are required.
  CHECK(Filings("company:apple AND company:tesla").empty());
  // Different fields are still AND-ed.
  CHECK(Filings("company:tesla form:8-K").empty());
}

TEST_CASE("NEAR, ADJ and phrases stay inside one document", "[e2e][query]") {
  CHECK(Filings("orphan NEAR/3 drug") == std::set<std::string>{kCellectar});
  CHECK(Filings("orphan ADJ/0 drug") == std::set<std::string>{kCellectar});
  CHECK(Filings("drug ADJ/0 orphan").empty());
  // "regulation" (8-K) and "orphan" (EX-99.1) are never near each other.
  CHECK(Filings("regulation NEAR/50 orphan").empty());
}

TEST_CASE("ranges: reversed ones and impossible dates are refused, open ends work",
          "[e2e][query]") {
  CHECK_THAT(Refused("\"going concern\" year:2020..2015"), Catch::Contains("reversed"));
  CHECK_THAT(Refused("filed:2006-12-31..2005-01-01"), Catch::Contains("reversed"));
  CHECK_THAT(Refused("filed:2020-13-45"), Catch::Contains("not a valid date"));
  CHECK_THAT(Refused("filed:2020-02-30"), Catch::Contains("not a valid date"));
  CHECK(Filings("filed:2020-02-29") == Filings("filed:2020-02-29..2020-02-29"));
  CHECK(Filings("year:2020..") == Filings("filed:2020-01-01.."));
  CHECK(Filings("year:..2017") == Filings("filed:..2017-12-31"));
  CHECK(Filings("year:2017..2020") == Filings("filed:2017..2020"));
  CHECK(Filings("year:2017") == Filings("filed:2017"));
  // 8: with the loose Form 4 XML, dated by its signature (issue 12).
  CHECK(Filings("year:2020..").size() == 8);
}

TEST_CASE("queries fidx cannot honour are errors that say what is accepted", "[e2e][query]") {
  CHECK_THAT(Refused("\"going concern\" NEAR doubt"), Catch::Contains("single words"));
  CHECK_THAT(Refused("\"going concern\" NEAR/5 doubt"), Catch::Contains("single words"));
  CHECK_THAT(Refused(""), Catch::Contains("empty"));
  CHECK_THAT(Refused("\"\""), Catch::Contains("empty phrase"));
  CHECK_THAT(Refused("()"), Catch::Contains("empty parentheses"));
  CHECK_THAT(Refused(":"), Catch::Contains("name:value"));
  CHECK_THAT(Refused("   "), Catch::Contains("empty"));
  CHECK_THAT(Refused("ticker:aapl"), Catch::Contains("unknown field 'ticker:'"));
  CHECK_THAT(Refused("orphan NEAR/3"), Catch::Contains("NEAR needs a word on its right"));
  CHECK_THAT(Refused("*ceutical"), Catch::Contains("may only end a word"));
  CHECK_THAT(Refused("Form:10-K"), Catch::Contains("write form:10-K"));
  CHECK_THAT(Refused("orphan NEAR/99 drug"), Catch::Contains("NEAR/n with n from 0 to 50"));
  CHECK_THAT(Refused("(orphan drug"), Catch::Contains("without a matching ')'"));
  CHECK_THAT(Refused("orphan drug)"), Catch::Contains("without a matching '('"));
  CHECK_THAT(Refused("orphan AND"), Catch::Contains("AND needs something on its right"));
  CHECK_THAT(Refused("OR drug"), Catch::Contains("OR needs something on its left"));
  CHECK_THAT(Refused("sic:pharma"), Catch::Contains("4-digit SIC"));
  CHECK_THAT(Refused("category:bogus"), Catch::Contains("periodic"));
  CHECK_THAT(Refused("\"orphan drug"), Catch::Contains("quote is not closed"));
  CHECK_THAT(Refused("a*b"), Catch::Contains("may only end a word"));
  CHECK_THAT(Refused("form:(8-K OR 10-K)"), Catch::Contains("a field takes one value"));
}

TEST_CASE("a field's value may hold parentheses; a group of filters still closes",
          "[e2e][query]") {
  // Document types such as EX-99.4(A) and EX-99.(Q3) exist on EDGAR.
  CHECK(SearchJson("type:EX-99.4(A)")["total"] == 0);
  CHECK(Filings("(form:8-K OR form:10-K)") == Filings("form:8-K form:10-K"));
  CHECK(Filings("(orphan OR form:10-K) -form:10-K") == Filings("orphan"));
  CHECK(Filings("(cik:1279704)") == Filings("cik:1279704"));
}

TEST_CASE("category:, location: and period: filter on the filing", "[e2e][query]") {
  // The bundled corpus has 10-Ks, 8-Ks and a 13F-HR: periodic reports.
  CHECK(Filings("category:periodic") ==
        [] {
          std::set<std::string> s;
          for (const char* q : {"form:10-K", "form:8-K", "form:13F-HR"}) {
            auto f = Filings(q);
            s.insert(f.begin(), f.end());
          }
          return s;
        }());
  CHECK(Filings("category:insider") == Filings("form:4"));
  CHECK(Filings("category:ownership") == Filings("form:\"SC 13G/A\""));
  CHECK(Filings("category:correspondence") == Filings("form:CORRESP form:UPLOAD"));
  // Cellectar's business address is in Wisconsin, its incorporation in Delaware.
  CHECK(Filings("location:WI") == std::set<std::string>{kCellectar});
  CHECK(Filings("location:wi state:DE") == std::set<std::string>{kCellectar});
  CHECK(Filings("period:2017-03-08") == std::set<std::string>{kCellectar});
  CHECK(Filings("period:2017-03") == std::set<std::string>{kCellectar});
  CHECK(Filings("period:..2017-03-07").count(kCellectar) == 0);
}

TEST_CASE("per document, the same language is evaluated over each document", "[e2e][query]") {
  json all = SearchJson("*", true);
  json no_ex = SearchJson("* -type:EX-99.1", true);
  json ex = SearchJson("type:EX-99.1", true);
  CHECK(no_ex["total"].get<int>() + ex["total"].get<int>() == all["total"].get<int>());
  for (const json& h : no_ex["hits"]) CHECK(h["document"]["type"] != "EX-99.1");
  CHECK(SearchJson("-orphan", true)["total"].get<int>() ==
        all["total"].get<int>() - SearchJson("orphan", true)["total"].get<int>());
}

TEST_CASE("accents are folded in the index and in queries", "[e2e][query]") {
  TempDir dir;
  fidx_test::WriteFile(dir / "mirror/letter.txt",
                       "Re: Société Générale and its naïve reliance on the Zürich façade.\n");
  fidx_test::WriteFile(dir / "mirror/plain.txt", "A naive reader of Societe Generale filings.\n");
  std::string db = dir / "index";
  auto add = RunFidx({"add", "--quiet", dir / "mirror"}, db);
  REQUIRE(add.exit_code == 0);
  auto total = [&](const std::string& q) {
    auto r = RunFidx({"search", "--json", "--", q}, db);
    INFO(q << " " << r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    return r.Json()["total"].get<int>();
  };
  for (const char* q : {"naive", "naïve", "NAÏVE", "societe", "Société", "\"societe generale\"",
                        "\"Société Générale\"", "societe NEAR/3 naive"}) {
    INFO(q);
    CHECK(total(q) == 2);
  }
  CHECK(total("zurich facade") == 1);
  CHECK(total("Zürich") == 1);
}

TEST_CASE("queries combining sets of filings answer alike on shards, local and remote",
          "[e2e][query][shards]") {
  TempDir dir;
  std::string sharded = dir / "sharded";
  REQUIRE(RunFidx({"add", "--quiet", "--shards", "2", "--db", sharded, Source("corpus")}).exit_code == 0);
  // The shards as the stub lists them (compaction renames them).
  std::vector<std::string> shards;
  std::ifstream stub_in(sharded + "/XAPIANDB");
  for (std::string line; std::getline(stub_in, line);) {
    if (line.rfind("auto ", 0) == 0) {
      std::string path = line.substr(5);
      shards.push_back(path[0] == '/' ? path : sharded + "/" + path);
    }
  }
  REQUIRE(shards.size() == 2);
  int p1 = fidx_test::FreePort(), p2 = fidx_test::FreePort();
  while (p2 == p1) p2 = fidx_test::FreePort();
  fidx_test::Process s1({"xapian-tcpsrv", "--interface", "127.0.0.1", "--port",
                         std::to_string(p1), shards[0]});
  fidx_test::Process s2({"xapian-tcpsrv", "--interface", "127.0.0.1", "--port",
                         std::to_string(p2), shards[1]});
  REQUIRE(fidx_test::WaitForPort(p1));
  REQUIRE(fidx_test::WaitForPort(p2));
  std::string stub = dir / "remote.stub";
  fidx_test::WriteFile(stub, "remote 127.0.0.1:" + std::to_string(p1) + "\nremote 127.0.0.1:" +
                                 std::to_string(p2) + "\n");
  for (const char* q : {"\"Regulation FD\" orphan", "-orphan", "* -form:8-K",
                        "cik:1279704 orphan -agriculture", "(orphan OR tesla) -form:10-K",
                        "company:apple company:tesla", "NOT (drug OR vehicle)"}) {
    INFO(q);
    json one = SearchJson(q);
    for (const std::string& db : {sharded, stub}) {
      INFO(db);
      auto r = RunFidx({"search", "--json", "--facets", "--no-snippets", "-n", "1000", "--db", db,
                        "--", q});
      REQUIRE((r.exit_code == 0 || r.exit_code == 1));
      json other = r.Json();
      CHECK(other["total"] == one["total"]);
      std::set<std::string> a, b;
      for (const json& h : one["hits"]) a.insert(h["path"].get<std::string>());
      for (const json& h : other["hits"]) b.insert(h["path"].get<std::string>());
      CHECK(a == b);
      // Every single-valued facet accounts for every filing.
      for (const char* facet : {"form", "year"}) {
        uint64_t sum = 0;
        for (const auto& [value, n] : other["facets"][facet].items()) sum += n.get<uint64_t>();
        CHECK(sum == other["total"].get<uint64_t>());
      }
    }
  }
}

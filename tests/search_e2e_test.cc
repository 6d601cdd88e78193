// End-to-end: the real fidx binary over the bundled corpus/.

#include <catch2/catch.hpp>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <set>

#include "cli_runner.h"

using fidx_test::RunFidx;
using fidx_test::Source;
using fidx_test::TempDir;
using nlohmann::json;

namespace {

// Indexes the bundled corpus into a fresh index and returns its path.
std::string IndexCorpus(const TempDir& dir) {
  std::string db = dir / "index";
  auto add = RunFidx({"add", Source("corpus")}, db);
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

uint64_t Total(const std::string& db, const std::string& query) {
  return Search(db, {query})["total"].get<uint64_t>();
}

}  // namespace

TEST_CASE("orphan drug finds Cellectar's 8-K first, snippet from the EX-99.1 press release",
          "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json r = Search(db, {"orphan drug"});
  REQUIRE(r["total"].get<int>() >= 1);
  const json& top = r["hits"][0];
  CHECK(top["accession"] == "0001144204-17-013452");
  CHECK(top["form"] == "8-K");
  CHECK(top["filed"] == "2017-03-08");
  CHECK(top["company"] == "Cellectar Biosciences, Inc.");
  CHECK(top["cik"] == 1279704);
  CHECK(top["sic"] == 2834);
  CHECK(top["document"]["type"] == "EX-99.1");
  std::string snippet = top["snippet"];
  CHECK_THAT(snippet, Catch::Contains("<mark>orphan</mark> <mark>drug</mark>", Catch::CaseSensitive::No));
  std::string url = top["url"];
  CHECK(url.rfind("https://www.sec.gov/Archives/edgar/data/1279704/000114420417013452/", 0) == 0);
}

TEST_CASE("the seed comment letter is found by words from its text", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json r = Search(db, {"\"requisite vote to ratify\""});
  REQUIRE(r["total"] == 1);
  std::string path = r["hits"][0]["path"];
  CHECK_THAT(path, Catch::EndsWith("cellectar-comment-letter-2017-07-31.txt"));
  CHECK(r["hits"][0]["accession"].is_null());
  CHECK_THAT(r["hits"][0]["snippet"].get<std::string>(),
             Catch::Contains("<mark>requisite vote to ratify</mark>"));
}

TEST_CASE("adding the same files again changes nothing", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  uint64_t filings = Total(db, "*");
  uint64_t documents = Search(db, {"*", "--per-document"})["total"];
  auto again = RunFidx({"add", "--json", Source("corpus"), Source("corpus/2017")}, db);
  REQUIRE(again.exit_code == 0);
  json summary = again.Json();
  CHECK(summary["added"] == 0);
  CHECK(summary["updated"] == 0);
  CHECK(summary["removed"] == 0);
  CHECK(Total(db, "*") == filings);
  CHECK(Search(db, {"*", "--per-document"})["total"] == documents);
}

TEST_CASE("a second copy of a filing at another path is not a second filing", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  uint64_t filings = Total(db, "*");
  std::filesystem::copy_file(Source("corpus/2017/0001144204-17-013452.txt"), dir / "copy.txt");
  auto add = RunFidx({"add", dir / "copy.txt"}, db);
  REQUIRE(add.exit_code == 0);
  CHECK(Total(db, "*") == filings);
  CHECK(Search(db, {"accession:0001144204-17-013452", "--per-document"})["total"] == 2);
}

TEST_CASE("field filters normalise their values", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  CHECK(Total(db, "cik:1279704") == 1);
  CHECK(Total(db, "cik:0001279704") == 1);
  CHECK(Total(db, "accession:0001144204-17-013452") == 1);
  CHECK(Total(db, "accession:000114420417013452") == 1);
  CHECK(Total(db, "form:8-k") == Total(db, "form:8-K"));
  CHECK(Total(db, "sic:2834 year:2017") == 1);
  CHECK(Total(db, "state:de cik:1279704") == 1);
  CHECK(Total(db, "type:EX-99.1 cellectar") == 1);
  CHECK(Total(db, "company:cellectar") == 1);
  CHECK(Total(db, "company:novelos") == 1);  // a former name
  CHECK(Total(db, "filed:2017-01-01..2017-06-30 cik:1279704") == 1);
  CHECK(Total(db, "filed:20170101..20170630 cik:1279704") == 1);
  CHECK(Total(db, "filed:2017-03-09.. cik:1279704") == 0);
  CHECK(Total(db, "filed:..2017-03-08 cik:1279704") == 1);
  CHECK(Total(db, "filed:2017-03 cik:1279704") == 1);
  // The 8-K's header says "Regulation FD Disclosure": item 7.01.
  CHECK(Total(db, "item:7.01 cik:1279704") == 1);
  CHECK(Total(db, "item:\"Regulation FD Disclosure\" cik:1279704") == 1);
  CHECK(Total(db, "item:2.02 cik:1279704") == 0);
  CHECK(Total(db, "file:001-36598") == 1);
}

TEST_CASE("facets count filings over all matches", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json r = Search(db, {"*", "--facets", "--limit", "1"});
  uint64_t total = r["total"];
  CHECK(r["hits"].size() == 1);
  // Dated filings by year, the others as "(unknown)": every filing counted.
  uint64_t by_year = 0;
  for (auto& [year, n] : r["facets"]["year"].items()) {
    if (year != "(unknown)") by_year += n.get<uint64_t>();
  }
  uint64_t dated = Total(db, "filed:1900..2100");
  CHECK(by_year == dated);
  CHECK(dated + r["facets"]["year"].value("(unknown)", uint64_t{0}) == total);
  CHECK(r["facets"]["cik"]["1279704"] == 1);
  CHECK(r["facets"]["sic"]["2834"].get<int>() >= 1);
  CHECK(r["facet_labels"]["sic"]["2834"] == "PHARMACEUTICAL PREPARATIONS");
  CHECK(r["facet_labels"]["cik"]["1279704"] == "Cellectar Biosciences, Inc.");

  // Per document, the total counts documents but the facets still count
  // filings: the same facets, whichever page is asked for.
  json docs = Search(db, {"*", "--facets", "--per-document", "--limit", "2", "--offset", "3"});
  CHECK(docs["facets"] == r["facets"]);
  CHECK(docs["hits"].size() == 2);
  CHECK(docs["total"].get<uint64_t>() > total);
  // A text query: each facet value counts the filings a filter finds.
  json drug = Search(db, {"drug", "--facets"});
  for (auto& [form, n] : drug["facets"]["form"].items()) {
    if (form == "(unknown)") continue;
    CHECK(Total(db, "drug form:\"" + form + "\"") == n.get<uint64_t>());
  }
  for (auto& [cik, n] : drug["facets"]["cik"].items()) {
    if (cik == "(unknown)") continue;
    CHECK(Total(db, "drug cik:" + cik) == n.get<uint64_t>());
  }
}

TEST_CASE("filters list each filing once, with all its documents", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  // Cellectar's 8-K has two documents (the 8-K and its EX-99.1); a filter
  // matches both, and the filing is one hit that says so.
  json r = Search(db, {"cik:1279704"});
  REQUIRE(r["hits"].size() == 1);
  CHECK(r["hits"][0]["accession"] == "0001144204-17-013452");
  CHECK(r["hits"][0]["matching_documents"] == 2);
  // A document-level filter counts documents of that type only.
  json typed = Search(db, {"cik:1279704 type:EX-99.1"});
  REQUIRE(typed["hits"].size() == 1);
  CHECK(typed["hits"][0]["matching_documents"] == 1);
  CHECK(typed["hits"][0]["document"]["type"] == "EX-99.1");
  // Every filing once: "*" lists as many filings as it counts.
  json all = Search(db, {"*", "--limit", "1000"});
  std::set<std::string> keys;
  for (auto& h : all["hits"]) keys.insert(h["path"].get<std::string>());
  CHECK(keys.size() == all["hits"].size());
  CHECK(all["total"] == all["hits"].size());
}

TEST_CASE("wildcard words are ranked by relevance", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  // A wildcard over words is text (ranked), not a filter (listed by date).
  json r = Search(db, {"orphan*"});
  REQUIRE(r["hits"].size() >= 1);
  CHECK(r["hits"][0]["accession"] == "0001144204-17-013452");
  CHECK(r["hits"][0]["score"].get<double>() > 0);
  // A wildcard over a filter's values stays a filter.
  json forms = Search(db, {"form:8-K*"});
  REQUIRE(forms["hits"].size() >= 1);
  CHECK(forms["hits"][0]["score"].get<double>() == 0);
  CHECK(forms["total"] == Total(db, "form:8-K") + Total(db, "form:8-K/A"));
}

TEST_CASE("a wildcard's snippet shows the word it matched, however deep in the document",
          "[e2e][snippets]") {
  // 200 KB of text before the only word the wildcard matches: found through
  // the document's own term list, not by scanning its text chunk by chunk
  // (which gave up after the first 128 KB and showed the document's start).
  TempDir dir;
  std::string body;
  while (body.size() < 200 * 1024) body += "The company reported its results for the quarter. ";
  body += "Our pharmacovigilance program monitors adverse events. ";
  body += "The company reported its results for the quarter.\n";
  fidx_test::WriteFile(dir / "filings/0000950123-20-000001.txt",
                       "<SEC-DOCUMENT>0000950123-20-000001.txt : 20200101\n"
                       "<SEC-HEADER>0000950123-20-000001.hdr.sgml : 20200101\n"
                       "ACCESSION NUMBER:\t\t0000950123-20-000001\n"
                       "CONFORMED SUBMISSION TYPE:\t10-K\nPUBLIC DOCUMENT COUNT:\t\t1\n"
                       "FILED AS OF DATE:\t\t20200101\n\nFILER:\n\n\tCOMPANY DATA:\t\n"
                       "\t\tCOMPANY CONFORMED NAME:\t\t\tLONG FILER INC\n"
                       "\t\tCENTRAL INDEX KEY:\t\t\t0000001234\n</SEC-HEADER>\n"
                       "<DOCUMENT>\n<TYPE>10-K\n<SEQUENCE>1\n<FILENAME>a.txt\n<TEXT>\n" +
                           body + "</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n");
  std::string db = dir / "index";
  auto add = RunFidx({"add", "--quiet", dir / "filings"}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  for (const char* q : {"pharmacov*", "pharma*", "pharmacovigilance"}) {
    INFO(q);
    json r = Search(db, {q});
    REQUIRE(r["total"] == 1);
    CHECK_THAT(r["hits"][0]["snippet"].get<std::string>(),
               Catch::Contains("<mark>pharmacovigilance</mark> program"));
  }
}

TEST_CASE("an index of another schema version is refused, not misread", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  // Mark every shard as written by another fidx (xapian-tools' own setter).
  int shards = 0;
  for (const auto& entry : std::filesystem::directory_iterator(db)) {
    if (entry.path().filename().string().rfind("shard-", 0) != 0) continue;
    std::string cmd = "xapian-metadata set '" + entry.path().string() + "' fidx:schema 1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    ++shards;
  }
  REQUIRE(shards >= 1);
  for (std::vector<std::string> args : {std::vector<std::string>{"search", "--db", db, "*"},
                                        {"stats", "--db", db},
                                        {"add", "--db", db, Source("corpus")}}) {
    auto r = RunFidx(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains("incompatible fidx (schema 1"));
    CHECK(r.out.empty());
  }
}

TEST_CASE("paging is exact and unbounded", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json all = Search(db, {"*", "--limit", "1000"});
  uint64_t total = all["total"];
  REQUIRE(all["hits"].size() == total);
  std::vector<std::string> paged;
  for (uint64_t off = 0; off < total; off += 3) {
    json page = Search(db, {"*", "--limit", "3", "--offset", std::to_string(off)});
    CHECK(page["total"] == total);
    for (auto& h : page["hits"]) paged.push_back(h["path"]);
  }
  std::vector<std::string> expected;
  for (auto& h : all["hits"]) expected.push_back(h["path"]);
  CHECK(paged == expected);
}

TEST_CASE("uuencoded content is never searchable", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  // Every data line of a uuencoded part starts with 'M'; take a word from one.
  std::ifstream in(Source("corpus/2026/0001104659-26-017097.txt"));
  std::string line, word;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("begin ", 0) == 0) inside = true;
    if (inside && line.size() > 40 && line[0] == 'M') {
      for (char c : line.substr(1, 12)) word.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : ' ');
      break;
    }
  }
  REQUIRE_FALSE(word.empty());
  CHECK(Total(db, "\"" + word + "\"") == 0);
}

TEST_CASE("a query that cannot be parsed exits 2 with a message", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  auto r = RunFidx({"search", "orphan AND ("}, db);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("cannot parse query"));
  auto bad = RunFidx({"search", "cik:abc"}, db);
  CHECK(bad.exit_code == 2);
}

TEST_CASE("searching without an index says so and exits 4", "[e2e]") {
  TempDir dir;
  auto r = RunFidx({"search", "orphan"}, dir / "nothing-here");
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("no index"));
  CHECK(r.out.empty());
}

TEST_CASE("every command has --help and fidx has --version", "[e2e]") {
  for (const char* cmd : {"add", "search", "show", "stats", "inspect", "compact"}) {
    auto r = RunFidx({cmd, "--help"});
    INFO(cmd);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains(std::string("Usage: fidx ") + cmd));
    CHECK(r.err.empty());
  }
  auto v = RunFidx({"--version"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("fidx "));
  CHECK(RunFidx({"frobnicate"}).exit_code == 2);
  CHECK(RunFidx({"search"}).exit_code == 2);
}

TEST_CASE("show and stats describe what was indexed", "[e2e]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  auto show = RunFidx({"show", "--json", "0001144204-17-013452"}, db);
  REQUIRE(show.exit_code == 0);
  json s = show.Json();
  CHECK(s["form"] == "8-K");  // the shape of inspect --json
  CHECK(s["documents"].size() == 2);
  CHECK(s["documents"][1]["type"] == "EX-99.1");
  auto human = RunFidx({"show", "0001144204-17-013452"}, db);
  CHECK_THAT(human.out, Catch::Contains("FILER: Cellectar Biosciences, Inc.  CIK 1279704"));
  CHECK_THAT(human.out, Catch::Contains("formerly: NOVELOS THERAPEUTICS, INC."));
  CHECK(RunFidx({"show", "0000000000-00-000000"}, db).exit_code == 1);
  auto stats = RunFidx({"stats", "--json"}, db);
  REQUIRE(stats.exit_code == 0);
  json st = stats.Json();
  CHECK(st["filings"] == Total(db, "*"));
  CHECK(st["by_form"]["8-K"].get<int>() >= 1);
  CHECK_FALSE(st["last_update"].is_null());
}

TEST_CASE("an emptied folder is taken for an unmounted mirror: its filings are kept", "[e2e]") {
  TempDir dir;
  std::string db = dir / "index";
  std::string mirror = dir / "mirror";
  std::filesystem::create_directories(mirror);
  std::filesystem::copy_file(Source("corpus/2017/0001144204-17-013452.txt"),
                             mirror + "/0001144204-17-013452.txt");
  REQUIRE(RunFidx({"add", mirror}, db).exit_code == 0);
  std::filesystem::remove(mirror + "/0001144204-17-013452.txt");
  auto r = RunFidx({"add", "--json", mirror}, db);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("not mounted?"));
  CHECK(r.Json()["removed"] == 0);
  CHECK(Total(db, "*") == 1);
}

TEST_CASE("a filing found by filters alone shows the start of its text", "[e2e]") {
  // No word of the query is in the text: the snippet is the document's
  // start (the cover page, "FORM 8-K ..."), white space collapsed, cut at a
  // word and followed by "...", not a window the snippet generator picks.
  TempDir dir;
  std::string db = IndexCorpus(dir);
  const std::string file = Source("corpus/2017/0001144204-17-013452.txt");
  auto inspect = RunFidx({"inspect", "--json", "--text", file}, db);
  REQUIRE(inspect.exit_code == 0);
  std::string start;
  for (char c : inspect.Json()["texts"][0].get<std::string>()) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!start.empty() && start.back() != ' ') start += ' ';
    } else {
      start += c;
    }
  }
  REQUIRE(start.rfind("UNITED STATES SECURITIES AND EXCHANGE COMMISSION Washington, D.C.", 0) == 0);

  for (const char* query : {"cik:1279704 form:8-K", "accession:0001144204-17-013452"}) {
    INFO(query);
    json r = Search(db, {query});
    REQUIRE(r["total"] == 1);
    const json& hit = r["hits"][0];
    CHECK(hit["document"]["sequence"] == 1);
    std::string snippet = hit["snippet"];
    REQUIRE(snippet.size() > 100);
    CHECK(snippet.substr(snippet.size() - 3) == "...");
    const std::string shown = snippet.substr(0, snippet.size() - 3);
    CHECK(shown.size() <= 200);
    // The whole words of the text's start, and nothing else.
    CHECK(start.rfind(shown, 0) == 0);
    CHECK(start[shown.size()] == ' ');
  }
}

TEST_CASE("the start of a text without spaces is cut between characters", "[e2e]") {
  // 400 CJK characters (3 bytes each) and no space: the snippet stops at a
  // character's end, never inside one (JSON would show U+FFFD).
  TempDir dir;
  std::filesystem::create_directories(dir / "files");
  std::string run;
  for (int i = 0; i < 400; ++i) run += "\xe6\x97\xa5";  // 日
  {
    std::ofstream out(dir / "files/0000950123-22-000001.txt");
    out << "<SEC-DOCUMENT>0000950123-22-000001.txt : 20220104\n"
           "<SEC-HEADER>0000950123-22-000001.hdr.sgml : 20220104\n"
           "ACCESSION NUMBER:\t\t0000950123-22-000001\n"
           "CONFORMED SUBMISSION TYPE:\t6-K\nFILED AS OF DATE:\t\t20220104\n\n"
           "FILER:\n\n\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\tNIHON TEST KK\n"
           "\t\tCENTRAL INDEX KEY:\t\t\t0000004321\n</SEC-HEADER>\n"
           "<DOCUMENT>\n<TYPE>6-K\n<SEQUENCE>1\n<FILENAME>a.txt\n<TEXT>\n"
        << run << "\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n";
  }
  std::string db = dir / "index";
  REQUIRE(RunFidx({"add", dir / "files"}, db).exit_code == 0);
  json r = Search(db, {"form:6-K"});
  REQUIRE(r["total"] == 1);
  std::string snippet = r["hits"][0]["snippet"];
  REQUIRE(snippet.size() > 3);
  CHECK(snippet.substr(snippet.size() - 3) == "...");
  const std::string shown = snippet.substr(0, snippet.size() - 3);
  CHECK(shown.size() % 3 == 0);
  CHECK(shown.size() >= 150);
  CHECK(run.rfind(shown, 0) == 0);
}

// End-to-end: filings whose files carry no SEC header (bare <DOCUMENT>s,
// XML forms, inline XBRL) found by form, CIK, company and date like any
// other, with facets, stats and sec.gov links (issue 12). Real files from
// tests/data (see tests/data/README.md).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "test_paths.h"

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
  // Its local name is not EDGAR's: the link is to the filing's .txt.
  CHECK(r["hits"][0]["url"] ==
        "https://www.sec.gov/Archives/edgar/data/887919/0000887919-21-000012.txt");

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

// ---- Filings laid out as EDGAR's archive (shared corpus; skipped without) ----

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out.push_back(c);
  }
  return out;
}

// One full submission of the shared corpus, cut into the files EDGAR's
// archive folder holds.
struct LaidOut {
  std::string accession;
  std::string cik;
  std::string full;                                     // <accession>.txt
  std::string index_headers;                            // -index-headers.html
  std::vector<std::pair<std::string, std::string>> documents;  // name, body
};

bool Cut(const std::string& full, LaidOut* out) {
  size_t h0 = full.find("<SEC-HEADER>"), h1 = full.find("</SEC-HEADER>");
  if (h0 == std::string::npos || h1 == std::string::npos || full.find("PRIVACY-ENHANCED") != std::string::npos) {
    return false;
  }
  auto field = [&](const std::string& key) {
    size_t at = full.find(key, h0);
    if (at == std::string::npos || at > h1) return std::string();
    size_t b = full.find_first_not_of(" \t", at + key.size());
    return full.substr(b, full.find_first_of("\r\n", b) - b);
  };
  out->accession = field("ACCESSION NUMBER:");
  out->cik = field("CENTRAL INDEX KEY:");
  if (out->accession.size() != 20 || out->cik.empty()) return false;
  out->full = full;
  out->index_headers = "<HTML><HEAD><TITLE>SEC EDGAR Submission " + out->accession +
                       "</TITLE></HEAD><BODY><PRE>" +
                       HtmlEscape(full.substr(h0, h1 + 13 - h0)) + "</PRE></BODY></HTML>\n";
  for (size_t d = full.find("<DOCUMENT>"); d != std::string::npos; d = full.find("<DOCUMENT>", d + 1)) {
    size_t f = full.find("<FILENAME>", d), t = full.find("<TEXT>", d), e = full.find("</TEXT>", d);
    if (f == std::string::npos || t == std::string::npos || e == std::string::npos || f > t) return false;
    std::string name = full.substr(f + 10, full.find_first_of("\r\n", f) - f - 10);
    std::string ext = name.substr(name.rfind('.') + 1);
    size_t body = full.find('\n', t) + 1;
    // Only the text documents: the walker skips images, PDFs and archives.
    if (ext == "htm" || ext == "html" || ext == "txt" || ext == "xml") {
      out->documents.emplace_back(name, full.substr(body, e - body));
    }
  }
  return !out->documents.empty();
}

std::vector<LaidOut> CorpusFilings(size_t wanted) {
  std::vector<std::string> paths;
  for (const auto& e : fs::recursive_directory_iterator(fidx_test::kSharedCorpus)) {
    if (e.is_regular_file() && e.path().extension() == ".txt" && e.file_size() < (1u << 20)) {
      paths.push_back(e.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<LaidOut> out;
  std::set<std::string> seen;
  for (const std::string& p : paths) {
    LaidOut l;
    if (out.size() < wanted && Cut(ReadAll(p), &l) && seen.insert(l.accession).second) {
      out.push_back(std::move(l));
    }
  }
  return out;
}

std::string Bare(const std::string& accession) {
  std::string s;
  for (char c : accession) {
    if (c != '-') s.push_back(c);
  }
  return s;
}

enum Part { kDocuments = 1, kHeaders = 2, kFull = 4 };

void Lay(const std::string& root, const std::vector<LaidOut>& filings, int parts) {
  for (const LaidOut& l : filings) {
    std::string folder = root + "/edgar/data/" + l.cik + "/" + Bare(l.accession);
    if (parts & kFull) fidx_test::WriteFile(root + "/edgar/data/" + l.cik + "/" + l.accession + ".txt", l.full);
    if (parts & kHeaders) fidx_test::WriteFile(folder + "/" + l.accession + "-index-headers.html", l.index_headers);
    if (parts & kDocuments) {
      for (const auto& [name, body] : l.documents) fidx_test::WriteFile(folder + "/" + name, body);
    }
  }
}

// What a search shows of one filing: hits, form, filed, company, CIK,
// documents.
std::string Describe(const std::string& db, const std::string& accession) {
  json r = Search(db, {"accession:" + accession});
  json d = Search(db, {"accession:" + accession, "--per-document", "--limit", "0"});
  if (r["hits"].empty()) return "no hit";
  const json& h = r["hits"][0];
  return std::to_string(r["total"].get<int>()) + " " + h["form"].dump() + " " + h["filed"].dump() +
         " " + h["company"].dump() + " " + h["cik"].dump() + " docs " + d["total"].dump();
}

// A phrase of three words from the middle of each document's text.
std::vector<std::string> Phrases(const std::string& full_path) {
  auto r = RunFidx({"inspect", "--json", "--text", full_path});
  std::vector<std::string> out;
  const json inspected = r.Json();  // the loop below must not outlive it
  for (const json& text : inspected["texts"]) {
    std::istringstream words(text.get<std::string>());
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    auto plain = [](const std::string& x) {
      return x.size() >= 3 && std::all_of(x.begin(), x.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
    };
    for (size_t i = w.size() / 2; i + 2 < w.size(); ++i) {
      if (plain(w[i]) && plain(w[i + 1]) && plain(w[i + 2])) {
        out.push_back("\"" + w[i] + " " + w[i + 1] + " " + w[i + 2] + "\"");
        break;
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("filings laid out as EDGAR archive folders are one filing each, in any order and runs",
          "[e2e][layout]") {
  if (!fidx_test::HaveSharedCorpus()) return;
  std::vector<LaidOut> filings = CorpusFilings(20);
  REQUIRE(filings.size() == 20);
  TempDir dir;
  // The reference: the full submissions alone.
  Lay(dir / "ref", filings, kFull);
  REQUIRE(RunFidx({"add", dir / "ref"}, dir / "ref.db").exit_code == 0);
  // Everything at once.
  Lay(dir / "all", filings, kDocuments | kHeaders | kFull);
  REQUIRE(RunFidx({"add", dir / "all"}, dir / "all.db").exit_code == 0);
  // The same files arriving over three runs, poorest first.
  std::string steps = dir / "steps";
  for (int parts : {int{kDocuments}, kDocuments | kHeaders, kDocuments | kHeaders | kFull}) {
    Lay(steps, filings, parts);
    auto add = RunFidx({"add", steps}, dir / "steps.db");
    INFO(add.err);
    REQUIRE(add.exit_code == 0);
  }
  CHECK(Search(dir / "all.db", {"*"})["total"] == 20);
  CHECK(Search(dir / "steps.db", {"*"})["total"] == 20);
  for (const LaidOut& l : filings) {
    INFO(l.accession);
    std::string want = Describe(dir / "ref.db", l.accession);
    CHECK(want.rfind("1 ", 0) == 0);
    CHECK(Describe(dir / "all.db", l.accession) == want);
    CHECK(Describe(dir / "steps.db", l.accession) == want);
    for (const std::string& phrase :
         Phrases(dir / ("ref/edgar/data/" + l.cik + "/" + l.accession + ".txt"))) {
      INFO(phrase);
      CHECK(Search(dir / "all.db", {"accession:" + l.accession + " " + phrase})["total"] == 1);
    }
  }
  // The full submissions go: each filing stays, one filing, its header
  // from -index-headers.html, its text from the documents' own files.
  for (const LaidOut& l : filings) fs::remove(steps + "/edgar/data/" + l.cik + "/" + l.accession + ".txt");
  auto again = RunFidx({"add", steps}, dir / "steps.db");
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(Search(dir / "steps.db", {"*"})["total"] == 20);
  for (const LaidOut& l : filings) {
    INFO(l.accession);
    json r = Search(dir / "steps.db", {"accession:" + l.accession});
    json ref = Search(dir / "ref.db", {"accession:" + l.accession});
    REQUIRE(r["total"] == 1);
    CHECK(r["hits"][0]["form"] == ref["hits"][0]["form"]);
    CHECK(r["hits"][0]["filed"] == ref["hits"][0]["filed"]);
    CHECK(r["hits"][0]["company"] == ref["hits"][0]["company"]);
    json d = Search(dir / "steps.db", {"accession:" + l.accession, "--per-document", "--limit", "0"});
    CHECK(d["total"] == l.documents.size());
  }
}

TEST_CASE("EDGAR archive folders packed in a zip or a tar.gz index as they do unpacked",
          "[e2e][layout][archive]") {
  if (!fidx_test::HaveSharedCorpus()) return;
  std::vector<LaidOut> filings = CorpusFilings(20);
  REQUIRE(filings.size() == 20);
  TempDir dir;
  Lay(dir / "ref", filings, kFull);
  REQUIRE(RunFidx({"add", dir / "ref"}, dir / "ref.db").exit_code == 0);
  // Full submissions, -index-headers.html and every document as a file;
  // then the folders alone, each assembled from its files.
  Lay(dir / "all", filings, kDocuments | kHeaders | kFull);
  Lay(dir / "folders", filings, kDocuments | kHeaders);
  std::string archive;
  std::string pack;
  SECTION("zip") {
    archive = dir / "packed/mirror.zip";
    pack = "zip -q -r '" + archive + "' edgar";
  }
  SECTION("tar.gz") {
    archive = dir / "packed/mirror.tar.gz";
    pack = "tar -czf '" + archive + "' edgar";
  }
  fs::create_directories(dir / "packed");
  for (const char* layout : {"all", "folders"}) {
    INFO(layout);
    fs::remove(archive);
    REQUIRE(std::system(("cd '" + (dir / layout) + "' && " + pack).c_str()) == 0);
    std::string db = dir / (std::string(layout) + ".db");
    auto add = RunFidx({"add", dir / "packed"}, db);
    INFO(add.err);
    REQUIRE(add.exit_code == 0);
    CHECK(Search(db, {"*"})["total"] == 20);
    for (const LaidOut& l : filings) {
      INFO(l.accession);
      if (std::string(layout) == "all") {
        CHECK(Describe(db, l.accession) == Describe(dir / "ref.db", l.accession));
      } else {
        json r = Search(db, {"accession:" + l.accession});
        json ref = Search(dir / "ref.db", {"accession:" + l.accession});
        REQUIRE(r["total"] == 1);
        CHECK(r["hits"][0]["form"] == ref["hits"][0]["form"]);
        CHECK(r["hits"][0]["filed"] == ref["hits"][0]["filed"]);
        CHECK(r["hits"][0]["company"] == ref["hits"][0]["company"]);
        json d = Search(db, {"accession:" + l.accession, "--per-document", "--limit", "0"});
        CHECK(d["total"] == l.documents.size());
      }
      for (const std::string& phrase :
           Phrases(dir / ("ref/edgar/data/" + l.cik + "/" + l.accession + ".txt"))) {
        INFO(phrase);
        CHECK(Search(db, {"accession:" + l.accession + " " + phrase})["total"] == 1);
      }
    }
  }
}

TEST_CASE("the issue's 424B5 is found by a word of its text beside its header-only copy",
          "[e2e][layout]") {
  if (!fidx_test::HaveSharedCorpus()) return;
  TempDir dir;
  std::string from = std::string(fidx_test::kSharedCorpus) + "/dgunning__edgartools/tests/cassettes-extracted/";
  fs::create_directories(dir / "files");
  for (const char* name : {"0001493152-25-029712.txt", "0001493152-25-029712-index-headers.html"}) {
    fs::copy_file(from + name, dir / ("files/" + std::string(name)));
  }
  auto add = RunFidx({"add", dir / "files"}, dir / "index");
  REQUIRE(add.exit_code == 0);
  json r = Search(dir / "index", {"accession:0001493152-25-029712 thereunder"});
  REQUIRE(r["total"] == 1);
  CHECK(r["hits"][0]["form"] == "424B5");
  CHECK(Search(dir / "index", {"*"})["total"] == 1);
}

TEST_CASE("a master.idx in the mirror dates and names header-less filings", "[e2e][edgar-index]") {
  // As the SEC serves full-index: master.idx, and its packed copies
  // master.gz and master.zip; in a walked folder or named on the command line.
  std::string packing = GENERATE(as<std::string>{}, "idx", "gz", "zip");
  bool named = GENERATE(false, true);
  INFO(packing << (named ? ", named on the command line" : ", in a walked folder"));
  TempDir dir;
  fs::create_directories(dir / "mirror/docs");
  fs::copy_file(Source("tests/data/0000887919-21-000012.html"),
                dir / "mirror/docs/0000887919-21-000012.html");
  fs::copy_file(Source("tests/data/aapl-4-20201013.xml"), dir / "mirror/docs/aapl-4-20201013.xml");
  // The real master.idx preamble and rows, and a row (made for this test)
  // for the inline-XBRL 8-K, which states no filing date of its own.
  std::string master = ReadAll(Source("tests/data/master.idx"));
  master += "887919|PREMIER FINANCIAL BANCORP INC|8-K|2021-03-30|"
            "edgar/data/887919/0000887919-21-000012.txt\n";
  std::string quarter = dir / "mirror/full-index/2021/QTR1";
  fidx_test::WriteFile(quarter + "/master.idx", master);
  std::string index_file = quarter + "/master." + packing;
  if (packing == "gz") {
    REQUIRE(std::system(("gzip -n '" + quarter + "/master.idx'").c_str()) == 0);
    fs::rename(quarter + "/master.idx.gz", index_file);
  } else if (packing == "zip") {
    REQUIRE(std::system(("cd '" + quarter + "' && zip -q master.zip master.idx && rm master.idx")
                            .c_str()) == 0);
  }
  REQUIRE(fs::directory_iterator(quarter)->path() == index_file);
  std::string db = dir / "index";
  auto add = named ? RunFidx({"add", dir / "mirror/docs", index_file}, db)
                   : RunFidx({"add", dir / "mirror"}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(add.err.empty());
  json r = Search(db, {"year:2021"});
  REQUIRE(r["total"] == 1);
  CHECK(r["hits"][0]["filed"] == "2021-03-30");
  CHECK(r["hits"][0]["form"] == "8-K");
  CHECK(r["hits"][0]["company"] == "PREMIER FINANCIAL BANCORP, INC.");
  CHECK(Search(db, {"filed:2021-03-30 cik:887919"})["total"] == 1);
  // The index is not a filing; the Form 4 it does not list keeps its own date.
  CHECK(Search(db, {"*"})["total"] == 2);
  CHECK(Search(db, {"form:4"})["hits"][0]["filed"] == "2020-10-13");
  auto shown = RunFidx({"inspect", "--json", dir / "mirror/docs/0000887919-21-000012.html"});
  CHECK_FALSE(shown.Json()["sources"].contains("filed"));  // inspect reads one file alone
}

TEST_CASE("an index file added after its filings dates them; a no-op run reads nothing",
          "[e2e][edgar-index]") {
  TempDir dir;
  fs::create_directories(dir / "mirror/docs");
  fs::copy_file(Source("tests/data/0000887919-21-000012.html"),
                dir / "mirror/docs/0000887919-21-000012.html");
  std::string db = dir / "index";
  REQUIRE(RunFidx({"add", dir / "mirror"}, db).exit_code == 0);
  CHECK(Search(db, {"cik:887919"})["hits"][0]["filed"].is_null());
  std::string master = ReadAll(Source("tests/data/master.idx"));
  master += "887919|PREMIER FINANCIAL BANCORP INC|8-K|2021-03-30|"
            "edgar/data/887919/0000887919-21-000012.txt\n";
  fidx_test::WriteFile(dir / "mirror/master.idx", master);
  auto add = RunFidx({"add", "--json", dir / "mirror"}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(add.Json()["updated"] == 1);
  CHECK(Search(db, {"cik:887919"})["hits"][0]["filed"] == "2021-03-30");
  auto again = RunFidx({"add", "--json", dir / "mirror"}, db);
  REQUIRE(again.exit_code == 0);
  CHECK(again.Json()["updated"] == 0);
  CHECK(again.Json()["removed"] == 0);
  CHECK(Search(db, {"*"})["total"] == 1);
  CHECK(Search(db, {"cik:887919"})["hits"][0]["filed"] == "2021-03-30");
  // fidx files names the index file as such, not as a file without a filing.
  auto files = RunFidx({"files"}, db);
  REQUIRE(files.exit_code == 0);
  CHECK_THAT(files.out, Catch::Contains("/mirror/master.idx  EDGAR index file\n"));
  CHECK_THAT(files.out, Catch::Contains("0000887919-21-000012  1 document\n"));
  json listed = RunFidx({"files", "--json", dir / "mirror/master.idx"}, db).Json();
  REQUIRE(listed["total"] == 1);
  CHECK(listed["files"][0]["edgar_index"] == true);
  CHECK(listed["files"][0]["accession"].is_null());
  CHECK(listed["files"][0]["documents"] == 0);
}

TEST_CASE("an index file gives its rows to archive members, in the run they arrive and after",
          "[e2e][edgar-index][archive]") {
  TempDir dir;
  std::string master = ReadAll(Source("tests/data/master.idx"));
  master += "887919|PREMIER FINANCIAL BANCORP INC|8-K|2021-03-30|"
            "edgar/data/887919/0000887919-21-000012.txt\n";
  fs::create_directories(dir / "pack");
  fs::create_directories(dir / "mirror");
  fs::copy_file(Source("tests/data/aapl-4-20201013.xml"), dir / "pack/aapl-4-20201013.xml");
  auto pack = [&] {
    fs::remove(dir / "mirror/feed.tar.gz");
    std::string cmd = "tar -C '" + std::string(dir / "pack") + "' -czf '" +
                      std::string(dir / "mirror/feed.tar.gz") + "' .";
    REQUIRE(std::system(cmd.c_str()) == 0);
  };
  pack();
  std::string db = dir / "index";
  auto add = [&] {
    auto r = RunFidx({"add", dir / "mirror"}, db);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  };
  SECTION("a header-less member arrives in a changed archive; the index file is old") {
    fidx_test::WriteFile(dir / "mirror/master.idx", master);
    add();
    fs::copy_file(Source("tests/data/0000887919-21-000012.html"),
                  dir / "pack/0000887919-21-000012.html");
    pack();
    add();
  }
  SECTION("the index file arrives after the member") {
    fs::copy_file(Source("tests/data/0000887919-21-000012.html"),
                  dir / "pack/0000887919-21-000012.html");
    pack();
    add();
    CHECK(Search(db, {"cik:887919"})["hits"][0]["filed"].is_null());
    fidx_test::WriteFile(dir / "mirror/master.idx", master);
    add();
  }
  json r = Search(db, {"cik:887919"});
  REQUIRE(r["total"] == 1);
  CHECK(r["hits"][0]["filed"] == "2021-03-30");
  CHECK(r["hits"][0]["form"] == "8-K");
  CHECK(Search(db, {"*"})["total"] == 2);
}

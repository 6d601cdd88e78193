// End-to-end: `fidx add` run again and again over a changing folder, as
// cron runs it. Unchanged files are skipped, changes replace, removals
// remove (under the walked roots only), moves and copies converge.

#include <fcntl.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "e2e_process.h"

namespace fs = std::filesystem;
using fidx_test::ReadFile;
using fidx_test::CountIndex;
using fidx_test::CountMatches;
using fidx_test::RunFidx;
using fidx_test::RunFidxWith;
using fidx_test::RunResult;
using fidx_test::SpawnOptions;
using fidx_test::TempDir;
using fidx_test::Totals;
using fidx_test::WarningLines;
using nlohmann::json;

namespace {

constexpr char kEightK[] = "2017/0001144204-17-013452.txt";  // 8-K + EX-99.1
constexpr char kEightKAccession[] = "0001144204-17-013452";

// Runs `fidx add --json ARGS...` and returns the summary, requiring `exit`.
json Add(const std::string& db, std::vector<std::string> args, int exit = 0) {
  args.insert(args.begin(), {"add", "--json"});
  RunResult r = RunFidx(args, db);
  INFO("fidx " << args[2] << "...: " << r.err);
  REQUIRE(r.exit_code == exit);
  if (exit == 0) REQUIRE(WarningLines(r.err).empty());
  return r.Json();
}

void Spit(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

// A folder holding a copy of the bundled corpus, made old (no racy re-reads).
struct Folder {
  TempDir tmp;
  std::string root = tmp / "data";
  std::string db = tmp / "index";
  int files = 0;
  Folder() {
    files = fidx_test::CopyBundledCorpus(root);
    fidx_test::MakeAllOld(root);
  }
  std::string operator/(const std::string& rel) const { return root + "/" + rel; }
};

}  // namespace

TEST_CASE("unchanged files are skipped without being read", "[e2e][reindex]") {
  Folder f;
  // Root ignores file modes; run fidx as nobody then, so that mode 000
  // really makes the files unreadable.
  SpawnOptions as;
  as.as_nobody = fidx_test::IsRoot();
  if (as.as_nobody) fidx_test::GiveToNobody(f.tmp.path());
  RunResult first = RunFidxWith({"add", "--json", "--db", f.db, f.root}, as);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  Totals before = CountIndex(f.db);
  REQUIRE(before.filings == f.files);

  for (const auto& e : fs::recursive_directory_iterator(f.root)) {
    if (e.is_regular_file()) REQUIRE(::chmod(e.path().c_str(), 0) == 0);
  }
  RunResult second = RunFidxWith({"add", "--json", "--db", f.db, f.root}, as);
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.err.empty());  // no "cannot read": nothing was opened
  json s = second.Json();
  CHECK(s["unchanged"] == f.files);
  CHECK(s["bytes_read"] == 0);
  CHECK(s["added"] == 0);
  CHECK(s["updated"] == 0);
  CHECK(CountIndex(f.db) == before);
}

TEST_CASE("a touched but identical file is read once and counts as unchanged",
          "[e2e][reindex]") {
  Folder f;
  Add(f.db, {f.root});
  Totals before = CountIndex(f.db);
  REQUIRE(::utimensat(AT_FDCWD, (f / kEightK).c_str(), nullptr, 0) == 0);  // now
  json s = Add(f.db, {f.root});
  CHECK(s["unchanged"] == f.files);
  CHECK(s["updated"] == 0);
  CHECK(s["bytes_read"] == fs::file_size(f / kEightK));
  CHECK(CountIndex(f.db) == before);
  // The record was refreshed: the next run reads nothing. (The file is
  // younger than 2 s at most by now; make it old again to avoid the racy
  // check, which would read it for a second time, correctly.)
  fidx_test::MakeOld(f / kEightK);
  json again = Add(f.db, {f.root});
  CHECK(again["bytes_read"] == fs::file_size(f / kEightK));  // stat changed again
  json settled = Add(f.db, {f.root});
  CHECK(settled["bytes_read"] == 0);
}

TEST_CASE("a changed file replaces its filing and its old text is gone",
          "[e2e][reindex]") {
  Folder f;
  Add(f.db, {f.root});
  Totals before = CountIndex(f.db);
  REQUIRE(CountMatches(f.db, "\"orphan drug\" accession:" + std::string(kEightKAccession)) == 1);

  SECTION("same documents, new words") {
    std::string text = ReadFile(f / kEightK);
    size_t n = 0;
    for (size_t p = text.find("rphan"); p != std::string::npos; p = text.find("rphan", p)) {
      text.replace(p, 5, "xyzzyplugh");
      ++n;
    }
    REQUIRE(n > 0);
    Spit(f / kEightK, text);
    json s = Add(f.db, {f.root});
    CHECK(s["updated"] == 1);
    CHECK(s["unchanged"] == f.files - 1);
    CHECK(CountMatches(f.db, "\"orphan drug\"") == 0);
    CHECK(CountMatches(f.db, "oxyzzyplugh") == 1);
    CHECK(CountIndex(f.db) == before);
  }
  SECTION("one document fewer: no stale exhibit is left") {
    std::string text = ReadFile(f / kEightK);
    size_t second_doc = text.find("<DOCUMENT>", text.find("<DOCUMENT>") + 1);
    REQUIRE(second_doc != std::string::npos);
    Spit(f / kEightK, text.substr(0, second_doc) + "</SEC-DOCUMENT>\n");
    json s = Add(f.db, {f.root});
    CHECK(s["updated"] == 1);
    CHECK(CountMatches(f.db, std::string("accession:") + kEightKAccession, true) == 1);
    CHECK(CountMatches(f.db, "type:EX-99.1 accession:" + std::string(kEightKAccession)) == 0);
    CHECK(CountIndex(f.db).documents == before.documents - 1);
  }
  SECTION("a new accession number: the old filing is gone, the new one is there") {
    std::string text = ReadFile(f / kEightK);
    for (size_t p = text.find(kEightKAccession); p != std::string::npos;
         p = text.find(kEightKAccession, p)) {
      text.replace(p, 20, "0001144204-17-999999");
    }
    Spit(f / kEightK, text);
    Add(f.db, {f.root});
    CHECK(CountMatches(f.db, std::string("accession:") + kEightKAccession) == 0);
    CHECK(CountMatches(f.db, "accession:0001144204-17-999999", true) == 2);
    CHECK(CountIndex(f.db) == before);
  }
}

TEST_CASE("a removed file disappears, but only from under the walked root",
          "[e2e][reindex]") {
  Folder f;
  std::string other = f.tmp / "other";
  fs::create_directories(other);
  fs::rename(f / "2024", other + "/2024");  // two filings outside data/
  Add(f.db, {f.root, other});
  Totals before = CountIndex(f.db);
  REQUIRE(before.filings == f.files);

  fs::remove(f / kEightK);
  fs::remove(other + "/2024/0000019617-24-000012.txt");
  json s = Add(f.db, {f.root});  // walks data/ only
  CHECK(s["removed"] == 1);
  CHECK(CountMatches(f.db, std::string("accession:") + kEightKAccession) == 0);
  CHECK(CountMatches(f.db, "accession:0000019617-24-000012") == 1);  // not walked
  CHECK(CountIndex(f.db).filings == before.filings - 1);

  json kept = Add(f.db, {"--no-delete", other});
  CHECK(kept["removed"] == 0);
  CHECK(CountMatches(f.db, "accession:0000019617-24-000012") == 1);

  json gone = Add(f.db, {other});
  CHECK(gone["removed"] == 1);
  CHECK(CountMatches(f.db, "accession:0000019617-24-000012") == 0);
  CHECK(CountIndex(f.db).filings == before.filings - 2);
}

TEST_CASE("moved files converge to the same filings without duplicates",
          "[e2e][reindex]") {
  Folder f;
  Add(f.db, {f.root});
  Totals before = CountIndex(f.db);

  fs::create_directories(f / "archive");
  fs::rename(f / kEightK, f / "archive/8-K.txt");       // one file
  fs::rename(f / "2024", f / "archive/2024");            // a folder
  json s = Add(f.db, {f.root});
  CHECK(s["removed"] == 3);
  CHECK(s["added"] == 0);  // moved, not new: the index held these filings
  CHECK(s["moved"] == 3);
  CHECK(CountIndex(f.db) == before);
  json hit = RunFidx({"search", "--json", std::string("accession:") + kEightKAccession}, f.db).Json();
  REQUIRE(hit["total"] == 1);
  CHECK(hit["hits"][0]["path"] == f / "archive/8-K.txt");

  json again = Add(f.db, {f.root});
  CHECK(again["added"] == 0);
  CHECK(again["removed"] == 0);
  CHECK(CountIndex(f.db) == before);
}

TEST_CASE("overlapping and differently spelt paths converge", "[e2e][reindex]") {
  Folder f;
  json s = Add(f.db, {f.root, f / "2017", f / kEightK, f.root + "/./2017/"});
  CHECK(s["files"] == f.files);
  CHECK(s["added"] == f.files);
  Totals before = CountIndex(f.db);
  CHECK(before.filings == f.files);

  fs::create_directory_symlink(f.root, f.tmp / "link");
  json again = Add(f.db, {f.tmp / "link/2017", f.root + "//2024/../2017"});
  CHECK(again["added"] == 0);
  CHECK(again["removed"] == 0);
  CHECK(again["unchanged"] == 2);
  CHECK(CountIndex(f.db) == before);
}

TEST_CASE("a second copy at another path, then deleted, keeps the filing",
          "[e2e][reindex]") {
  Folder f;
  std::string copy = f / "copies/8-K-copy.txt";
  fs::create_directories(f / "copies");
  fs::copy_file(f / kEightK, copy);
  fidx_test::MakeOld(copy);
  json s = Add(f.db, {f.root});
  // Counted by filing: the copy adds none.
  CHECK(s["added"] == f.files);
  CHECK(s["moved"] == 1);
  Totals before = CountIndex(f.db);
  CHECK(before.filings == f.files);  // one filing, two files
  std::string query = std::string("accession:") + kEightKAccession;
  REQUIRE(CountMatches(f.db, query, true) == 2);

  SECTION("the copy is deleted") { fs::remove(copy); }
  SECTION("the original is deleted") { fs::remove(f / kEightK); }
  SECTION("both are deleted") {
    fs::remove(copy);
    fs::remove(f / kEightK);
  }
  bool both_gone = !fs::exists(copy) && !fs::exists(f / kEightK);
  json after = Add(f.db, {f.root});
  CHECK(after["removed"] == (both_gone ? 2 : 1));
  CHECK(CountMatches(f.db, query, true) == (both_gone ? 0 : 2));
  CHECK(CountMatches(f.db, "\"orphan drug\" " + query) == (both_gone ? 0 : 1));
  CHECK(CountIndex(f.db).filings == before.filings - (both_gone ? 1 : 0));
  // And it stays that way.
  json settled = Add(f.db, {f.root});
  CHECK(settled["added"] == 0);
  CHECK(settled["updated"] == 0);
  CHECK(CountMatches(f.db, query, true) == (both_gone ? 0 : 2));
}

TEST_CASE("a filing whose remaining copy cannot be re-read stays until the copy can be",
          "[e2e][reindex]") {
  // Both copies indexed; the one holding the documents is removed while
  // the other cannot be read. That run keeps the filing as it was; the
  // next one, once the file is readable again, re-reads it from the copy.
  Folder f;
  SpawnOptions as;
  as.as_nobody = fidx_test::IsRoot();
  std::string copy = f / "copies/8-K-copy.txt";
  fs::create_directories(f / "copies");
  fs::copy_file(f / kEightK, copy);
  fidx_test::MakeOld(copy);
  if (as.as_nobody) fidx_test::GiveToNobody(f.tmp.path());
  auto add = [&](int want) {
    RunResult r = RunFidxWith({"add", "--json", "--db", f.db, f.root}, as);
    INFO(r.err);
    CHECK(r.exit_code == want);
    return r;
  };
  add(0);
  std::string query = std::string("accession:") + kEightKAccession;
  REQUIRE(CountMatches(f.db, query, true) == 2);

  // Copies written in one run: the first path holds the documents.
  fs::remove(f / kEightK);
  REQUIRE(::chmod(copy.c_str(), 0) == 0);
  RunResult failed = add(1);
  CHECK(WarningLines(failed.err).size() == 1);
  // Meanwhile the filing stays searchable, from the removed file's documents.
  CHECK(CountMatches(f.db, query, true) == 2);
  CHECK(failed.Json()["removed"] == 0);
  REQUIRE(::chmod(copy.c_str(), 0644) == 0);
  add(0);
  CHECK(CountMatches(f.db, query, true) == 2);
  CHECK(CountMatches(f.db, "\"orphan drug\" " + query) == 1);
}

TEST_CASE("forcing a re-read of everything changes nothing", "[e2e][reindex]") {
  Folder f;
  Add(f.db, {f.root});
  Totals before = CountIndex(f.db);
  json s = Add(f.db, {"--force", f.root});
  CHECK(s["updated"] == f.files);
  CHECK(CountIndex(f.db) == before);
}

TEST_CASE("a file that failed is quiet until it changes, then indexed", "[e2e][reindex]") {
  Folder f;
  std::string bad = f / "late.txt";
  std::string good = ReadFile(f / kEightK);
  Spit(bad, std::string(4096, '\0'));
  fidx_test::MakeOld(bad);
  RunResult first = RunFidx({"add", "--json", f.root}, f.db);
  CHECK(first.exit_code == 1);
  std::vector<std::string> warnings = WarningLines(first.err);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::StartsWith("fidx: warning: " + bad + ": "));

  json quiet = Add(f.db, {f.root});
  CHECK(quiet["known_bad"] == 1);

  std::string fixed = good;
  size_t p;
  while ((p = fixed.find(kEightKAccession)) != std::string::npos) {
    fixed.replace(p, 20, "0001144204-17-555555");
  }
  Spit(bad, fixed);
  json s = Add(f.db, {f.root});
  CHECK(s["added"].get<int>() + s["updated"].get<int>() == 1);
  CHECK(CountMatches(f.db, "accession:0001144204-17-555555", true) == 2);
}

TEST_CASE("a filing overwritten with garbage keeps its documents and says so",
          "[e2e][reindex]") {
  Folder f;
  Add(f.db, {f.root});
  Totals before = CountIndex(f.db);
  Spit(f / kEightK, std::string(2048, '\0'));
  for (int run = 0; run < 2; ++run) {  // every run warns until it is fixed
    RunResult r = RunFidx({"add", "--json", f.root}, f.db);
    CHECK(r.exit_code == 1);
    std::vector<std::string> warnings = WarningLines(r.err);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains(f / kEightK));
    CHECK(CountIndex(f.db) == before);
  }
}

TEST_CASE("new copies of one filing indexed in one run make it once, whatever the threads",
          "[e2e][reindex]") {
  // Each filing twice, side by side in path order, so that two workers
  // finish the two copies at about the same moment.
  TempDir tmp;
  std::string gen = tmp / "gen", pairs = tmp / "pairs";
  int files = fidx_test::WriteScaleCorpus(gen, 60);
  fs::create_directories(pairs);
  for (const auto& e : fs::recursive_directory_iterator(gen)) {
    if (!e.is_regular_file()) continue;
    std::string name = e.path().parent_path().filename().string() + "-" +
                       e.path().filename().string();
    fs::copy_file(e.path(), pairs + "/" + name + ".a");
    fs::copy_file(e.path(), pairs + "/" + name + ".b");
  }
  Add(tmp / "one", {gen + "/000"});
  Totals one_copy = CountIndex(tmp / "one");
  json s = Add(tmp / "index", {"--jobs", "16", pairs});
  CHECK(s["added"] == files);  // by filing, not by copy
  CHECK(s["moved"] == files);
  CHECK(s["filings"] == files);
  Totals all = CountIndex(tmp / "index");
  CHECK(all.filings == files);
  CHECK(all.documents == 60 * one_copy.documents);
  // Whichever worker finished last, the documents come from the copy whose
  // path sorts first, so every build of these files shows the same one.
  RunResult docs = RunFidx({"search", "--json", "--per-document", "--no-snippets",
                            "--limit", "100000", "*"}, tmp / "index");
  REQUIRE(docs.exit_code == 0);
  json hits = docs.Json()["hits"];
  REQUIRE(static_cast<int64_t>(hits.size()) == all.documents);
  for (const json& h : hits) {
    std::string path = h["path"];
    CHECK(path.substr(path.size() - 2) == ".a");
  }
}

TEST_CASE("filings under a folder that cannot be read are kept, not removed",
          "[e2e][reindex]") {
  Folder f;
  SpawnOptions as;
  as.as_nobody = fidx_test::IsRoot();
  if (as.as_nobody) fidx_test::GiveToNobody(f.tmp.path());
  auto add = [&](int want) {
    RunResult r = RunFidxWith({"add", "--json", "--db", f.db, f.root}, as);
    INFO(r.err);
    CHECK(r.exit_code == want);
    return r;
  };
  add(0);
  Totals before = CountIndex(f.db);
  REQUIRE(::chmod((f / "2024").c_str(), 0) == 0);  // a lost mount, bad permissions
  RunResult r = add(1);
  std::vector<std::string> warnings = WarningLines(r.err);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains(f / "2024"));
  CHECK(r.Json()["removed"] == 0);
  CHECK(CountIndex(f.db) == before);
  REQUIRE(::chmod((f / "2024").c_str(), 0755) == 0);
  fs::remove(f / "2024/0000019617-24-000012.txt");
  CHECK(add(0).Json()["removed"] == 1);
}

TEST_CASE("an index kept inside a walked folder is never indexed itself", "[e2e][reindex]") {
  Folder f;
  std::string db = f / "index";  // e.g. fidx add /srv --db /srv/index
  for (int run = 0; run < 2; ++run) {
    RunResult r = RunFidx({"add", "--json", f.root}, db);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.Json()["files"] == f.files);
  }
  CHECK(CountIndex(db).filings == f.files);
}

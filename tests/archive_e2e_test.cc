// End-to-end: archives read in place (issue 12). A feed-day .nc.tar.gz,
// a .zip and a plain .tar of real filings index to exactly what the same
// files give unpacked; an archive is one unit for change detection;
// removing or replacing it removes what it alone gave; a killed run is
// completed by the next; a damaged archive costs one warning and no more
// than the members it damaged.

#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.h"
#include "e2e_process.h"

namespace fs = std::filesystem;
using fidx_test::CountIndex;
using fidx_test::CountMatches;
using fidx_test::FidxChild;
using fidx_test::RunFidx;
using fidx_test::RunResult;
using fidx_test::Source;
using fidx_test::TempDir;
using fidx_test::Totals;
using fidx_test::WarningLines;
using nlohmann::json;

namespace {

// Full submissions, feed .nc files and header-less documents from
// tests/data, beside the bundled corpus/.
const char* const kDataFiles[] = {
    "0000929638-25-000114-trimmed.nc", "0001127602-25-004598.nc",
    "0000950124-00-005827.txt",        "0000950129-95-001652.txt",
    "0001000685-98-000002.txt",        "0001045810-23-000128.txt",
    "1002517_8K_2011_0000950123-11-060355.htm", "13f-hr-primary-doc.xml",
    "form-d-amendment.xml",            "comment-letter.txt",
    "0000887919-21-000012.html",
};

// Lays out real filings under `root` (the bundled corpus/ and kDataFiles
// in data/); returns how many files.
int LayOutFilings(const std::string& root) {
  int n = fidx_test::CopyBundledCorpus(root);
  fs::create_directories(fs::path(root) / "data");
  for (const char* name : kDataFiles) {
    fs::copy_file(Source(std::string("tests/data/") + name), fs::path(root) / "data" / name);
    ++n;
  }
  return n;
}

// Runs a shell command (tar, zip) and requires it to succeed.
void Shell(const std::string& command) {
  INFO(command);
  REQUIRE(std::system(command.c_str()) == 0);
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Packs the files under `dir` (paths relative to it, as `tar -C` and `zip`
// in the folder store them) into `archive`, by its extension.
void Pack(const std::string& dir, const std::string& archive) {
  fs::create_directories(fs::path(archive).parent_path());
  if (archive.size() > 4 && archive.compare(archive.size() - 4, 4, ".zip") == 0) {
    Shell("cd " + Quote(dir) + " && zip -q -r " + Quote(archive) + " .");
  } else {
    bool gz = archive.find(".tar.gz") != std::string::npos ||
              archive.find(".tgz") != std::string::npos;
    Shell("tar -C " + Quote(dir) + (gz ? " -czf " : " -cf ") + Quote(archive) + " .");
  }
}

json Add(const std::string& db, std::vector<std::string> roots, int expect_exit = 0) {
  std::vector<std::string> args = {"add", "--json"};
  args.insert(args.end(), roots.begin(), roots.end());
  RunResult r = RunFidx(args, db);
  INFO(r.err);
  REQUIRE(r.exit_code == expect_exit);
  return r.Json();
}

json Search(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), "search");
  args.push_back("--json");
  RunResult r = RunFidx(args, db);
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return r.Json();
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

// Every hit of `query` with the path prefix `root` (the folder or the
// archive the files came from) taken off, and the path keys of
// header-less filings (a hash of that path) dropped; in a canonical order
// (hits of equal score may come in either order).
std::vector<std::string> Hits(const std::string& db, const std::string& query,
                              const std::string& root) {
  json r = Search(db, {query, "--limit", "500"});
  std::vector<std::string> out;
  for (json hit : r["hits"]) {
    hit.erase("rank");
    if (hit["filing_key"].get<std::string>().rfind("path:", 0) == 0) hit.erase("filing_key");
    std::string s = hit.dump();
    ReplaceAll(&s, root + "/", "ROOT/");
    out.push_back(s);
  }
  std::sort(out.begin(), out.end());
  return out;
}

const char* const kQueries[] = {
    "*", "orphan drug", "\"net income\"", "revenue OR income", "form:8-K",
    "year:2020..2026 company", "type:EX-99.1", "letter", "cik:320193",
};

// The index of `archive` holds exactly what the index of `unpacked` holds.
void RequireSameAsUnpacked(const std::string& archive_db, const std::string& archive,
                           const std::string& unpacked_db, const std::string& unpacked) {
  CHECK(CountIndex(archive_db) == CountIndex(unpacked_db));
  json facets_a = Search(archive_db, {"*", "--facets", "*", "--limit", "0"});
  json facets_u = Search(unpacked_db, {"*", "--facets", "*", "--limit", "0"});
  CHECK(facets_a["total"] == facets_u["total"]);
  CHECK(facets_a["facets"] == facets_u["facets"]);
  for (const char* q : kQueries) {
    INFO(q);
    std::vector<std::string> a = Hits(archive_db, q, archive);
    CHECK(a == Hits(unpacked_db, q, unpacked));
    CHECK((!a.empty() || std::string(q) == "orphan drug"));  // gone in one test
  }
}

// A folder with the filings unpacked and indexed, for comparison.
struct Unpacked {
  TempDir tmp;
  std::string files = tmp / "files";
  int count = LayOutFilings(files);
  std::string db = tmp / "index";
  Unpacked() { Add(db, {files}); }
};

}  // namespace

TEST_CASE("a feed-day nc.tar.gz indexes exactly as its files unpacked", "[e2e][archive]") {
  Unpacked u;
  TempDir dir;
  std::string archive = dir / "Feed/2025/QTR1/20250108.nc.tar.gz";
  Pack(u.files, archive);
  std::string db = dir / "index";
  json summary = Add(db, {dir / "Feed"});
  CHECK(summary["archives"] == 1);
  CHECK(summary["files"] == u.count);
  CHECK(summary["failed"] == 0);
  RequireSameAsUnpacked(db, archive, u.db, u.files);

  // Members are named ARCHIVE/member, in results and by `fidx files`.
  json hit = Search(db, {"orphan drug"})["hits"][0];
  CHECK(hit["path"] == archive + "/2017/0001144204-17-013452.txt");
  RunResult files = RunFidx({"files", "--json", archive}, db);
  REQUIRE(files.exit_code == 0);
  json listed = files.Json();
  CHECK(listed["total"] == u.count + 1);
  CHECK(listed["files"][0]["path"] == archive);
  CHECK(listed["files"][0]["archive"] == true);
  CHECK(listed["files"][0]["documents"] == u.count);
  // A header-less member is shown by its path, as a loose file is.
  RunResult show = RunFidx({"show", "--json", archive + "/data/comment-letter.txt"}, db);
  INFO(show.err);
  REQUIRE(show.exit_code == 0);
  CHECK(show.Json()["path"] == archive + "/data/comment-letter.txt");
}

TEST_CASE("a zip and a plain tar index exactly as their files unpacked", "[e2e][archive]") {
  Unpacked u;
  TempDir dir;
  std::string archive;
  SECTION("zip") { archive = dir / "filings.zip"; }
  SECTION("tar") { archive = dir / "filings.tar"; }
  Pack(u.files, archive);
  std::string db = dir / "index";
  json summary = Add(db, {archive});
  CHECK(summary["files"] == u.count);
  RequireSameAsUnpacked(db, archive, u.db, u.files);
}

TEST_CASE("a second run over an unchanged archive reports it unchanged and writes nothing",
          "[e2e][archive]") {
  TempDir dir;
  int count = LayOutFilings(dir / "files");
  std::string archive = dir / "mirror/filings.tar.gz";
  Pack(dir / "files", archive);
  fidx_test::MakeOld(archive);
  std::string db = dir / "index";
  Add(db, {dir / "mirror"});
  json again = Add(db, {dir / "mirror"});
  CHECK(again["archives"] == 1);
  CHECK(again["archives_unchanged"] == 1);
  CHECK(again["unchanged"] == count);
  CHECK(again["added"] == 0);
  CHECK(again["updated"] == 0);
  CHECK(again["removed"] == 0);
  CHECK(again["bytes_read"] == 0);
  CHECK(again["commits"] == 0);
  RunResult text = RunFidx({"add", dir / "mirror"}, db);
  CHECK(text.out.find("1 archive (1 unchanged)") != std::string::npos);

  // Touched but identical: read again, every member found unchanged,
  // nothing but the archive's record written.
  fs::last_write_time(archive, fs::file_time_type::clock::now() - std::chrono::hours(1));
  json touched = Add(db, {dir / "mirror"});
  CHECK(touched["archives_unchanged"] == 1);
  CHECK(touched["unchanged"] == count);
  CHECK(touched["filings"] == 0);
}

TEST_CASE("removing an archive removes the filings it alone held", "[e2e][archive]") {
  TempDir dir;
  int count = LayOutFilings(dir / "files");
  std::string mirror = dir / "mirror";
  std::string archive = mirror + "/feed.nc.tar.gz";
  Pack(dir / "files", archive);
  // A loose copy of one of its filings, at a path sorting after the
  // archive's: the filing's documents are the archive member's.
  std::string copy = mirror + "/z/0001144204-17-013452.txt";
  fs::create_directories(mirror + "/z");
  fs::copy_file(Source("corpus/2017/0001144204-17-013452.txt"), copy);
  std::string db = dir / "index";
  Add(db, {mirror});
  REQUIRE(CountMatches(db, "orphan drug") == 1);
  REQUIRE(Search(db, {"orphan drug"})["hits"][0]["path"] ==
          archive + "/2017/0001144204-17-013452.txt");
  REQUIRE(CountMatches(db, "*") > 2);

  SECTION("deleted from the walked folder") {
    fs::remove(archive);
    json summary = Add(db, {mirror});
    CHECK(summary["removed"] == count);  // its members, the files
  }
  SECTION("by fidx remove") {
    RunResult r = RunFidx({"remove", archive}, db);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  CHECK(CountMatches(db, "*") == 1);
  // The loose copy keeps the filing, read again from it.
  CHECK(CountMatches(db, "orphan drug") == 1);
  CHECK(Search(db, {"orphan drug"})["hits"][0]["path"] == copy);
  RunResult files = RunFidx({"files", "--json"}, db);
  REQUIRE(files.Json()["total"] == 1);
  CHECK(files.Json()["files"][0]["path"] == copy);
}

TEST_CASE("an archive replaced by one without a member loses that member's filing only",
          "[e2e][archive]") {
  TempDir dir;
  int count = LayOutFilings(dir / "files");
  std::string archive = dir / "mirror/feed.nc.tar.gz";
  Pack(dir / "files", archive);
  std::string db = dir / "index";
  Add(db, {dir / "mirror"});
  Totals before = CountIndex(db);
  REQUIRE(CountMatches(db, "orphan drug") == 1);

  fs::remove(dir / "files/2017/0001144204-17-013452.txt");
  fs::remove(archive);
  Pack(dir / "files", archive);
  json summary = Add(db, {dir / "mirror"});
  CHECK(summary["removed"] == 1);
  CHECK(summary["unchanged"] == count - 1);
  CHECK(summary["filings"] == 0);  // nothing else written again
  Totals after = CountIndex(db);
  CHECK(after.filings == before.filings - 1);
  CHECK(after.documents == before.documents - 2);  // the 8-K and its EX-99.1
  CHECK(CountMatches(db, "orphan drug") == 0);

  // Exactly what the remaining files give unpacked.
  std::string unpacked_db = dir / "unpacked-index";
  Add(unpacked_db, {dir / "files"});
  RequireSameAsUnpacked(db, archive, unpacked_db, dir / "files");
}

TEST_CASE("a filing an archive loses is read again from its copy outside the archive",
          "[e2e][archive]") {
  // The 8-K is both in the archive and beside it; the archive's member
  // path sorts first, so the documents come from it. When the archive is
  // replaced by one without the 8-K, the copy beside it must take over:
  // the filing stays searchable, as a fresh index of the mirror shows.
  TempDir dir;
  LayOutFilings(dir / "files");
  const std::string rel = "2017/0001144204-17-013452.txt";
  std::string archive = dir / "mirror/feed.nc.tar.gz";
  Pack(dir / "files", archive);
  std::string copy = dir / "mirror/zz-copy/0001144204-17-013452.txt";
  fs::create_directories(fs::path(copy).parent_path());
  fs::copy_file(dir / ("files/" + rel), copy);
  fidx_test::MakeOld(copy);  // not racy: unchanged to the next run
  std::string db = dir / "index";
  Add(db, {dir / "mirror"});
  json hit = Search(db, {"orphan drug"})["hits"][0];
  REQUIRE(hit["path"] == archive + "/" + rel);

  fs::remove(dir / ("files/" + rel));
  fs::remove(archive);
  Pack(dir / "files", archive);
  Add(db, {dir / "mirror"});
  json after = Search(db, {"orphan drug"});
  REQUIRE(after["total"] == 1);
  CHECK(after["hits"][0]["path"] == copy);

  // Exactly what a fresh index of the mirror holds.
  std::string fresh = dir / "fresh-index";
  Add(fresh, {dir / "mirror"});
  CHECK(CountIndex(db) == CountIndex(fresh));
  for (const char* q : kQueries) {
    INFO(q);
    CHECK(Hits(db, q, dir / "mirror") == Hits(fresh, q, dir / "mirror"));
  }
  // And a run that changes nothing writes nothing.
  json again = Add(db, {dir / "mirror"});
  CHECK(again["filings"] == 0);
}

TEST_CASE("fidx inspect reads an archive member by member, and one member by its path",
          "[e2e][archive]") {
  TempDir dir;
  LayOutFilings(dir / "files");
  // Nothing under a hidden folder is read, as in a folder.
  fs::create_directories(dir / "files/.git");
  fs::copy_file(dir / "files/2017/0001144204-17-013452.txt", dir / "files/.git/copy.txt");
  std::string archive = dir / "feed.nc.tar.gz";
  Pack(dir / "files", archive);
  json added = Add(dir / "index", {archive});
  CHECK(RunFidx({"files", "--json", archive + "/.git"}, dir / "index").Json()["total"] == 0);

  // One JSON line per member `fidx add` reads, named ARCHIVE/MEMBER.
  RunResult all = RunFidx({"inspect", "--json", archive}, dir / "index");
  INFO(all.err);
  REQUIRE(all.exit_code == 0);
  std::vector<json> lines;
  std::istringstream in(all.out);
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  CHECK(lines.size() == added["files"].get<size_t>());
  const std::string member = archive + "/2017/0001144204-17-013452.txt";
  auto it = std::find_if(lines.begin(), lines.end(),
                         [&](const json& j) { return j["path"] == member; });
  REQUIRE(it != lines.end());
  for (const json& j : lines) CHECK(j["path"].get<std::string>().find("/.git/") == std::string::npos);
  CHECK((*it)["form"] == "8-K");
  CHECK((*it)["accession"] == "0001144204-17-013452");
  CHECK((*it)["documents"].size() == 2);

  // The member alone, by its path, with or without "./" as tar stores it.
  for (const std::string& path : {member, archive + "/./2017/0001144204-17-013452.txt"}) {
    RunResult one = RunFidx({"inspect", "--json", path}, dir / "index");
    REQUIRE(one.exit_code == 0);
    json j = json::parse(one.out);
    CHECK(j["form"] == "8-K");
    CHECK(j["documents"] == (*it)["documents"]);
  }

  RunResult missing = RunFidx({"inspect", archive + "/2017/no-such-file.txt"}, dir / "index");
  CHECK(missing.exit_code == 1);
  CHECK(missing.out.empty());
  CHECK(WarningLines(missing.err).size() == 1);
  CHECK(missing.err.find("no-such-file.txt: no such member in the archive") != std::string::npos);

  // A damaged archive: one warning naming it, exit 1.
  std::string broken = dir / "broken.tar.gz";
  {
    std::ifstream src(archive, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(src)), std::istreambuf_iterator<char>());
    std::ofstream(broken, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  RunResult damaged = RunFidx({"inspect", broken}, dir / "index");
  CHECK(damaged.exit_code == 1);
  REQUIRE(WarningLines(damaged.err).size() == 1);
  CHECK(damaged.err.find(broken + ": ") != std::string::npos);
}

TEST_CASE("fidx add killed with -9 mid-archive leaves a working index that the next run completes",
          "[e2e][archive][crash]") {
  TempDir dir;
  int files = fidx_test::WriteScaleCorpus(dir / "gen", 100);
  std::string archive = dir / "mirror/feed.nc.tar.gz";
  Pack(dir / "gen", archive);
  fidx_test::MakeOld(archive);  // not racy: the last run must find it unchanged unopened
  std::string clean = dir / "clean";
  Add(clean, {dir / "mirror"});
  Totals expected = CountIndex(clean);
  REQUIRE(expected.filings == files);

  std::string db = dir / "index";
  FidxChild run({"add", "--commit-mb", "1", "--no-compact", dir / "mirror"},
                fidx_test::OnIndex(db));
  REQUIRE(fidx_test::WaitUntil(
      [&] { return !run.Running() || (fs::exists(db + "/XAPIANDB") && CountMatches(db, "*") > 0); },
      120));
  bool killed = run.Running();
  run.Signal(SIGKILL);
  run.Wait();
  if (!killed) WARN("fidx add finished before the kill point");
  Totals partial = CountIndex(db);
  CHECK(partial.filings != -1);  // searchable: the search ran
  CHECK(partial.filings <= files);

  json summary = Add(db, {dir / "mirror"});
  CHECK(CountIndex(db) == expected);
  if (killed && partial.filings > 0) {
    // Members the killed run committed are found unchanged, not re-parsed.
    CHECK(summary["unchanged"].get<int64_t>() > 0);
    CHECK(summary["added"].get<int64_t>() + summary["unchanged"].get<int64_t>() == files);
  }
  json again = Add(db, {dir / "mirror"});
  CHECK(again["archives_unchanged"] == 1);
  CHECK(again["commits"] == 0);
}

TEST_CASE("a run reading a changed archive on three shards converges however it is killed",
          "[e2e][archive][crash]") {
  // The archive is replaced by one that lost 8 members and gained 8 others:
  // the same member count, so only the order of the commits keeps a killed
  // run from leaving the archive's record ahead of its members' filings,
  // which sit on other shards.
  TempDir dir;
  fidx_test::WriteScaleCorpus(dir / "gen", 12);
  std::string archive = dir / "mirror/feed.nc.tar.gz";
  Pack(dir / "gen", archive);
  std::string before = dir / "before";
  Add(before, {"--shards", "3", dir / "mirror"});
  fs::remove_all(dir / "gen/011");
  fidx_test::WriteScaleCorpus(dir / "gen", 1, 12);
  fs::remove(archive);
  Pack(dir / "gen", archive);
  fidx_test::MakeOld(archive);  // not racy: the last run must find it unchanged
  std::string clean = dir / "clean";
  Add(clean, {"--shards", "3", dir / "mirror"});
  Totals expected = CountIndex(clean);
  REQUIRE(expected.filings == 96);

  int kills = 0;
  for (int delay_ms : {0, 40, 80, 150, 250, 400, 700}) {
    INFO("killed after " << delay_ms << " ms");
    std::string db = dir / ("index-" + std::to_string(delay_ms));
    fs::copy(before, db, fs::copy_options::recursive);
    {
      FidxChild run({"add", "--commit-mb", "1", "--no-compact", dir / "mirror"},
                    fidx_test::OnIndex(db));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
      if (run.Running()) ++kills;
      run.Signal(SIGKILL);
      run.Wait();
    }
    REQUIRE(CountIndex(db).filings > 0);  // searchable at once
    Add(db, {dir / "mirror"});
    CHECK(CountIndex(db) == expected);
    for (const char* q : kQueries) {
      INFO(q);
      CHECK(Hits(db, q, dir / "mirror") == Hits(clean, q, dir / "mirror"));
    }
    json again = Add(db, {dir / "mirror"});
    CHECK(again["archives_unchanged"] == 1);
    CHECK(again["commits"] == 0);
  }
  CHECK(kills > 0);
}

TEST_CASE("a damaged archive beside copies of its filings is not read again until it changes",
          "[e2e][archive]") {
  TempDir dir;
  fidx_test::WriteScaleCorpus(dir / "gen", 10);
  std::string mirror = dir / "mirror";
  std::string tgz = mirror + "/truncated.tar.gz";
  Pack(dir / "gen", tgz);
  fs::resize_file(tgz, fs::file_size(tgz) * 6 / 10);
  fs::copy(dir / "gen", mirror + "/loose", fs::copy_options::recursive);  // every filing
  fidx_test::MakeAllOld(mirror);
  std::string db = dir / "index";
  RunResult first = RunFidx({"add", "--json", mirror}, db);
  REQUIRE(first.exit_code == 1);
  CHECK(WarningLines(first.err).size() == 1);
  CHECK(CountIndex(db).filings == 80);
  // The next runs: quiet, nothing read or written, as for a failed file.
  for (int run = 0; run < 2; ++run) {
    RunResult again = RunFidx({"add", "--json", mirror}, db);
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(again.err.empty());
    CHECK(again.Json()["commits"] == 0);
    CHECK(again.Json()["known_bad"] == 1);
  }
  CHECK(CountIndex(db).filings == 80);
}

TEST_CASE("a truncated tar.gz and a corrupt zip each give one warning and the rest is indexed",
          "[e2e][archive]") {
  TempDir dir;
  fidx_test::WriteScaleCorpus(dir / "gen", 10);
  fidx_test::WriteScaleCorpus(dir / "gen2", 10, 10);  // other accessions
  int files = 80;
  std::string mirror = dir / "mirror";
  std::string tgz = mirror + "/truncated.tar.gz";
  std::string zip = mirror + "/corrupt.zip";
  Pack(dir / "gen", tgz);
  Pack(dir / "gen2", zip);
  fs::resize_file(tgz, fs::file_size(tgz) * 6 / 10);
  {
    // Zeros over the middle of the zip: one member's data is damaged.
    std::fstream f(zip, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(zip) / 2));
    std::string zeros(512, '\0');
    f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  fs::copy_file(Source("tests/data/0001894188-23-000007.txt"),
                mirror + "/0001894188-23-000007.txt");
  std::string db = dir / "index";
  RunResult r = RunFidx({"add", "--json", mirror}, db);
  INFO(r.err);
  REQUIRE(r.exit_code == 1);  // partial: the rest went in
  std::vector<std::string> warnings = WarningLines(r.err);
  REQUIRE(warnings.size() == 2);
  std::sort(warnings.begin(), warnings.end());
  CHECK(warnings[0].find(zip + ": truncated or corrupt archive") != std::string::npos);
  CHECK(warnings[1].find(tgz + ": truncated or corrupt archive") != std::string::npos);
  json summary = r.Json();
  CHECK(summary["failed"] == 2);
  // The loose file, and the members before the damage, all searchable.
  CHECK(CountMatches(db, "accession:0001894188-23-000007") == 1);
  int64_t tgz_members = RunFidx({"files", "--json", tgz}, db).Json()["total"].get<int64_t>() - 1;
  int64_t zip_members = RunFidx({"files", "--json", zip}, db).Json()["total"].get<int64_t>() - 1;
  CHECK(tgz_members > 0);
  CHECK(tgz_members < files);
  CHECK(zip_members > 0);
  CHECK(zip_members < files);
  CHECK(CountMatches(db, "*") == tgz_members + zip_members + 1);
  // Reported once: the next run skips them until they change.
  RunResult again = RunFidx({"add", "--json", mirror}, db);
  CHECK(WarningLines(again.err).empty());
  CHECK(again.Json()["known_bad"] == 2);
}

TEST_CASE("a member of over 100 MB is indexed with no more memory than the file unpacked",
          "[e2e][archive][memory]") {
  // One full submission of three 40 MB plain-text documents (a real comment
  // letter's text, repeated), beside the bundled filings.
  TempDir dir;
  std::string files = dir / "files";
  fidx_test::CopyBundledCorpus(files);
  std::string letter;
  {
    std::ifstream in(Source("tests/data/comment-letter.txt"), std::ios::binary);
    letter.assign(std::istreambuf_iterator<char>(in), {});
  }
  {
    std::ofstream out(files + "/0009999999-26-000001.txt", std::ios::binary);
    out << "<SEC-DOCUMENT>0009999999-26-000001.txt : 20260105\n"
           "<SEC-HEADER>0009999999-26-000001.hdr.sgml : 20260105\n"
           "ACCESSION NUMBER:\t\t0009999999-26-000001\n"
           "CONFORMED SUBMISSION TYPE:\tCORRESP\n"
           "PUBLIC DOCUMENT COUNT:\t\t3\n"
           "FILED AS OF DATE:\t\t20260105\n"
           "FILER:\n\n\tCOMPANY DATA:\t\n"
           "\t\tCOMPANY CONFORMED NAME:\t\t\tLARGE LETTERS INC\n"
           "\t\tCENTRAL INDEX KEY:\t\t\t0009999999\n"
           "</SEC-HEADER>\n";
    for (int d = 1; d <= 3; ++d) {
      out << "<DOCUMENT>\n<TYPE>CORRESP\n<SEQUENCE>" << d << "\n<FILENAME>letters" << d
          << ".txt\n<TEXT>\n";
      for (size_t written = 0; written < (size_t{40} << 20); written += letter.size()) out << letter;
      out << "</TEXT>\n</DOCUMENT>\n";
    }
    out << "</SEC-DOCUMENT>\n";
  }
  REQUIRE(fs::file_size(files + "/0009999999-26-000001.txt") > (size_t{120} << 20));
  std::string archive = dir / "mirror/filings.tar.gz";
  Pack(files, archive);

  auto peak_mib = [](const std::vector<std::string>& args, const std::string& db) {
    FidxChild run(args, fidx_test::OnIndex(db));
    RunResult r = run.Wait();
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return run.max_rss_kib() / 1024;
  };
  long unpacked = peak_mib({"add", "--no-compact", files}, dir / "unpacked-index");
  long packed = peak_mib({"add", "--no-compact", dir / "mirror"}, dir / "index");
  INFO("peak RSS: archive " << packed << " MiB, unpacked " << unpacked << " MiB");
  CHECK(packed <= unpacked * 5 / 4 + 32);
  CHECK(CountIndex(dir / "index") == CountIndex(dir / "unpacked-index"));
  CHECK(CountMatches(dir / "index", "accession:0009999999-26-000001 \"requisite vote to ratify\"",
                     true) == 3);
}

TEST_CASE("with --no-delete a member an archive lost stays until a run without it",
          "[e2e][archive]") {
  TempDir dir;
  int count = LayOutFilings(dir / "files");
  std::string archive = dir / "mirror/feed.nc.tar.gz";
  Pack(dir / "files", archive);
  fidx_test::MakeOld(archive);
  std::string db = dir / "index";
  Add(db, {dir / "mirror"});
  int64_t before = CountMatches(db, "*");
  fs::remove(dir / "files/2017/0001144204-17-013452.txt");
  fs::remove(archive);
  Pack(dir / "files", archive);
  fidx_test::MakeOld(archive);
  json kept = Add(db, {"--no-delete", dir / "mirror"});
  CHECK(kept["removed"] == 0);
  CHECK(CountMatches(db, "orphan drug") == 1);
  json removed = Add(db, {dir / "mirror"});
  CHECK(removed["removed"] == 1);
  CHECK(removed["unchanged"] == count - 1);
  CHECK(CountMatches(db, "*") == before - 1);
  CHECK(CountMatches(db, "orphan drug") == 0);
  json again = Add(db, {dir / "mirror"});
  CHECK(again["archives_unchanged"] == 1);
  CHECK(again["bytes_read"] == 0);
}

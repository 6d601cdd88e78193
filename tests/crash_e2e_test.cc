// End-to-end: `fidx add` killed (-9) or interrupted mid-run, out of disk,
// without write permission, and with files vanishing under it. After each,
// the index opens, searches work, and the next run converges to exactly
// what a clean run gives.

#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cli_runner.h"
#include "e2e_process.h"

namespace fs = std::filesystem;
using fidx_test::ReadFile;
using fidx_test::CountIndex;
using fidx_test::Describe;
using fidx_test::FidxChild;
using fidx_test::RunFidx;
using fidx_test::RunFidxWith;
using fidx_test::RunResult;
using fidx_test::SpawnOptions;
using fidx_test::TempDir;
using fidx_test::Totals;
using fidx_test::WaitUntil;
using fidx_test::WarningLines;
using nlohmann::json;

namespace {

// Enough filings that a run lasts a while (about 30 MB, 800 files).
constexpr int kCopies = 100;

// The index answers: `fidx search '*'` exits 0 or 1 with a JSON total.
void RequireSearchable(const std::string& db) {
  RunResult r = RunFidx({"search", "--json", "--limit", "1", "*"}, db);
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  REQUIRE(r.Json()["total"].is_number());
}

// Runs `fidx add` to completion and requires exit 0.
json AddAll(const std::string& db, const std::vector<std::string>& roots) {
  // --no-compact: the tests watch shard-00 itself, which compaction renames.
  std::vector<std::string> args = {"add", "--json", "--commit-mb", "1", "--no-compact"};
  args.insert(args.end(), roots.begin(), roots.end());
  RunResult r = RunFidx(args, db);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.Json();
}

// Counts commits of a shard by watching its version file, which glass
// rewrites at every commit.
class CommitWatcher {
 public:
  explicit CommitWatcher(const std::string& shard) : path_(shard + "/iamglass") {}
  int Seen() {
    std::string now = ReadFile(path_);
    if (!now.empty() && now != last_) {
      if (!last_.empty()) ++commits_;
      last_ = now;
    }
    return commits_;
  }

 private:
  std::string path_, last_;
  int commits_ = 0;
};

// Kills `child` with SIGKILL once `ready` holds (or it has exited); says
// which happened.
bool KillWhen(FidxChild* child, const std::function<bool()>& ready) {
  REQUIRE(WaitUntil([&] { return ready() || !child->Running(); }, 120));
  bool killed = child->Running();
  child->Signal(SIGKILL);
  RunResult r = child->Wait();
  if (!killed) WARN("fidx add finished (exit " << r.exit_code << ") before the kill point");
  return killed;
}

// A generated folder and the totals a clean, uninterrupted run gives.
struct Scale {
  TempDir tmp;
  std::string gen = tmp / "gen";
  int files = fidx_test::WriteScaleCorpus(gen, kCopies);
  Totals expected;
  Scale() {
    AddAll(tmp / "clean", {gen});
    expected = CountIndex(tmp / "clean");
    REQUIRE(expected.filings == files);
  }
};

}  // namespace

TEST_CASE("fidx add killed with -9 at any point leaves a working index that the next run completes",
          "[e2e][crash]") {
  Scale s;
  std::string db = s.tmp / "index";
  std::vector<std::string> args = {"add", "--commit-mb", "1", "--shards", "2", s.gen};
  std::string when;
  std::function<bool()> ready;
  SECTION("as soon as the index folder exists") {
    when = "index created";
    ready = [&] { return fs::exists(db + "/XAPIANDB"); };
  }
  SECTION("after the first commit") {
    when = "first filings searchable";
    ready = [&] { return fs::exists(db + "/XAPIANDB") && fidx_test::CountMatches(db, "*") > 0; };
  }
  SECTION("half way") {
    when = "half searchable";
    ready = [&] {
      return fs::exists(db + "/XAPIANDB") && fidx_test::CountMatches(db, "*") >= s.files / 2;
    };
  }
  SECTION("while compacting the new index at the end of the run") {
    when = "compacting";
    ready = [&] {
      std::error_code ec;
      for (const auto& e : fs::directory_iterator(db, ec)) {
        if (e.path().string().find(".compacting") != std::string::npos) return true;
      }
      return false;
    };
  }
  FidxChild run(args, fidx_test::OnIndex(db));
  KillWhen(&run, ready);
  RequireSearchable(db);
  Totals after_kill = CountIndex(db);
  json summary = AddAll(db, {s.gen});
  Totals final_totals = CountIndex(db);
  WARN("killed at '" << when << "': " << Describe(after_kill) << " kept; next run added "
                     << summary["added"] << ", unchanged " << summary["unchanged"] << "; final "
                     << Describe(final_totals) << ", clean run " << Describe(s.expected));
  CHECK(final_totals == s.expected);
  for (const auto& e : fs::directory_iterator(db)) {
    CHECK_THAT(e.path().string(), !Catch::Contains(".compacting"));  // cleaned up
  }
  // Nothing left to do: every record matches its documents.
  json again = AddAll(db, {s.gen});
  CHECK(again["added"] == 0);
  CHECK(again["updated"] == 0);
  CHECK(again["removed"] == 0);
}

TEST_CASE("a run applying moves, removals, edits and copies converges however often it is killed",
          "[e2e][crash]") {
  Scale s;
  std::string db = s.tmp / "index";
  AddAll(db, {s.gen});
  // The changes: 30 folders moved, 10 removed, 40 edited, one copied.
  fs::create_directories(s.gen + "/moved");
  char name[16];
  for (int i = 0; i < 80; ++i) {
    std::snprintf(name, sizeof name, "%03d", i);
    std::string dir = s.gen + "/" + name;
    if (i < 30) {
      fs::rename(dir, s.gen + "/moved/" + name);
    } else if (i < 40) {
      fs::remove_all(dir);
    } else {
      for (const auto& e : fs::directory_iterator(dir)) {
        std::ofstream(e.path(), std::ios::app) << "\nedited after the first run\n";
      }
    }
  }
  fs::copy(s.gen + "/080", s.gen + "/copies-of-080");
  RunResult clean = RunFidx({"add", s.gen}, s.tmp / "clean-after");
  REQUIRE(clean.exit_code == 0);
  Totals expected = CountIndex(s.tmp / "clean-after");

  CommitWatcher commits(db + "/shard-00");
  commits.Seen();
  struct Point {
    const char* what;
    std::function<bool()> ready;
  };
  std::vector<Point> points = {
      {"while walking", [&] { return ReadFile(db + "/fidx.lock").find("fidx pid") != std::string::npos; }},
      {"after one commit", [&] { return commits.Seen() >= 1; }},
      {"after two more commits", [&] { return commits.Seen() >= 3; }},
  };
  for (const Point& p : points) {
    ::truncate((db + "/fidx.lock").c_str(), 0);  // so "while walking" sees this run
    FidxChild run({"add", "--commit-mb", "1", s.gen}, fidx_test::OnIndex(db));
    bool killed = KillWhen(&run, p.ready);
    RequireSearchable(db);
    Totals now = CountIndex(db);
    WARN("killed " << p.what << (killed ? "" : " (finished first)") << ": " << Describe(now));
    // Moved, edited and copied filings never drop out of searches: the
    // index holds at least every filing still on disk.
    CHECK(now.filings >= expected.filings);
  }
  AddAll(db, {s.gen});
  Totals final_totals = CountIndex(db);
  CHECK(final_totals == expected);
  CHECK(fidx_test::CountMatches(db, "edited", true) ==
        fidx_test::CountMatches(s.tmp / "clean-after", "edited", true));
  json again = AddAll(db, {s.gen});
  CHECK(again["added"] == 0);
  CHECK(again["removed"] == 0);
}

TEST_CASE("an interrupted run (SIGTERM) keeps its commits, exits 4, and the next completes",
          "[e2e][crash]") {
  Scale s;
  std::string db = s.tmp / "index";
  FidxChild run({"add", "--commit-mb", "1", "--jobs", "1", s.gen}, fidx_test::OnIndex(db));
  REQUIRE(WaitUntil([&] {
    return !run.Running() || (fs::exists(db + "/XAPIANDB") && fidx_test::CountMatches(db, "*") > 0);
  }));
  run.Signal(SIGTERM);
  RunResult r = run.Wait();
  if (r.exit_code == 0) {
    WARN("fidx add finished before SIGTERM");
  } else {
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains("interrupted"));
  }
  RequireSearchable(db);
  AddAll(db, {s.gen});
  CHECK(CountIndex(db) == s.expected);
}

TEST_CASE("a full disk fails the run with exit 4 and leaves the index as it was",
          "[e2e][crash]") {
  TempDir tmp;
  std::string gen = tmp / "gen";
  fidx_test::WriteScaleCorpus(gen, 40);
  std::string small = tmp / "small";
  fidx_test::CopyBundledCorpus(small);

  // A 3 MB tmpfs when we may mount one (root); RLIMIT_FSIZE otherwise,
  // which fails writes with EFBIG just as a full disk fails them.
  std::string where = tmp / "disk";
  fs::create_directories(where);
  struct Mount {
    std::string at;
    bool mounted = false;
    ~Mount() {
      if (mounted) ::umount(at.c_str());
    }
  } disk{where};
  disk.mounted = fidx_test::IsRoot() &&
                 ::mount("tmpfs", where.c_str(), "tmpfs", 0, "size=3m") == 0;
  bool mounted = disk.mounted;
  SpawnOptions limited;
  std::string db = where + "/index";
  limited.db = db;
  REQUIRE(RunFidx({"add", small}, db).exit_code == 0);
  Totals before = CountIndex(db);
  if (!mounted) {
    WARN("cannot mount a tmpfs; simulating a full disk with RLIMIT_FSIZE");
    uint64_t biggest = 0;
    for (const auto& e : fs::recursive_directory_iterator(db)) {
      if (e.is_regular_file()) biggest = std::max<uint64_t>(biggest, e.file_size());
    }
    limited.file_size_limit = biggest + (512 << 10);
  }
  RunResult full = RunFidxWith({"add", gen}, limited);
  INFO(full.err);
  CHECK(full.exit_code == 4);
  CHECK_THAT(full.err, Catch::Contains("fidx: error: writing the index failed"));
  CHECK_THAT(full.err, Catch::Contains(mounted ? "No space left on device" : "File too large"));
  RequireSearchable(db);
  CHECK(CountIndex(db) == before);
  if (mounted) {
    // Room again: everything goes in.
    fs::copy(db, tmp / "moved-index", fs::copy_options::recursive);
    REQUIRE(::umount(where.c_str()) == 0);
    disk.mounted = false;
    db = tmp / "moved-index";
  }
  RunResult ok = RunFidx({"add", gen, small}, db);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(CountIndex(db).filings == before.filings + 40 * 8);
}

TEST_CASE("an index that cannot be written fails with exit 4 and stays as it was",
          "[e2e][crash]") {
  TempDir tmp;
  std::string data = tmp / "data", db = tmp / "index";
  fidx_test::CopyBundledCorpus(data);
  REQUIRE(RunFidx({"add", data + "/2017"}, db).exit_code == 0);
  Totals before = CountIndex(db);
  // As root, run fidx as nobody over root's index; else take write
  // permission away.
  SpawnOptions as;
  as.db = db;
  as.as_nobody = fidx_test::IsRoot();
  ::chmod(tmp.path().c_str(), 0755);
  if (!as.as_nobody) {
    for (const auto& e : fs::recursive_directory_iterator(db)) ::chmod(e.path().c_str(), 0555);
    ::chmod(db.c_str(), 0555);
  }
  SECTION("the lock file too") {
    RunResult r = RunFidxWith({"add", data}, as);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains("fidx: error: cannot open " + db + "/fidx.lock"));
  }
  SECTION("all but the lock file: a permission problem is not 'locked'") {
    ::chmod((db + "/fidx.lock").c_str(), 0666);
    RunResult r = RunFidxWith({"add", data}, as);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains("fidx: error: cannot write the index"));
  }
  SECTION("a new index in a folder that cannot be written") {
    as.db = tmp / "index/new";
    RunResult r = RunFidxWith({"add", data}, as);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains("fidx: error: cannot create"));
  }
  CHECK(CountIndex(db) == before);
}

TEST_CASE("a file vanishing mid-run is a warning and its filing stays until the next run",
          "[e2e][crash]") {
  TempDir tmp;
  std::string data = tmp / "data", db = tmp / "index";
  fidx_test::WriteScaleCorpus(data + "/early", 1);
  std::string victim = data + "/zz-victim.txt";
  fs::copy_file(fidx_test::Source("corpus/2017/0001144204-17-013452.txt"), victim);
  REQUIRE(RunFidx({"add", data}, db).exit_code == 0);
  Totals before = CountIndex(db);

  // Second run: 50 new filings sorted before the victim, which changed.
  fidx_test::WriteScaleCorpus(data + "/more", 50, 1);
  std::ofstream(victim, std::ios::app) << "\nchanged\n";
  FidxChild run({"add", "--jobs", "1", data}, fidx_test::OnIndex(db));
  // One worker thread appears once the walk and plan are done (main, one
  // shard writer, one worker): stop it there and remove the victim, which
  // it reaches last.
  REQUIRE(WaitUntil([&] { return run.Threads() >= 3 || !run.Running(); }));
  run.Signal(SIGSTOP);
  fs::remove(victim);
  run.Signal(SIGCONT);
  RunResult r = run.Wait();
  INFO(r.err);
  CHECK(r.exit_code == 1);
  std::vector<std::string> warnings = WarningLines(r.err);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "fidx: warning: " + victim + ": vanished during indexing");
  Totals after = CountIndex(db);
  CHECK(after.filings == before.filings + 50 * 8);
  CHECK(fidx_test::CountMatches(db, "accession:0001144204-17-013452", true) == 2);

  json next = json::parse(RunFidx({"add", "--json", data}, db).out);
  CHECK(next["removed"] == 1);
  CHECK(fidx_test::CountMatches(db, "accession:0001144204-17-013452") == 0);
}

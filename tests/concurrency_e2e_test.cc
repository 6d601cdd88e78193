// End-to-end: one writer at a time, waiting for the lock, overlapping runs,
// and searches answering while `fidx add` writes.

#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>

#include "cli_runner.h"
#include "e2e_process.h"

namespace fs = std::filesystem;
using fidx_test::ReadFile;
using fidx_test::CountIndex;
using fidx_test::FidxChild;
using fidx_test::HeldLock;
using fidx_test::RunFidx;
using fidx_test::RunResult;
using fidx_test::SpawnOptions;
using fidx_test::TempDir;
using fidx_test::Totals;
using fidx_test::WaitUntil;
using nlohmann::json;

namespace {

// A small index of the bundled corpus, and the folder it came from.
struct Indexed {
  TempDir tmp;
  std::string root = tmp / "data";
  std::string db = tmp / "index";
  int files = 0;
  Indexed() {
    files = fidx_test::CopyBundledCorpus(root);
    RunResult r = RunFidx({"add", root}, db);
    REQUIRE(r.exit_code == 0);
  }
};

constexpr char kHolder[] = "fidx pid 4242 on cronhost since 2026-01-01T03:00:00+0000\n";

}  // namespace

TEST_CASE("a second writer gives up at once with exit 3, naming the lock holder",
          "[e2e][lock]") {
  Indexed ix;
  HeldLock lock(ix.db, kHolder);
  RunResult r = RunFidx({"add", ix.root}, ix.db);
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("locked by fidx pid 4242 on cronhost"));
  CHECK_THAT(r.err, !Catch::Contains("waiting"));
  RunResult j = RunFidx({"add", "--json", ix.root}, ix.db);
  CHECK(j.exit_code == 3);
  CHECK(j.Json()["status"] == "locked");
}

TEST_CASE("a second writer waits with --wait, then exits 3 naming the holder", "[e2e][lock]") {
  Indexed ix;
  HeldLock lock(ix.db, kHolder);
  RunResult r = RunFidx({"add", "--wait", "0.5", ix.root}, ix.db);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("waiting up to 0.5 s for the index lock held by fidx pid 4242"));
  CHECK_THAT(r.err, Catch::Contains("fidx: error: index " + ix.db +
                                    " is locked by fidx pid 4242 on cronhost"));
  // --quiet keeps the wait silent, never the failure.
  RunResult q = RunFidx({"add", "--quiet", "--wait", "0.2", ix.root}, ix.db);
  CHECK(q.exit_code == 3);
  CHECK_THAT(q.err, Catch::StartsWith("fidx: error: index"));
}

TEST_CASE("a waiting writer goes ahead as soon as the lock is released", "[e2e][lock]") {
  Indexed ix;
  fs::remove_all(ix.root + "/2017");  // something to do once it has the lock
  auto lock = std::make_unique<HeldLock>(ix.db, kHolder);
  FidxChild waiter({"add", "--json", "--wait", "60", ix.root}, fidx_test::OnIndex(ix.db));
  REQUIRE(WaitUntil([&] { return waiter.ErrSoFar().find("waiting") != std::string::npos; }));
  CHECK(waiter.Running());
  lock->Release();
  RunResult r = waiter.Wait();
  CHECK(r.exit_code == 0);
  CHECK(r.Json()["removed"] == 2);
}

TEST_CASE("a writer waiting for the lock stops at once on SIGTERM", "[e2e][lock]") {
  Indexed ix;
  HeldLock lock(ix.db, kHolder);
  FidxChild waiter({"add", "--wait", "600", ix.root}, fidx_test::OnIndex(ix.db));
  REQUIRE(WaitUntil([&] { return waiter.ErrSoFar().find("waiting") != std::string::npos; }));
  waiter.Signal(SIGTERM);
  RunResult r = waiter.Wait();  // without the fix: ten minutes, then exit 3
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("interrupted"));
}

TEST_CASE("a real fidx add holding the lock is named by the one that cannot get it",
          "[e2e][lock]") {
  TempDir tmp;
  std::string db = tmp / "index";
  fidx_test::WriteScaleCorpus(tmp / "gen", 20);
  FidxChild first({"add", tmp / "gen"}, fidx_test::OnIndex(db));
  std::string expect = "fidx pid " + std::to_string(first.pid()) + " on ";
  // Stop it while it holds the lock, so the lock stays taken however fast
  // the machine is; it finishes normally after SIGCONT.
  REQUIRE(WaitUntil([&] {
    return ReadFile(db + "/fidx.lock").find(expect) != std::string::npos || !first.Running();
  }));
  first.Signal(SIGSTOP);
  RunResult second = RunFidx({"add", tmp / "gen"}, db);
  first.Signal(SIGCONT);
  CHECK(second.exit_code == 3);
  CHECK_THAT(second.err, Catch::Contains("locked by " + expect));
  CHECK(first.Wait().exit_code == 0);
}

TEST_CASE("two overlapping runs at once neither corrupt nor duplicate", "[e2e][lock]") {
  TempDir tmp;
  std::string gen = tmp / "gen";
  int files = fidx_test::WriteScaleCorpus(gen, 40);
  RunResult clean = RunFidx({"add", gen}, tmp / "clean");
  REQUIRE(clean.exit_code == 0);
  Totals expected = CountIndex(tmp / "clean");
  REQUIRE(expected.filings == files);

  std::string db = tmp / "index";
  FidxChild a({"add", "--json", "--wait", "60", gen}, fidx_test::OnIndex(db));
  FidxChild b({"add", "--json", "--wait", "60", gen + "/000", gen + "/013", gen}, fidx_test::OnIndex(db));
  RunResult ra = a.Wait(), rb = b.Wait();
  INFO(ra.err << rb.err);
  CHECK(ra.exit_code == 0);
  CHECK(rb.exit_code == 0);
  json sa = ra.Json(), sb = rb.Json();
  // Whichever ran second found everything there already.
  CHECK(sa["added"].get<int>() + sb["added"].get<int>() == files);
  CHECK(CountIndex(db) == expected);
}

TEST_CASE("searches keep answering while fidx add writes", "[e2e][lock]") {
  TempDir tmp;
  std::string gen = tmp / "gen";
  int files = fidx_test::WriteScaleCorpus(gen, 60);
  std::string db = tmp / "index";
  // Commit often: every commit is a chance for a reader to see its revision
  // discarded (DatabaseModifiedError), which search must retry.
  FidxChild add({"add", "--commit-mb", "1", "--jobs", "1", gen}, fidx_test::OnIndex(db));
  REQUIRE(WaitUntil([&] { return fs::exists(db + "/XAPIANDB") || !add.Running(); }));
  int searches = 0, while_running = 0;
  int64_t last = 0;
  bool monotonic = true;
  while (true) {
    bool running = add.Running();
    RunResult r = RunFidx({"search", "--json", "--limit", "3", "*"}, db);
    INFO("search " << searches << ": " << r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    int64_t total = r.Json()["total"].get<int64_t>();
    monotonic = monotonic && total >= last;  // a first run only adds
    last = total;
    ++searches;
    while_running += running;
    if (!running) break;
  }
  CHECK(monotonic);
  CHECK(add.Wait().exit_code == 0);
  CHECK(last == files);
  WARN(while_running << " searches answered while fidx add was writing");
}

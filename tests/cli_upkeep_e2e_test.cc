// End-to-end: upkeep of an index (issue 14): `fidx remove` of filings
// under a path or of vanished files, `fidx files` listing what the index
// holds by path, and `add` counting a moved mirror as moved, not added.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "cli_runner.h"
#include "e2e_process.h"

using fidx_test::RunFidx;
using fidx_test::Source;
using fidx_test::TempDir;
using nlohmann::json;

namespace fs = std::filesystem;

namespace {

std::string IndexCorpus(const TempDir& dir) { return fidx_test::IndexBundledCorpus(dir); }

}  // namespace

TEST_CASE("after a mirror moves, remove takes its old paths out and files lists by path",
          "[e2e][cli][remove]") {
  TempDir dir;
  std::string old_root = dir / "old", new_root = dir / "new", db = dir / "index";
  int files = fidx_test::CopyBundledCorpus(old_root);
  auto first = RunFidx({"add", "--json", old_root}, db);
  REQUIRE(first.exit_code == 0);
  int64_t filings = first.Json()["filings"];
  fs::rename(old_root, new_root);
  auto moved = RunFidx({"add", "--json", new_root}, db);
  INFO(moved.err);
  REQUIRE(moved.exit_code == 0);
  json m = moved.Json();
  // Filings with an accession are not "added" again; header-less files
  // (keyed by path) are.
  CHECK(m["added"].get<int>() + m["moved"].get<int>() == files);
  CHECK(m["moved"].get<int>() > 0);
  CHECK(m["filings"] == filings);

  auto listed = RunFidx({"files", "--json", old_root}, db);
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.Json()["total"] == files);
  std::string letter = "\"requisite vote to ratify\"";
  CHECK(RunFidx({"search", letter, "--json"}, db).Json()["total"] == 2);  // old and new path

  auto removed = RunFidx({"remove", old_root}, db);
  INFO(removed.err);
  REQUIRE(removed.exit_code == 0);
  CHECK_THAT(removed.out, Catch::StartsWith("removed " + std::to_string(files) + " files"));
  CHECK(RunFidx({"files", old_root}, db).exit_code == 1);
  CHECK(RunFidx({"files", "--json"}, db).Json()["total"] == files);
  CHECK(RunFidx({"search", letter, "--json"}, db).Json()["total"] == 1);
  // Every filing is still there, read from the new paths.
  CHECK(RunFidx({"search", "*", "--json"}, db).Json()["total"] == filings);
  CHECK(RunFidx({"search", "orphan drug", "--json"}, db).Json()["hits"][0]["path"]
            .get<std::string>().rfind(new_root, 0) == 0);
}

TEST_CASE("remove --missing removes only the files that vanished", "[e2e][cli][remove]") {
  TempDir dir;
  std::string root = dir / "mirror", db = dir / "index";
  fidx_test::CopyBundledCorpus(root);
  REQUIRE(RunFidx({"add", "--quiet", root}, db).exit_code == 0);
  int64_t before = RunFidx({"search", "*", "--json"}, db).Json()["total"];
  fs::remove(root + "/2017/0001144204-17-013452.txt");
  auto r = RunFidx({"remove", "--missing", "--json"}, db);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.Json()["removed"] == 1);
  CHECK(RunFidx({"search", "*", "--json"}, db).Json()["total"] == before - 1);
  CHECK(RunFidx({"show", "0001144204-17-013452"}, db).exit_code == 1);
}

TEST_CASE("remove of a path with nothing indexed under it is exit 1 and removes nothing",
          "[e2e][cli][remove]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  int64_t before = RunFidx({"search", "*", "--json"}, db).Json()["total"];
  auto r = RunFidx({"remove", "/no/such/mirror"}, db);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("/no/such/mirror: nothing in the index under it"));
  CHECK(RunFidx({"search", "*", "--json"}, db).Json()["total"] == before);
  CHECK(RunFidx({"remove"}, db).exit_code == 2);
  // No index: nothing is created.
  CHECK(RunFidx({"remove", "/x"}, dir / "none").exit_code == 4);
  CHECK_FALSE(fs::exists(dir / "none"));
}

TEST_CASE("remove waits for, or reports, another writer's lock", "[e2e][cli][remove]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  int fd = ::open((db + "/fidx.lock").c_str(), O_RDWR);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);
  auto r = RunFidx({"remove", Source("corpus/2017")}, db);
  ::close(fd);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("locked"));
}

TEST_CASE("a remove that cannot write leaves the index as it was", "[e2e][cli][remove]") {
  TempDir dir;
  std::string root = dir / "mirror", db = dir / "index";
  fidx_test::CopyBundledCorpus(root);
  REQUIRE(RunFidx({"add", "--quiet", root}, db).exit_code == 0);
  fidx_test::Totals before = fidx_test::CountIndex(db);
  fidx_test::SpawnOptions limited = fidx_test::OnIndex(db);
  // Database writes past 4 KB fail (EFBIG), as on a full disk; stderr fits.
  limited.file_size_limit = 4096;
  auto failed = fidx_test::RunFidxWith({"remove", root + "/2017"}, limited);
  INFO(failed.err);
  CHECK(failed.exit_code == 4);
  CHECK_THAT(failed.err, Catch::Contains("fidx: error: writing the index failed"));
  CHECK(fidx_test::CountIndex(db) == before);
  // With room again, the same command completes it.
  auto ok = RunFidx({"remove", root + "/2017"}, db);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(fidx_test::CountIndex(db).filings == before.filings - 2);
}

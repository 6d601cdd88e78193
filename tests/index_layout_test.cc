// Which folders fidx writes an index into (ForeignIndexReason): its own,
// in whatever state another run creating it has reached, and nobody else's.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "fidx/index_layout.h"
#include "scratch_dir.h"

namespace {

struct Folder : fidx_test::ScratchDir {
  void Touch(const std::string& name) const { std::ofstream(path + "/" + name) << "x"; }
  void Dir(const std::string& name) const { std::filesystem::create_directory(path + "/" + name); }
};

}  // namespace

TEST_CASE("an index folder at every step of another run creating it may be written",
          "[indexer][layout]") {
  Folder f;
  CHECK(fidx::ForeignIndexReason(f.path + "/new", false).empty());  // not there yet
  CHECK(fidx::ForeignIndexReason(f.path, false).empty());           // empty
  // What a first run writes, in order: the lock, the shards, the stub's
  // temporary copy, then the stub renamed into place. Two runs started at
  // once see each other's folder at any of these steps.
  f.Touch("fidx.lock");
  CHECK(fidx::ForeignIndexReason(f.path, false).empty());
  f.Dir("shard-00");
  f.Touch("shard-00/iamglass");
  CHECK(fidx::ForeignIndexReason(f.path, false).empty());
  f.Touch("XAPIANDB.tmp");
  CHECK(fidx::ForeignIndexReason(f.path, false).empty());
  std::filesystem::rename(f.path + "/XAPIANDB.tmp", f.path + "/XAPIANDB");
  CHECK(fidx::ForeignIndexReason(f.path, false).empty());
  CHECK(fidx::ForeignIndexReason(f.path, true).empty());
  // A compaction's new shard, half written.
  f.Dir("shard-00-c123.compacting");
  CHECK(fidx::ForeignIndexReason(f.path, true).empty());
}

TEST_CASE("folders that are not fidx indexes are refused, each saying why", "[indexer][layout]") {
  Folder f;
  CHECK_THAT(fidx::ForeignIndexReason(f.path + "/new", true), Catch::Contains("no index at"));
  CHECK_THAT(fidx::ForeignIndexReason(f.path, true), Catch::Contains("is not an fidx index"));
  f.Touch("notes.txt");
  CHECK_THAT(fidx::ForeignIndexReason(f.path, false),
             Catch::Contains("is not empty; fidx will not write there"));
  Folder omindex;
  omindex.Touch("iamglass");
  CHECK_THAT(fidx::ForeignIndexReason(omindex.path, false),
             Catch::Contains("a Xapian database that fidx did not write"));
  CHECK_THAT(fidx::ForeignIndexReason(omindex.path + "/iamglass", false),
             Catch::Contains("is a file"));
}

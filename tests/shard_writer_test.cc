// The shard writer on its own: batches are committed when due, even while
// the parse workers are busy and no new work arrives.

#include <stdlib.h>
#include <xapian.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "scratch_dir.h"
#include "shard_writer.h"

namespace {

using fidx_test::ScratchDir;

fidx::WriteOp Metadata(const std::string& key, const std::string& value) {
  fidx::WriteOp op;
  op.kind = fidx::WriteOp::kMetadata;
  op.key = key;
  op.value = value;
  return op;
}

}  // namespace

TEST_CASE("a shard writer commits a due batch without waiting for more work", "[indexer]") {
  ScratchDir dir;
  std::string shard = dir.path + "/shard-00";
  fidx::WriterSettings settings;
  settings.commit_seconds = 0.05;
  std::atomic<bool> abort{false};
  fidx::ShardWriter writer(
      Xapian::WritableDatabase(shard, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS),
      settings, &abort);
  writer.Push(Metadata("test:key", "committed"));
  // Nothing else is pushed, as while a worker parses one huge filing. The
  // batch is due after 0.05 s; allow a generous 30 s before calling it lost.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (writer.commits() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(writer.commits() == 1);
  CHECK(Xapian::Database(shard).get_metadata("test:key") == "committed");
  std::string error;
  CHECK(writer.Finish(&error));
  CHECK(error.empty());
  CHECK_FALSE(abort.load());
}

TEST_CASE("commit batches start small and grow with the shard, up to a cap", "[indexer]") {
  const uint64_t mb = uint64_t{1} << 20;
  CHECK(fidx::ShardWriter::BatchBytes(4 * mb, 0) == 4 * mb);
  CHECK(fidx::ShardWriter::BatchBytes(4 * mb, 39999) == 4 * mb);
  CHECK(fidx::ShardWriter::BatchBytes(4 * mb, 40000) == 8 * mb);
  CHECK(fidx::ShardWriter::BatchBytes(4 * mb, 170000) == 20 * mb);  // 100,000 filings
  CHECK(fidx::ShardWriter::BatchBytes(4 * mb, 100000000) == 32 * mb);
  CHECK(fidx::ShardWriter::BatchBytes(1 * mb, 0) == 1 * mb);  // --commit-mb 1
}

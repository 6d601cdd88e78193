// `fidx compact`: rewriting an index's shards with Xapian's compaction,
// and merging several shards into one.

#ifndef FIDX_COMPACT_H_
#define FIDX_COMPACT_H_

#include <cstdint>
#include <string>

#include "fidx/status.h"

namespace fidx {

struct CompactOptions {
  std::string db_path;
  // Merge every local shard into one database (search speed, fewer files);
  // otherwise each shard is compacted on its own.
  bool merge = false;
  double wait_seconds = 0;
};

struct CompactResult {
  // OK, kLocked (a writer holds the index), kNoIndex, or kIOError (the
  // compaction failed; the index is unchanged).
  Status status;
  int shards_before = 0;
  int shards_after = 0;
  uint64_t bytes_before = 0;
  uint64_t bytes_after = 0;
};

// Compacts under the writers' lock. The stub file is rewritten atomically
// as the commit point: a crash leaves either the old shards or the new ones
// listed, never a mix; leftovers are removed by the next run.
CompactResult CompactIndex(const CompactOptions& options);

// Removes what a killed compaction left in an index folder (*.compacting
// folders, shard folders the stub no longer lists), which can be as big as
// the index. `fidx add` calls it once it holds the writers' lock.
// REQUIRES: the caller holds the writers' lock.
void RemoveCompactionLeftovers(const std::string& index_dir);

}  // namespace fidx

#endif  // FIDX_COMPACT_H_

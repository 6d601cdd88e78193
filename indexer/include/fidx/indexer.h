// Adding files to an index: walking inputs, skipping what has not changed,
// parsing and tokenising in parallel, writing in committed batches, and
// removing what disappeared. The library never prints: it reports through
// the IndexReporter the caller hands in.

#ifndef FIDX_INDEXER_H_
#define FIDX_INDEXER_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "fidx/status.h"

namespace fidx {

struct IndexOptions {
  // Index directory; created on first use.
  std::string db_path;
  // Files and directories (walked recursively) to index.
  std::vector<std::string> roots;
  // Remove from the index files that disappeared under a walked root.
  bool delete_missing = true;
  // Shards to create for a new index (0: keep the existing layout, or 1 for
  // a new index). Ignored, with a notice, for an existing index.
  int shards = 0;
  // Parse/tokenise threads (0: one per core).
  int jobs = 0;
  // How long to wait for another writer's lock, in seconds (0: fail at once).
  double wait_seconds = 0;
  // Commit after this many bytes of extracted text on an empty shard, more
  // as the shard grows (up to 8x: ShardWriter::BatchBytes()) ...
  uint64_t commit_bytes = uint64_t{4} << 20;
  // ... or this many seconds, whichever comes first, so that a killed run
  // keeps most of its progress.
  double commit_seconds = 60;
  // Re-read every file, even those whose size and time are unchanged.
  bool force = false;
  // Retry files that failed before even if they have not changed.
  bool retry_failed = false;
  // Removal instead of indexing (`fidx remove`): `roots` are not walked;
  // every indexed file under one of them (files or folders, present or
  // not) is removed from the index, and with `remove_missing` only those
  // whose file no longer exists (every such file when `roots` is empty).
  // A filing that another indexed copy still holds is re-read from it.
  bool remove_only = false;
  bool remove_missing = false;
  // When set (e.g. by a SIGTERM handler), workers stop taking files; what
  // was done is committed and the next run completes the rest.
  const std::atomic<bool>* stop = nullptr;
};

// Counts of one run, by file unless said otherwise.
struct IndexStats {
  uint64_t files_seen = 0;
  uint64_t added = 0;      // files new to the index, of filings new to it
  uint64_t moved = 0;      // files new to the index, of filings it held
                           // from another path (a moved mirror, a copy)
  uint64_t updated = 0;    // files whose content changed
  uint64_t unchanged = 0;  // skipped: same size, time and content
  uint64_t removed = 0;    // files gone from under a walked root
  uint64_t failed = 0;     // unreadable or unparseable files
  uint64_t warned = 0;     // indexed, but with problems (truncated ...)
  uint64_t known_bad = 0;  // failed in an earlier run and unchanged since
  uint64_t filings = 0;    // distinct filings written (added or replaced)
  uint64_t documents = 0;  // Xapian documents of those filings
  uint64_t bytes_read = 0; // raw bytes read from files
  uint64_t archives = 0;            // archives found (their members are files)
  uint64_t archives_unchanged = 0;  // of which nothing changed
  uint64_t files_to_process = 0;  // files needing a (re)parse this run
  uint64_t files_processed = 0;
  uint64_t commits = 0;
  bool fresh_index = false;  // the index was empty when the run began
  double seconds = 0;
};

// Where an index run sends what it has to say. Calls may come from several
// threads; implementations must be thread-safe.
class IndexReporter {
 public:
  virtual ~IndexReporter() = default;
  // A file could not be indexed, or was indexed with problems.
  virtual void Warning(const std::string& path, const std::string& message) = 0;
  // Informational notes ("waiting for the lock held by ...").
  virtual void Notice(const std::string& message) = 0;
  // Called now and then with running totals.
  virtual void Progress(const IndexStats& stats) {}
};

// How a run ended.
struct IndexResult {
  // OK, or why the run failed: kLocked (another writer), kNoIndex (not an
  // fidx index; nothing was written), kIOError (the index could not be
  // written: it is as of its last commit), kInterrupted.
  Status status;
  // Some files failed or had problems; the rest went in (status is OK).
  bool partial = false;
  IndexStats stats;
};

// Runs one `fidx add`. Never throws.
IndexResult RunIndex(const IndexOptions& options, IndexReporter* reporter);

// True if the member `name` of an archive (its path within the archive, as
// CleanMemberName() gives it) is one `fidx add` reads, as it would a file
// of that name in a folder: not hidden, no PDF, image or other skipped
// extension, no EDGAR index file, no archive within the archive.
bool IndexedMemberName(const std::string& name);

}  // namespace fidx

#endif  // FIDX_INDEXER_H_

// One writer thread per shard. Each shard's WritableDatabase is touched by
// its own thread only; parse workers hand it operations through a bounded
// queue. Changes are applied inside a transaction and committed in batches
// (by bytes of text and by time), so a crash or kill at any moment leaves
// the shard at its last commit, with file records and documents in step.

#ifndef FIDX_INDEXER_SHARD_WRITER_H_
#define FIDX_INDEXER_SHARD_WRITER_H_

#include <xapian.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "catalog.h"
#include "document_builder.h"

namespace fidx {

struct WriteOp {
  enum Kind {
    kWrite,         // replace the documents from `path` with `filing`
    kDeleteSource,  // remove the documents and record of `path`
    kRecord,        // set `path`'s record only (unchanged content, failure)
    kMetadata,      // set metadata `key` = `value`
    kSync,          // commit what came before (see ShardWriter::Sync())
  };
  Kind kind = kWrite;
  std::string path;
  PreparedFiling filing;
  FileRecord record;
  // kWrite of a filing assembled from several files: the records of the
  // files other than `path`, whose documents are replaced too.
  std::vector<FileRecord> more_records;
  // No file record names this filing key: unless this writer already wrote
  // the key in this run, add the documents without lookups.
  bool fresh = false;
  std::string key, value;
};

struct WriterSettings {
  // A batch of this much text on an empty shard; batches grow with the
  // shard (see ShardWriter::BatchBytes()).
  uint64_t commit_bytes = uint64_t{4} << 20;
  double commit_seconds = 60;
  uint64_t queue_bytes = uint64_t{128} << 20;
};

class ShardWriter {
 public:
  // Text per commit for a shard of `documents`: `base` on an empty shard,
  // growing with the shard. Measured (docs/benchmarks.md): small batches
  // keep Xapian's inverter in cache (4 MB took 10-25% less CPU than 16 MB
  // on 170 MB and on 10,000 filings), but each commit rewrites posting-list
  // chunks all over a large index (at 100,000 filings 4 MB batches lost a
  // quarter of their speed by the end, 16 MB ones stayed flat).
  static uint64_t BatchBytes(uint64_t base, Xapian::doccount documents);

  // Takes ownership of `db`, which must be open for writing.
  ShardWriter(Xapian::WritableDatabase db, const WriterSettings& settings,
              std::atomic<bool>* abort);
  ~ShardWriter();

  // Queues `op`, blocking while the queue is full. Ignored after a failure.
  void Push(WriteOp op);
  // Commits what was pushed before this call and waits until it is
  // committed, so that whatever is pushed after it, on any shard, lands in
  // a later commit. False if the writer failed.
  bool Sync();
  // Applies what is queued, commits, and stops the thread. Returns false if
  // anything failed (then nothing since the last commit was kept).
  bool Finish(std::string* error);

  uint64_t commits() const { return commits_.load(); }

 private:
  void Loop();
  void Apply(WriteOp& op);
  void Commit();
  static uint64_t OpBytes(const WriteOp& op);

  Xapian::WritableDatabase db_;
  WriterSettings settings_;
  std::atomic<bool>* abort_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WriteOp> queue_;
  uint64_t queued_bytes_ = 0;
  bool closing_ = false;
  uint64_t syncs_pushed_ = 0;  // kSync ops queued, and applied (under mu_)
  uint64_t syncs_done_ = 0;

  bool in_transaction_ = false;
  uint64_t pending_bytes_ = 0;
  uint64_t batch_bytes_ = 0;  // commit when pending_bytes_ reaches this
  double batch_started_ = 0;
  std::string error_;
  // Filing key -> the file whose documents it has, for the filings written
  // in this run (writer thread only).
  std::unordered_map<std::string, std::string> written_keys_;
  std::atomic<uint64_t> commits_{0};
  std::thread thread_;
};

}  // namespace fidx

#endif  // FIDX_INDEXER_SHARD_WRITER_H_

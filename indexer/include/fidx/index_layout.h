// The on-disk layout of an fidx index directory:
//
//   INDEX/XAPIANDB    Xapian stub file listing the shards ("auto shard-00");
//                     Xapian::Database(INDEX) opens them all as one.
//   INDEX/shard-NN/   one glass database per shard
//   INDEX/fidx.lock   the writers' lock (flock), holding the holder's pid
//
// Filings are spread over shards by a stable hash of the filing key
// (accession), so a filing lives in exactly one shard.

#ifndef FIDX_INDEX_LAYOUT_H_
#define FIDX_INDEX_LAYOUT_H_

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

namespace fidx {

// The shard a filing key belongs to, among `shard_count` shards.
int ShardFor(std::string_view filing_key, int shard_count);

// Local shard directories of an index (absolute), in shard order. Reads the
// stub; returns false with *error if INDEX is not an fidx index.
bool ListShards(const std::string& index_dir, std::vector<std::string>* shards,
                std::string* error);

// Why `index_dir` must not be written as an fidx index, or "" if it may:
// it is one (it has the stub file), or, unless `must_exist`, it does not
// exist yet, is an empty folder or holds only what a killed first run
// left. Refused: another program's Xapian database (an omindex one), a
// folder of other files, a plain file. Creates and changes nothing.
std::string ForeignIndexReason(const std::string& index_dir, bool must_exist);

// Creates INDEX with `shard_count` empty shards and the stub file, or
// verifies an existing one. Sets *created when it made a new index.
bool CreateIndexLayout(const std::string& index_dir, int shard_count,
                       bool* created, std::string* error);

// Holds the writers' lock on an index directory for its lifetime.
class WriterLock {
 public:
  WriterLock() = default;
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

  // Takes the lock, waiting up to `wait_seconds`. `on_wait` is called once,
  // with a description of the holder, if the lock is busy. On failure
  // returns false and sets *holder to who holds it (or *error). Gives up
  // waiting as soon as `*stop` is set (a signal), with *holder empty.
  template <typename OnWait>
  bool Acquire(const std::string& index_dir, double wait_seconds,
               OnWait on_wait, std::string* holder, std::string* error,
               const std::atomic<bool>* stop = nullptr);

 private:
  bool TryLock(const std::string& index_dir, std::string* error, bool* busy);
  std::string ReadHolder() const;
  void WriteHolder();

  int fd_ = -1;
  std::string path_;
};

// Sleeps for `seconds` (used between lock attempts).
void SleepSeconds(double seconds);
double NowSeconds();

template <typename OnWait>
bool WriterLock::Acquire(const std::string& index_dir, double wait_seconds,
                         OnWait on_wait, std::string* holder,
                         std::string* error, const std::atomic<bool>* stop) {
  double deadline = NowSeconds() + wait_seconds;
  bool told = false;
  while (true) {
    bool busy = false;
    if (TryLock(index_dir, error, &busy)) {
      WriteHolder();
      return true;
    }
    if (!busy) return false;
    *holder = ReadHolder();
    if (NowSeconds() >= deadline) return false;
    if (!told) {
      on_wait(*holder);
      told = true;
    }
    // A SIGTERM from cron's timeout or a shutdown must not wait out a long
    // --wait: the signal handler only sets *stop.
    if (stop && stop->load()) {
      *error = "interrupted while waiting for the index lock held by " + *holder;
      holder->clear();
      return false;
    }
    SleepSeconds(0.2);
  }
}

}  // namespace fidx

#endif  // FIDX_INDEX_LAYOUT_H_

// Helpers for the robustness end-to-end tests: `fidx` in the background
// (to lock, kill, stop or starve it), index totals, and generated folders
// of filings.

#ifndef FIDX_TESTS_E2E_PROCESS_H_
#define FIDX_TESTS_E2E_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cli_runner.h"

namespace fidx_test {

struct SpawnOptions {
  // FIDX_DB for the child (empty: not set).
  std::string db;
  // A program to run instead of fidx (a script under test), found on PATH
  // if it has no slash.
  std::string program;
  // Run as user and group nobody (65534). Needs root; lets tests running as
  // root see permission errors, which root itself ignores.
  bool as_nobody = false;
  // RLIMIT_FSIZE in bytes (0: unlimited). SIGXFSZ is ignored, so a write
  // past the limit fails with EFBIG, as on a full disk.
  uint64_t file_size_limit = 0;
};

// SpawnOptions with only `db` set.
inline SpawnOptions OnIndex(const std::string& db) {
  SpawnOptions o;
  o.db = db;
  return o;
}

// One `fidx` process started in the background; stdout and stderr go to
// temporary files. Killed (SIGKILL) and reaped at scope exit if still running.
class FidxChild {
 public:
  FidxChild(const std::vector<std::string>& args, const SpawnOptions& options);
  ~FidxChild();
  FidxChild(const FidxChild&) = delete;
  FidxChild& operator=(const FidxChild&) = delete;

  pid_t pid() const { return pid_; }
  // False once the process has exited (it is then reaped).
  bool Running();
  void Signal(int sig);
  // Waits for the exit; returns the status and everything it printed.
  RunResult Wait();
  // What it has written to stderr so far.
  std::string ErrSoFar() const;
  // Threads of the running process (0 once it is gone).
  int Threads() const;
  // Peak resident memory in KiB (ru_maxrss), valid after Wait().
  long max_rss_kib() const { return max_rss_kib_; }

 private:
  void Reap(int status, long max_rss_kib);

  TempDir io_;
  pid_t pid_ = -1;
  bool done_ = false;
  int exit_code_ = -1;
  long max_rss_kib_ = 0;
};

// Holds an index's writer lock (INDEX/fidx.lock) the way a running
// `fidx add` does, naming `holder` in it, until destroyed or Release()d.
class HeldLock {
 public:
  HeldLock(const std::string& db, const std::string& holder);
  ~HeldLock() { Release(); }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;
  void Release();

 private:
  int fd_ = -1;
};

// Runs `fidx ARGS...` to completion with `options`.
RunResult RunFidxWith(const std::vector<std::string>& args, const SpawnOptions& options);

// Polls `done` every 2 ms for up to `seconds`; returns its last value.
bool WaitUntil(const std::function<bool()>& done, double seconds = 60);

// True when the tests run as root (permissions are then not enforced).
bool IsRoot();

// Makes `dir` and everything under it owned by nobody (needs root), so a
// child with SpawnOptions::as_nobody can write there.
void GiveToNobody(const std::string& dir);

// Sets a file's modification time to 2020-01-02, far from "now", so that
// the racy-mtime check never forces a re-read.
void MakeOld(const std::string& path);
// MakeOld() on every regular file under `dir`.
void MakeAllOld(const std::string& dir);

// Copies the bundled corpus/ to `dir` (created), without SOURCES.md.
// Returns the number of files (each is one filing).
int CopyBundledCorpus(const std::string& dir);

// Writes `copies` copies of the bundled filings that carry an accession
// number into `dir`/NNN/ (NNN from `first`), each copy with new accession
// numbers unique to copy NNN, so every file is a filing of its own.
// Returns the number of files written (8 per copy).
int WriteScaleCorpus(const std::string& dir, int copies, int first = 0);

// Totals as `fidx search '*'` reports them: filings, and documents
// (--per-document). Both 0 when the search exits 1 (no hits); -1 on any
// other exit status.
struct Totals {
  int64_t filings = -1;
  int64_t documents = -1;
  bool operator==(const Totals& o) const {
    return filings == o.filings && documents == o.documents;
  }
};
Totals CountIndex(const std::string& db);
std::string Describe(const Totals& t);

// `fidx search QUERY --json`'s total; -1 if the search fails.
int64_t CountMatches(const std::string& db, const std::string& query,
                     bool per_document = false);

// The `fidx: warning: ` lines of `err`.
std::vector<std::string> WarningLines(const std::string& err);

}  // namespace fidx_test

#endif  // FIDX_TESTS_E2E_PROCESS_H_

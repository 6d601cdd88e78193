// Running the real fidx binary from tests, and temporary directories.

#ifndef FIDX_TESTS_CLI_RUNNER_H_
#define FIDX_TESTS_CLI_RUNNER_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace fidx_test {

struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  nlohmann::json Json() const { return nlohmann::json::parse(out); }
};

// Runs `fidx ARGS...` with FIDX_DB=`db` (if non-empty), no stdin.
RunResult RunFidx(const std::vector<std::string>& args, const std::string& db = "");

// Where a child's standard streams go, for RunFidxIo().
struct StreamOptions {
  std::string stdin_path = "/dev/null";
  // Empty: captured into RunResult::out; otherwise this file (e.g.
  // "/dev/full") and RunResult::out stays empty.
  std::string stdout_path;
  // Extra environment variables ("NAME=value").
  std::vector<std::string> env;
};

// RunFidx() with the child's stdin, stdout and environment chosen.
RunResult RunFidxIo(const std::vector<std::string>& args, const std::string& db,
                    const StreamOptions& streams);

// The fidx binary under test.
std::string FidxBinary();

// Characters (UTF-8 code points) in `s`.
size_t Utf8Length(const std::string& s);

// A directory removed (recursively) at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Indexes the bundled corpus/ into `dir`/index (REQUIREs exit 0); returns
// the index path.
std::string IndexBundledCorpus(const TempDir& dir);

// Writes `content` to `path`, creating parent directories.
void WriteFile(const std::string& path, const std::string& content);

// The whole of `path`, or as much as could be read ("" if it cannot be
// opened). Never throws: a /proc file of a process that exits while it is
// read fails with ESRCH, on which an ifstream's buffer throws.
std::string ReadFile(const std::string& path);

// True if ../shared/corpus exists; otherwise ends the test as skipped
// (skip.h: CTest reports it as skipped).
bool HaveSharedCorpus();

// Path under the project's source tree, e.g. Source("corpus").
std::string Source(const std::string& rel);

// A background process (e.g. xapian-tcpsrv), killed at scope exit. Its
// stdin and stdout are /dev/null; its stderr goes to `stderr_path`.
class Process {
 public:
  explicit Process(const std::vector<std::string>& argv,
                   const std::string& stderr_path = "/dev/null");
  ~Process() { Stop(); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  // SIGKILLs the process and reaps it.
  void Stop();
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreePort();
// Waits (up to ~10 s) until something accepts connections on 127.0.0.1:port.
bool WaitForPort(int port);

}  // namespace fidx_test

#endif  // FIDX_TESTS_CLI_RUNNER_H_

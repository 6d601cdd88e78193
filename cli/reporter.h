// What `fidx add` and `fidx remove` share: the reporter that prints an
// index run's warnings and progress, stopping on SIGINT/SIGTERM, and the
// mapping of a run's outcome to an exit status.

#ifndef FIDX_CLI_REPORTER_H_
#define FIDX_CLI_REPORTER_H_

#include <atomic>
#include <mutex>
#include <string>

#include "fidx/indexer.h"

namespace fidx {
namespace cli {

// Prints warnings at once, and a progress line on a terminal.
class CliReporter : public IndexReporter {
 public:
  CliReporter(bool quiet, bool progress) : quiet_(quiet), progress_(progress) {}

  void Warning(const std::string& path, const std::string& message) override;
  void Notice(const std::string& message) override;
  void Progress(const IndexStats& s) override;
  // Clears the progress line.
  void Done();

 private:
  void ClearProgress();

  std::mutex mu_;
  bool quiet_;
  bool progress_;
  bool shown_ = false;
};

// Installs SIGINT and SIGTERM handlers that set the returned flag (for
// IndexOptions::stop): a run then commits what it did and stops.
const std::atomic<bool>* StopOnSignals();

// The exit status of an index run (add, remove): its error's, else 1 for a
// partial run, else 0.
int ExitStatusOf(const IndexResult& result);

}  // namespace cli
}  // namespace fidx

#endif  // FIDX_CLI_REPORTER_H_

#include "reporter.h"

#include <signal.h>

#include <cstdio>
#include <iostream>

#include "command.h"
#include "output.h"

namespace fidx {
namespace cli {

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

}  // namespace

void CliReporter::Warning(const std::string& path, const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  ClearProgress();
  Warn(path, message);
}

void CliReporter::Notice(const std::string& message) {
  if (quiet_) return;
  std::lock_guard<std::mutex> lock(mu_);
  ClearProgress();
  std::cerr << "fidx: " << message << "\n";
}

void CliReporter::Progress(const IndexStats& s) {
  if (!progress_) return;
  std::lock_guard<std::mutex> lock(mu_);
  char line[160];
  uint64_t total = s.files_to_process ? s.files_to_process : 1;
  std::snprintf(line, sizeof line, "\r[%3d%%] %llu/%llu files, %.1f MB read",
                static_cast<int>(100 * s.files_processed / total),
                static_cast<unsigned long long>(s.files_processed),
                static_cast<unsigned long long>(s.files_to_process), s.bytes_read / 1e6);
  std::cerr << line << std::flush;
  shown_ = true;
}

void CliReporter::Done() {
  std::lock_guard<std::mutex> lock(mu_);
  ClearProgress();
}

void CliReporter::ClearProgress() {
  if (shown_) std::cerr << "\r\033[K" << std::flush;
  shown_ = false;
}

const std::atomic<bool>* StopOnSignals() {
  struct sigaction sa = {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return &g_stop;
}

int ExitStatusOf(const IndexResult& result) {
  if (!result.status.ok()) return ExitStatusFor(result.status);
  return result.partial ? kExitPartial : kExitOk;
}

}  // namespace cli
}  // namespace fidx

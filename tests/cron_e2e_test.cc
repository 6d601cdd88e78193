// End-to-end: scripts/fidx-cron.sh, the wrapper cron runs. Silent when all
// went in; time-stamped problems on stderr (mailed by cron) and in the log;
// fidx's exit status passed through; SIGTERM passed on.

#include <dirent.h>
#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.h"
#include "e2e_process.h"
#include "test_paths.h"

namespace fs = std::filesystem;
using fidx_test::ReadFile;
using fidx_test::FidxChild;
using fidx_test::RunResult;
using fidx_test::SpawnOptions;
using fidx_test::TempDir;

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// "2026-01-01T03:00:00+0000 " and then what fidx said.
bool Stamped(const std::string& line) {
  const std::string shape = "dddd-dd-ddTdd:dd:dd+dddd ";
  if (line.size() <= shape.size()) return false;
  for (size_t i = 0; i < shape.size(); ++i) {
    char c = line[i];
    bool ok = shape[i] == 'd' ? (c >= '0' && c <= '9')
              : shape[i] == '+' ? (c == '+' || c == '-')
                                : c == shape[i];
    if (!ok) return false;
  }
  return true;
}

struct Cron {
  TempDir tmp;
  std::string data = tmp / "data", db = tmp / "index", log = tmp / "log/cron.log";
  Cron() { fidx_test::CopyBundledCorpus(data); }
  std::vector<std::string> Args(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"--log", log, "--fidx", fidx_test::kFidxBinary};
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"--", "--db", db, data});
    return args;
  }
  RunResult Run(const std::vector<std::string>& extra = {}) const {
    SpawnOptions o;
    o.program = fidx_test::Source("scripts/fidx-cron.sh");
    return fidx_test::RunFidxWith(Args(extra), o);
  }
};

// The pid of a running `fidx add` whose command line mentions `needle`.
pid_t FindFidx(const std::string& needle) {
  DIR* proc = ::opendir("/proc");
  pid_t found = 0;
  while (struct dirent* e = proc ? ::readdir(proc) : nullptr) {
    std::string cmdline = ReadFile(std::string("/proc/") + e->d_name + "/cmdline");
    for (char& c : cmdline) c = c ? c : ' ';
    if (cmdline.rfind(fidx_test::kFidxBinary, 0) == 0 && cmdline.find(needle) != std::string::npos) {
      found = std::atoi(e->d_name);
    }
  }
  if (proc) ::closedir(proc);
  return found;
}

// True once `pid` has a SIGTERM handler (so it is past start-up).
bool CatchesSigterm(pid_t pid) {
  std::istringstream status(ReadFile("/proc/" + std::to_string(pid) + "/status"));
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("SigCgt:", 0) == 0) {
      return (std::stoull(line.substr(7), nullptr, 16) >> (SIGTERM - 1)) & 1;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("the cron wrapper says nothing when every file went in, and logs the run", "[e2e][cron]") {
  Cron c;
  RunResult r = c.Run();
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  std::vector<std::string> log = Lines(ReadFile(c.log));
  REQUIRE(log.size() == 2);
  for (const std::string& line : log) CHECK(Stamped(line));
  CHECK_THAT(log[0], Catch::Contains("fidx add --db " + c.db));
  CHECK_THAT(log[1], Catch::EndsWith("fidx add exited 0"));
  CHECK(fidx_test::CountMatches(c.db, "*") == 13);
}

TEST_CASE("the cron wrapper mails time-stamped warnings once and passes exit 1 through",
          "[e2e][cron]") {
  Cron c;
  std::ofstream(c.data + "/broken.txt") << std::string(100, '\0');
  RunResult r = c.Run();
  CHECK(r.exit_code == 1);
  std::vector<std::string> mail = Lines(r.err);
  REQUIRE(mail.size() >= 2);  // the warning and the summary
  for (const std::string& line : mail) CHECK(Stamped(line));
  CHECK_THAT(r.err, Catch::Contains("fidx: warning: " + c.data + "/broken.txt: "));
  CHECK_THAT(ReadFile(c.log), Catch::Contains("fidx: warning: " + c.data + "/broken.txt: "));
  // Known bad and unchanged: the next run has nothing to say.
  RunResult again = c.Run();
  CHECK(again.exit_code == 0);
  CHECK(again.err.empty());
}

TEST_CASE("the cron wrapper waits for the lock, then passes exit 3 through", "[e2e][cron]") {
  Cron c;
  REQUIRE(c.Run().exit_code == 0);
  fidx_test::HeldLock lock(c.db, "fidx pid 4242 on cronhost since 2026-01-01T03:00:00+0000\n");
  RunResult r = c.Run({"--wait", "0.3"});
  CHECK(r.exit_code == 3);
  CHECK(Stamped(Lines(r.err).at(0)));
  CHECK_THAT(r.err, Catch::Contains("is locked by fidx pid 4242 on cronhost"));
}

TEST_CASE("the cron wrapper passes a fatal error (exit 4) through", "[e2e][cron]") {
  Cron c;
  std::vector<std::string> args = {"--fidx", fidx_test::kFidxBinary, "--", "--db",
                                   "/dev/null/index", c.data};
  SpawnOptions o;
  o.program = fidx_test::Source("scripts/fidx-cron.sh");
  RunResult r = fidx_test::RunFidxWith(args, o);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("fidx: error: cannot create /dev/null"));
}

TEST_CASE("the cron wrapper passes SIGTERM on to fidx, which stops and exits 4", "[e2e][cron]") {
  Cron c;
  REQUIRE(c.Run().exit_code == 0);
  fidx_test::HeldLock lock(c.db, "fidx pid 4242 on cronhost since 2026-01-01T03:00:00+0000\n");
  SpawnOptions o;
  o.program = fidx_test::Source("scripts/fidx-cron.sh");
  FidxChild wrapper(c.Args({"--wait", "600"}), o);
  pid_t fidx = 0;
  REQUIRE(fidx_test::WaitUntil([&] { return (fidx = FindFidx(c.db)) != 0 && CatchesSigterm(fidx); }));
  wrapper.Signal(SIGTERM);
  RunResult r = wrapper.Wait();
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("interrupted"));
  CHECK(FindFidx(c.db) == 0);
}

#include "e2e_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_paths.h"

namespace fs = std::filesystem;

namespace fidx_test {

namespace {

constexpr uid_t kNobody = 65534;

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t pos = s->find(from); pos != std::string::npos; pos = s->find(from, pos + to.size())) {
    s->replace(pos, from.size(), to);
  }
}

[[noreturn]] void ExecChild(const std::vector<std::string>& args, const SpawnOptions& o,
                            const std::string& out, const std::string& err) {
  int in_fd = ::open("/dev/null", O_RDONLY);
  int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(in_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  if (!o.db.empty()) ::setenv("FIDX_DB", o.db.c_str(), 1);
  if (o.file_size_limit > 0) {
    ::signal(SIGXFSZ, SIG_IGN);  // inherited across exec: EFBIG instead
    struct rlimit rl = {o.file_size_limit, o.file_size_limit};
    ::setrlimit(RLIMIT_FSIZE, &rl);
  }
  if (o.as_nobody && (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0)) ::_exit(126);
  const char* program = o.program.empty() ? kFidxBinary : o.program.c_str();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program));
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  ::execvp(program, argv.data());
  ::_exit(127);
}

}  // namespace

FidxChild::FidxChild(const std::vector<std::string>& args, const SpawnOptions& options) {
  // The output files must be writable by nobody too.
  ::chmod(io_.path().c_str(), 0777);
  std::string out = io_ / "out", err = io_ / "err";
  pid_ = ::fork();
  REQUIRE(pid_ >= 0);
  if (pid_ == 0) ExecChild(args, options, out, err);
}

FidxChild::~FidxChild() {
  if (!done_) {
    ::kill(pid_, SIGKILL);
    ::kill(pid_, SIGCONT);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

void FidxChild::Reap(int status, long max_rss_kib) {
  done_ = true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  max_rss_kib_ = max_rss_kib;
}

bool FidxChild::Running() {
  if (done_) return false;
  int status = 0;
  struct rusage ru = {};
  if (::wait4(pid_, &status, WNOHANG, &ru) == pid_) Reap(status, ru.ru_maxrss);
  return !done_;
}

void FidxChild::Signal(int sig) {
  if (!done_) ::kill(pid_, sig);
}

RunResult FidxChild::Wait() {
  if (!done_) {
    int status = 0;
    struct rusage ru = {};
    ::wait4(pid_, &status, 0, &ru);
    Reap(status, ru.ru_maxrss);
  }
  RunResult r;
  r.exit_code = exit_code_;
  r.out = ReadFile(io_ / "out");
  r.err = ReadFile(io_ / "err");
  return r;
}

std::string FidxChild::ErrSoFar() const { return ReadFile(io_ / "err"); }

int FidxChild::Threads() const {
  if (done_) return 0;
  std::string dir = "/proc/" + std::to_string(pid_) + "/task";
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return 0;
  int n = 0;
  while (struct dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n;
}

HeldLock::HeldLock(const std::string& db, const std::string& holder) {
  fd_ = ::open((db + "/fidx.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  REQUIRE(fd_ >= 0);
  REQUIRE(::flock(fd_, LOCK_EX | LOCK_NB) == 0);
  REQUIRE(::ftruncate(fd_, 0) == 0);
  REQUIRE(::pwrite(fd_, holder.data(), holder.size(), 0) == static_cast<ssize_t>(holder.size()));
}

void HeldLock::Release() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

RunResult RunFidxWith(const std::vector<std::string>& args, const SpawnOptions& options) {
  FidxChild child(args, options);
  return child.Wait();
}

bool WaitUntil(const std::function<bool()>& done, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

bool IsRoot() { return ::geteuid() == 0; }

void GiveToNobody(const std::string& dir) {
  REQUIRE(::chown(dir.c_str(), kNobody, kNobody) == 0);
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    REQUIRE(::lchown(e.path().c_str(), kNobody, kNobody) == 0);
  }
}

void MakeOld(const std::string& path) {
  struct timespec times[2] = {{1577923200, 0}, {1577923200, 0}};  // 2020-01-02
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

void MakeAllOld(const std::string& dir) {
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) MakeOld(e.path().string());
  }
}

int CopyBundledCorpus(const std::string& dir) {
  fs::copy(Source("corpus"), dir, fs::copy_options::recursive);
  fs::remove(fs::path(dir) / "SOURCES.md");
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    // The bundled files are read-only; tests edit their copies.
    fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
    n += e.is_regular_file();
  }
  return n;
}

int WriteScaleCorpus(const std::string& dir, int copies, int first) {
  // Bundled filings whose accession number (the file name's first 20
  // characters) appears in their header.
  static const char* const kFilings[] = {
      "2017/0001144204-17-013452.txt", "2020/0001564590-20-004475-minimal.txt",
      "2023/0001894188-23-000007.txt", "2024/0000000000-24-003505.txt",
      "2024/0000019617-24-000012.txt", "2025/0001562180-25-000280.nc",
      "2026/0001104659-26-017097.txt", "1994/0000109446-94-000005.txt"};
  std::vector<std::pair<std::string, std::string>> sources;
  for (const char* rel : kFilings) {
    sources.emplace_back(fs::path(rel).filename().string(), ReadFile(Source("corpus/") + rel));
  }
  int written = 0;
  for (int copy = first; copy < first + copies; ++copy) {
    char sub[16];
    std::snprintf(sub, sizeof sub, "%03d", copy);
    fs::create_directories(fs::path(dir) / sub);
    for (const auto& [name, text] : sources) {
      // 0001144204-17-013452 -> 97000000CC-17-013452: unique per copy, and
      // the filing's year and sequence are kept.
      std::string old_acc = name.substr(0, 20);
      char acc[32];
      std::snprintf(acc, sizeof acc, "97%08d%s", copy, old_acc.substr(10).c_str());
      std::string body = text;
      ReplaceAll(&body, old_acc, acc);
      std::string file_name = name;
      ReplaceAll(&file_name, old_acc, acc);
      std::ofstream(fs::path(dir) / sub / file_name, std::ios::binary) << body;
      ++written;
    }
  }
  return written;
}

Totals CountIndex(const std::string& db) {
  Totals t;
  t.filings = CountMatches(db, "*");
  t.documents = CountMatches(db, "*", true);
  return t;
}

std::string Describe(const Totals& t) {
  return std::to_string(t.filings) + " filings, " + std::to_string(t.documents) + " documents";
}

int64_t CountMatches(const std::string& db, const std::string& query, bool per_document) {
  std::vector<std::string> args = {"search", "--json", "--limit", "1", query};
  if (per_document) args.push_back("--per-document");
  RunResult r = RunFidx(args, db);
  if (r.exit_code != 0 && r.exit_code != 1) return -1;
  try {
    return r.Json()["total"].get<int64_t>();
  } catch (const std::exception&) {
    return -1;
  }
}

std::vector<std::string> WarningLines(const std::string& err) {
  std::vector<std::string> lines;
  std::istringstream in(err);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("fidx: warning: ", 0) == 0) lines.push_back(line);
  }
  return lines;
}

}  // namespace fidx_test

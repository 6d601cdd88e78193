#include "cli_runner.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <filesystem>
#include <fstream>

#include "skip.h"
#include "test_paths.h"

namespace fidx_test {

namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

RunResult RunFidx(const std::vector<std::string>& args, const std::string& db) {
  return RunFidxIo(args, db, StreamOptions());
}

RunResult RunFidxIo(const std::vector<std::string>& args, const std::string& db,
                    const StreamOptions& streams) {
  // stdout and stderr go to temporary files, so a chatty child never blocks.
  TempDir io;
  std::string out_path = io / "out", err_path = io / "err";
  if (!streams.stdout_path.empty()) out_path = streams.stdout_path;
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open(streams.stdin_path.c_str(), O_RDONLY);
    for (const std::string& e : streams.env) ::putenv(const_cast<char*>(e.c_str()));
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (!db.empty()) ::setenv("FIDX_DB", db.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(kFidxBinary));
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(kFidxBinary, argv.data());
    ::_exit(127);
  }
  RunResult r;
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  int fd = -1;
  if (streams.stdout_path.empty()) {
    fd = ::open(out_path.c_str(), O_RDONLY);
    r.out = ReadAll(fd);
    ::close(fd);
  }
  fd = ::open(err_path.c_str(), O_RDONLY);
  r.err = ReadAll(fd);
  ::close(fd);
  return r;
}

std::string FidxBinary() { return kFidxBinary; }

std::string IndexBundledCorpus(const TempDir& dir) {
  std::string db = dir / "index";
  auto add = RunFidx({"add", "--quiet", Source("corpus")}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  return db;
}

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

TempDir::TempDir() {
  std::string tmpl = std::filesystem::temp_directory_path().string() + "/fidx-test-XXXXXX";
  char* p = ::mkdtemp(&tmpl[0]);
  REQUIRE(p != nullptr);
  path_ = p;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Make unreadable test directories removable again.
  for (auto it = std::filesystem::recursive_directory_iterator(
           path_, std::filesystem::directory_options::skip_permission_denied, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    ::chmod(it->path().c_str(), 0755);
  }
  std::filesystem::remove_all(path_, ec);
}

void WriteFile(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadFile(const std::string& path) {
  std::string out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

bool HaveSharedCorpus() {
  SkipWithoutSharedCorpus();
  return true;
}

std::string Source(const std::string& rel) { return std::string(kSourceDir) + "/" + rel; }

Process::Process(const std::vector<std::string>& argv, const std::string& stderr_path) {
  pid_ = ::fork();
  if (pid_ == 0) {
    int null = ::open("/dev/null", O_RDWR);
    int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(err >= 0 ? err : null, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
}

void Process::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

}  // namespace

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = Loopback(0);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool WaitForPort(int port) {
  for (int i = 0; i < 200; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = Loopback(port);
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (ok) return true;
    ::usleep(50000);
  }
  return false;
}

}  // namespace fidx_test

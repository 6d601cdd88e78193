#include "fidx/index_layout.h"
#include "fidx/strings.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fidx {

namespace {

constexpr char kStubName[] = "XAPIANDB";
constexpr char kLockName[] = "fidx.lock";

std::string ShardName(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "shard-%02d", i);
  return buf;
}

bool MakeDirs(const std::string& path, std::string* error) {
  std::string partial;
  std::stringstream ss(path);
  std::string part;
  if (!path.empty() && path[0] == '/') partial = "/";
  while (std::getline(ss, part, '/')) {
    if (part.empty()) continue;
    partial += part;
    if (::mkdir(partial.c_str(), 0777) != 0 && errno != EEXIST) {
      *error = "cannot create " + partial + ": " + std::strerror(errno);
      return false;
    }
    partial += "/";
  }
  return true;
}

bool WriteFileAtomically(const std::string& path, const std::string& content,
                         std::string* error) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    *error = "cannot write " + tmp + ": " + std::strerror(errno);
    return false;
  }
  bool ok = ::write(fd, content.data(), content.size()) ==
                static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = "cannot write " + path + ": " + std::strerror(ok ? errno : saved);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

// Creates an empty glass database in `dir`. Readers open the stub's shards
// as soon as the stub exists; a stub naming an empty folder made every
// search fail ("Couldn't detect type of database") until the first commit,
// and for good if that first `fidx add` was killed before it.
bool CreateEmptyShard(const std::string& dir, std::string* error) {
  try {
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    db.close();
  } catch (const Xapian::Error& e) {
    *error = "cannot create " + dir + ": " + e.get_description();
    return false;
  }
  return true;
}

}  // namespace

int ShardFor(std::string_view filing_key, int shard_count) {
  if (shard_count <= 1) return 0;
  return static_cast<int>(Fnv1a64(filing_key) % static_cast<uint64_t>(shard_count));
}

bool ListShards(const std::string& index_dir, std::vector<std::string>* shards,
                std::string* error) {
  shards->clear();
  std::ifstream in(index_dir + "/" + kStubName);
  if (!in) {
    *error = index_dir + " is not an fidx index (no " + kStubName + ")";
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string type, where;
    if (!(ls >> type >> where) || type[0] == '#') continue;
    // Remote shards are searched but never written by this machine.
    if (type == "remote") continue;
    shards->push_back(where[0] == '/' ? where : index_dir + "/" + where);
  }
  if (shards->empty()) {
    *error = index_dir + " lists no local shards in " + kStubName;
    return false;
  }
  return true;
}

std::string ForeignIndexReason(const std::string& index_dir, bool must_exist) {
  struct stat st;
  if (::stat(index_dir.c_str(), &st) != 0) {
    // Creating it reports what stands in the way (a file as a parent ...).
    if (!must_exist) return "";
    if (errno == ENOENT || errno == ENOTDIR) {
      return "no index at " + index_dir + " (fidx add creates one)";
    }
    return "cannot read " + index_dir + ": " + std::strerror(errno);
  }
  if (!S_ISDIR(st.st_mode)) return index_dir + " is a file, not an fidx index folder";
  std::string stub = index_dir + "/" + kStubName;
  if (::stat(stub.c_str(), &st) == 0) return "";
  std::error_code ec;
  bool xapian = false, other = false;
  for (const auto& entry : std::filesystem::directory_iterator(index_dir, ec)) {
    std::string name = entry.path().filename().string();
    // Another run creating this index renamed its stub into place after
    // the stat above: an fidx index now (two runs started at once on a new
    // index failed here).
    if (name == kStubName) return "";
    if (name.rfind("iam", 0) == 0) xapian = true;  // iamglass, iamchert, iamhoney
    // What a first run killed before writing its stub leaves behind.
    bool ours = name == kLockName || name.rfind("shard-", 0) == 0 ||
                name == std::string(kStubName) + ".tmp";
    if (!ours) other = true;
  }
  if (xapian) {
    return index_dir + " is a Xapian database that fidx did not write (no fidx layout "
           "record); fidx will not use it: give another --db";
  }
  if (other) {
    return index_dir + " is not an fidx index (no " + kStubName +
           ") and is not empty; fidx will not write there: give another --db";
  }
  if (must_exist) return index_dir + " is not an fidx index (no " + kStubName + ")";
  return "";
}

bool CreateIndexLayout(const std::string& index_dir, int shard_count,
                       bool* created, std::string* error) {
  *created = false;
  struct stat st;
  std::string stub = index_dir + "/" + kStubName;
  if (::stat(stub.c_str(), &st) == 0) return true;
  if (!MakeDirs(index_dir, error)) return false;
  std::string content = "# fidx index: one Xapian database per shard.\n";
  for (int i = 0; i < shard_count; ++i) {
    std::string dir = index_dir + "/" + ShardName(i);
    if (!CreateEmptyShard(dir, error)) return false;
    content += "auto " + ShardName(i) + "\n";
  }
  // The stub last: while it is missing the folder is no index, and once it
  // is there every shard it names opens.
  if (!WriteFileAtomically(stub, content, error)) return false;
  *created = true;
  return true;
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

bool WriterLock::TryLock(const std::string& index_dir, std::string* error,
                         bool* busy) {
  *busy = false;
  if (!MakeDirs(index_dir, error)) return false;
  path_ = index_dir + "/" + kLockName;
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) {
      *error = "cannot open " + path_ + ": " + std::strerror(errno);
      return false;
    }
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) return true;
  if (errno == EWOULDBLOCK) {
    *busy = true;
  } else {
    *error = "cannot lock " + path_ + ": " + std::strerror(errno);
  }
  return false;
}

std::string WriterLock::ReadHolder() const {
  std::ifstream in(path_);
  std::string line;
  std::getline(in, line);
  return line.empty() ? "another fidx process" : line;
}

void WriterLock::WriteHolder() {
  char host[256] = "";
  ::gethostname(host, sizeof host - 1);
  time_t now = ::time(nullptr);
  char when[64];
  struct tm tm;
  ::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S%z", ::localtime_r(&now, &tm));
  std::string text = "fidx pid " + std::to_string(::getpid()) + " on " + host +
                     " since " + when + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    ssize_t n = ::pwrite(fd_, text.data(), text.size(), 0);
    (void)n;
  }
}

void SleepSeconds(double seconds) {
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

double NowSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace fidx

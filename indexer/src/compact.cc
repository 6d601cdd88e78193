#include "fidx/compact.h"

#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "fidx/index_layout.h"

namespace fs = std::filesystem;

namespace fidx {

namespace {

uint64_t DirBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

struct StubLine {
  std::string text;   // the line as written
  std::string local;  // for local shard lines: the path as written
};

bool ReadStub(const std::string& stub, std::vector<StubLine>* lines, std::string* error) {
  std::ifstream in(stub);
  if (!in) {
    *error = "cannot read " + stub;
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    StubLine l{line, ""};
    std::istringstream ls(line);
    std::string type, where;
    if (ls >> type >> where && (type == "auto" || type == "glass")) l.local = where;
    lines->push_back(l);
  }
  return true;
}

bool WriteStub(const std::string& stub, const std::vector<StubLine>& lines, std::string* error) {
  std::string tmp = stub + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const StubLine& l : lines) out << l.text << "\n";
    out.flush();
    if (!out) {
      *error = "cannot write " + tmp;
      return false;
    }
  }
  // The stub is the commit point of a compaction: its new content must be
  // on disk before the rename makes it current, or a power cut can leave
  // an empty XAPIANDB, which no longer opens (index_layout.cc does the same).
  int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!synced) {
    *error = "cannot write " + tmp + ": " + std::strerror(errno);
    return false;
  }
  std::error_code ec;
  fs::rename(tmp, stub, ec);
  if (ec) {
    *error = "cannot replace " + stub + ": " + ec.message();
    return false;
  }
  return true;
}

std::string Absolute(const std::string& dir, const std::string& p) {
  return p[0] == '/' ? p : dir + "/" + p;
}

// Removes compaction leftovers: directories named *.compacting (a run that
// died before its commit point) and shards no longer listed.
void RemoveLeftovers(const std::string& dir, const std::vector<StubLine>& lines) {
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if (!e.is_directory(ec)) continue;
    bool listed = false;
    for (const StubLine& l : lines) listed = listed || Absolute(dir, l.local) == e.path().string();
    if (!listed && (name.rfind("shard-", 0) == 0 || name.find(".compacting") != std::string::npos)) {
      fs::remove_all(e.path(), ec);
    }
  }
}

std::string NewName(const std::string& base) {
  return base + "-c" + std::to_string(static_cast<long long>(NowSeconds() * 1000));
}

}  // namespace

void RemoveCompactionLeftovers(const std::string& index_dir) {
  std::vector<StubLine> lines;
  std::string ignored;
  if (ReadStub(index_dir + "/XAPIANDB", &lines, &ignored)) RemoveLeftovers(index_dir, lines);
}

CompactResult CompactIndex(const CompactOptions& o) {
  CompactResult r;
  // Before the lock, which would create the folder and a lock file in it.
  if (std::string why = ForeignIndexReason(o.db_path, true); !why.empty()) {
    r.status = Status::NoIndex(why);
    return r;
  }
  WriterLock lock;
  std::string holder, error;
  if (!lock.Acquire(o.db_path, o.wait_seconds, [](const std::string&) {}, &holder, &error)) {
    r.status = holder.empty() ? Status::IOError(error)
                              : Status::Locked("index " + o.db_path + " is locked by " + holder);
    return r;
  }
  std::string stub = o.db_path + "/XAPIANDB";
  std::vector<StubLine> lines;
  if (!ReadStub(stub, &lines, &error)) {
    r.status = Status::NoIndex(error);
    return r;
  }
  RemoveLeftovers(o.db_path, lines);
  std::vector<size_t> local;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].local.empty()) local.push_back(i);
  }
  if (local.empty()) {
    r.status = Status::NoIndex(o.db_path + " has no local shards to compact");
    return r;
  }
  r.shards_before = static_cast<int>(local.size());
  try {
    std::vector<StubLine> updated;
    if (o.merge && local.size() > 1) {
      Xapian::Database all;
      for (size_t i : local) {
        std::string p = Absolute(o.db_path, lines[i].local);
        r.bytes_before += DirBytes(p);
        all.add_database(Xapian::Database(p));
      }
      std::string name = NewName("shard-00");
      std::string tmp = o.db_path + "/" + name + ".compacting";
      all.compact(tmp, Xapian::DBCOMPACT_MULTIPASS);
      fs::rename(tmp, o.db_path + "/" + name);
      r.bytes_after = DirBytes(o.db_path + "/" + name);
      bool placed = false;
      for (const StubLine& l : lines) {
        if (l.local.empty()) {
          updated.push_back(l);
        } else if (!placed) {
          updated.push_back({"auto " + name, name});
          placed = true;
        }
      }
    } else {
      updated = lines;
      for (size_t i : local) {
        std::string p = Absolute(o.db_path, lines[i].local);
        r.bytes_before += DirBytes(p);
        std::string name = NewName(fs::path(lines[i].local).filename().string().substr(0, 8));
        std::string tmp = o.db_path + "/" + name + ".compacting";
        Xapian::Database(p).compact(tmp);
        fs::rename(tmp, o.db_path + "/" + name);
        r.bytes_after += DirBytes(o.db_path + "/" + name);
        updated[i] = {"auto " + name, name};
      }
    }
    if (!WriteStub(stub, updated, &error)) {
      r.status = Status::IOError(error);
      return r;
    }
    RemoveLeftovers(o.db_path, updated);
    for (const StubLine& l : updated) r.shards_after += l.local.empty() ? 0 : 1;
  } catch (const Xapian::Error& e) {
    r.status = Status::IOError("compaction failed, the index is unchanged: " +
                               e.get_description());
    return r;
  } catch (const fs::filesystem_error& e) {
    r.status = Status::IOError(std::string("compaction failed, the index is unchanged: ") +
                               e.what());
    return r;
  }
  return r;
}

}  // namespace fidx

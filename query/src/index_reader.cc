#include "index_reader.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

namespace fidx {

namespace {

bool IsDir(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsFile(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string DirName(const std::string& p) {
  size_t slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : p.substr(0, slash);
}

// Mirrors Xapian 1.4's stub grammar (backends/dbfactory.cc open_stub):
// "auto|glass|chert PATH" (relative to the stub), "remote HOST:PORT",
// "remote :PROGRAM ARGS"; '#' starts a comment line.
bool ParseStub(const std::string& stub, std::vector<ShardSpec>* shards, std::string* error) {
  std::ifstream in(stub);
  if (!in) {
    *error = "cannot read " + stub;
    return false;
  }
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.find(' ');
    std::string type = line.substr(0, space);
    std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    ShardSpec s;
    if (type == "auto" || type == "glass" || type == "chert") {
      s.kind = ShardSpec::kLocal;
      s.path = !rest.empty() && rest[0] == '/' ? rest : DirName(stub) + "/" + rest;
      s.description = rest;
    } else if (type == "remote" && !rest.empty() && rest[0] == ':') {
      s.kind = ShardSpec::kRemoteProg;
      size_t sp = rest.find(' ');
      s.path = rest.substr(1, sp == std::string::npos ? std::string::npos : sp - 1);
      if (sp != std::string::npos) s.args = rest.substr(sp + 1);
      s.description = "remote " + rest;
    } else if (type == "remote" && rest.rfind(':') != std::string::npos) {
      size_t colon = rest.rfind(':');
      s.kind = ShardSpec::kRemoteTcp;
      s.host = rest.substr(0, colon);
      s.port = static_cast<unsigned>(std::atoi(rest.c_str() + colon + 1));
      if (s.host.size() > 2 && s.host.front() == '[' && s.host.back() == ']') {
        s.host = s.host.substr(1, s.host.size() - 2);
      }
      s.description = "remote " + rest;
    } else {
      *error = stub + ":" + std::to_string(line_no) + ": cannot read stub line '" + line + "'";
      return false;
    }
    shards->push_back(std::move(s));
  }
  return true;
}

}  // namespace

Xapian::Database OpenShard(const ShardSpec& s) {
  switch (s.kind) {
    case ShardSpec::kLocal:
      return Xapian::Database(s.path);
    case ShardSpec::kRemoteTcp:
      // Connection and idle timeouts in ms: a dead server must not hang us.
      return Xapian::Remote::open(s.host, s.port, 10000, 5000);
    case ShardSpec::kRemoteProg:
      break;
  }
  return Xapian::Remote::open(s.path, s.args);
}

bool ResolveShards(const std::string& path, std::vector<ShardSpec>* shards,
                   std::string* error) {
  shards->clear();
  if (IsDir(path) && IsFile(path + "/XAPIANDB")) return ParseStub(path + "/XAPIANDB", shards, error);
  if (IsDir(path) && (IsFile(path + "/iamglass") || IsFile(path + "/iamchert"))) {
    shards->push_back({path, ShardSpec::kLocal, path, "", 0, ""});
    return true;
  }
  if (IsFile(path)) return ParseStub(path, shards, error);
  *error = "no index at " + path + " (run 'fidx add' first, or give --db)";
  return false;
}

bool OpenShards(const std::vector<ShardSpec>& shards, bool allow_partial,
                Xapian::Database* db, std::vector<std::string>* warnings,
                std::string* error) {
  *db = Xapian::Database();
  size_t opened = 0;
  for (const ShardSpec& s : shards) {
    try {
      db->add_database(OpenShard(s));
      ++opened;
    } catch (const Xapian::Error& e) {
      std::string msg = "shard " + s.description + " is unavailable: " + e.get_msg();
      if (!allow_partial) {
        *error = msg + " (--allow-partial searches the other shards)";
        return false;
      }
      warnings->push_back(msg + "; results exclude it");
    }
  }
  if (opened == 0) {
    *error = shards.empty() ? "the index lists no shards" : "no shard of the index could be opened";
    return false;
  }
  return true;
}

}  // namespace fidx

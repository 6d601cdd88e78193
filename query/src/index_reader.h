// Opening an index for reading: an fidx directory (with its XAPIANDB stub),
// a stub file, or a plain Xapian database. Stub lines are read here rather
// than by Xapian so that an unreachable remote shard can be named, and
// skipped when the user allows partial results.

#ifndef FIDX_QUERY_INDEX_READER_H_
#define FIDX_QUERY_INDEX_READER_H_

#include <xapian.h>

#include <string>
#include <vector>

namespace fidx {

struct ShardSpec {
  std::string description;  // "shard-00", "remote 127.0.0.1:7001"
  enum Kind { kLocal, kRemoteTcp, kRemoteProg } kind = kLocal;
  std::string path;  // kLocal: absolute path; kRemoteProg: program
  std::string host;  // kRemoteTcp
  unsigned port = 0;
  std::string args;  // kRemoteProg
};

// Lists the shards behind `path`. Returns false with *error if `path` is
// neither an index, a stub nor a database.
bool ResolveShards(const std::string& path, std::vector<ShardSpec>* shards,
                   std::string* error);

// Opens one shard (remote ones with a 10 s connect timeout). Throws
// Xapian::Error.
Xapian::Database OpenShard(const ShardSpec& shard);

// Opens `shards` as one database. Shards that fail to open are an error,
// unless `allow_partial`, in which case they are skipped with a warning
// naming them (at least one shard must open).
bool OpenShards(const std::vector<ShardSpec>& shards, bool allow_partial,
                Xapian::Database* db, std::vector<std::string>* warnings,
                std::string* error);

}  // namespace fidx

#endif  // FIDX_QUERY_INDEX_READER_H_

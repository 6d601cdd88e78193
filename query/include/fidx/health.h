// The health of an index's shards: for every line of a stub (or the one
// database of an index), whether it answers, what it holds and when it was
// last written. Used by `fidx health`.

#ifndef FIDX_HEALTH_H_
#define FIDX_HEALTH_H_

#include <cstdint>
#include <string>
#include <vector>

namespace fidx {

struct ShardHealth {
  std::string shard;   // the stub line's target: "shard-00", "remote 10.0.0.5:7001"
  bool up = false;     // opened, answered, and holds a layout fidx reads
  std::string error;   // why not, when !up
  uint64_t documents = 0;
  uint64_t filings = 0;       // documents that start a filing
  std::string last_run;       // the fidx:last-run record, "" if none
  double connect_ms = 0;      // opening it (for a remote shard: connecting)
  double round_trip_ms = 0;   // one request once open (remote: a round trip)
};

// Checks every shard behind `path` (an index directory, a stub file or a
// Xapian database), all at once, each within the remote backend's timeouts
// (10 s to connect). Returns false with *error only when `path` itself
// cannot be read; a shard that is down is reported in *shards.
bool CheckShardHealth(const std::string& path, std::vector<ShardHealth>* shards,
                      std::string* error);

}  // namespace fidx

#endif  // FIDX_HEALTH_H_

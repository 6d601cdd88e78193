#include "fidx/health.h"

#include <xapian.h>

#include <chrono>
#include <future>

#include "fidx/schema.h"
#include "index_reader.h"

namespace fidx {

namespace {

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

ShardHealth Check(const ShardSpec& spec) {
  ShardHealth h;
  h.shard = spec.description;
  try {
    auto start = std::chrono::steady_clock::now();
    Xapian::Database db = OpenShard(spec);
    h.connect_ms = MsSince(start);
    // Metadata is not cached by the remote backend: one request, answered
    // by the server, which makes it a round trip.
    start = std::chrono::steady_clock::now();
    h.last_run = db.get_metadata(schema::kMetaLastRun);
    h.round_trip_ms = MsSince(start);
    h.documents = db.get_doccount();
    h.filings = db.get_termfreq(schema::kTermFirstDocument);
    // A shard that answers but that searches would refuse (another layout
    // version, another program's database) is not up either.
    std::string version = db.get_metadata(schema::kMetaSchema);
    h.error = schema::SchemaMismatch(spec.description, version);
    if (h.error.empty() && version.empty() && h.documents > 0) {
      h.error = "a Xapian database that fidx did not write (no fidx layout record)";
    }
    h.up = h.error.empty();
  } catch (const Xapian::Error& e) {
    h.error = e.get_msg().empty() ? e.get_description() : e.get_msg();
  }
  return h;
}

}  // namespace

bool CheckShardHealth(const std::string& path, std::vector<ShardHealth>* shards,
                      std::string* error) {
  std::vector<ShardSpec> specs;
  if (!ResolveShards(path, &specs, error)) return false;
  // In parallel: a machine that does not answer costs its connect timeout
  // once, not once per shard behind it.
  std::vector<std::future<ShardHealth>> pending;
  for (const ShardSpec& s : specs) pending.push_back(std::async(std::launch::async, Check, s));
  shards->clear();
  for (auto& p : pending) shards->push_back(p.get());
  return true;
}

}  // namespace fidx

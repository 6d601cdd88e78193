// The index's record of its last changing run (fidx:last-run metadata,
// "finished 1763790000 added 3 updated 0 removed 0 failed 0"), as `fidx
// stats` and `fidx health` print it.

#ifndef FIDX_CLI_LAST_RUN_H_
#define FIDX_CLI_LAST_RUN_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "fidx/json.h"

namespace fidx {
namespace cli {

struct LastRun {
  long long finished = 0;  // Unix time, 0 if unknown
  std::vector<std::pair<std::string, uint64_t>> counts;  // in record order
};

// Reads a raw record; unknown words are kept as counts.
LastRun ParseLastRun(const std::string& raw);

// Unix time `t` as "2026-12-03T07:55:52Z" (`utc_iso`) or local
// "2026-12-03 08:55:52 CET"; "" for 0.
std::string FormatTime(long long t, bool utc_iso);

// "2026-12-03 08:55:52 CET (files: 13 added, 0 updated, ...)".
std::string DescribeLastRun(const LastRun& run);

// Writes the record as {"finished": ISO, "unix_time": N, "added": N, ...},
// or null for an empty `raw`.
void WriteLastRunJson(const std::string& raw, JsonWriter* w);

}  // namespace cli
}  // namespace fidx

#endif  // FIDX_CLI_LAST_RUN_H_

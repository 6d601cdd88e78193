#include "last_run.h"

#include <ctime>
#include <sstream>

namespace fidx {
namespace cli {

LastRun ParseLastRun(const std::string& raw) {
  std::istringstream in(raw);
  LastRun r;
  std::string word;
  while (in >> word) {
    long long n = 0;
    if (!(in >> n)) break;
    if (word == "finished") {
      r.finished = n;
    } else {
      r.counts.emplace_back(word, static_cast<uint64_t>(n < 0 ? 0 : n));
    }
  }
  return r;
}

std::string FormatTime(long long t, bool utc_iso) {
  if (!t) return "";
  std::time_t when = static_cast<std::time_t>(t);
  struct tm tm;
  char buf[64];
  if (utc_iso) {
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&when, &tm));
  } else {
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", localtime_r(&when, &tm));
  }
  return buf;
}

std::string DescribeLastRun(const LastRun& r) {
  std::string s = r.finished ? FormatTime(r.finished, false) : "unknown time";
  std::string counts;
  for (const auto& [what, n] : r.counts) {
    counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
  }
  if (!counts.empty()) s += " (files: " + counts + ")";
  return s;
}

void WriteLastRunJson(const std::string& raw, JsonWriter* w) {
  if (raw.empty()) {
    w->Null();
    return;
  }
  LastRun run = ParseLastRun(raw);
  w->BeginObject();
  w->Key("finished"); w->StringOrNull(FormatTime(run.finished, true));
  w->Key("unix_time"); if (run.finished) w->Int(run.finished); else w->Null();
  for (const auto& [what, n] : run.counts) { w->Key(what); w->Uint(n); }
  w->EndObject();
}

}  // namespace cli
}  // namespace fidx

// fidx stats: what the index holds.

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "command.h"
#include "fidx/json.h"
#include "fidx/search.h"
#include "output.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

uint64_t DiskBytes(const std::string& path) {
  std::error_code ec;
  uint64_t total = 0;
  if (!std::filesystem::is_directory(path, ec)) {
    return std::filesystem::is_regular_file(path, ec) ? std::filesystem::file_size(path, ec) : 0;
  }
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

// The index's record of its last changing run: "finished 1763790000
// added 3 updated 0 removed 0 failed 0".
struct LastRun {
  long long finished = 0;  // Unix time, 0 if unknown
  std::vector<std::pair<std::string, uint64_t>> counts;  // in record order
};

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

std::string HumanBytes(uint64_t bytes) {
  if (bytes < 1048576) return std::to_string((bytes + 1023) / 1024) + " KB";
  return std::to_string((bytes + 524288) / 1048576) + " MB";
}

// "  10-K   1,234" lines: names padded to the widest, counts right-aligned.
void PrintTable(const std::map<std::string, uint64_t>& rows) {
  size_t name_width = 0, count_width = 0;
  for (const auto& [k, v] : rows) {
    name_width = std::max(name_width, k.size());
    count_width = std::max(count_width, std::to_string(v).size());
  }
  for (const auto& [k, v] : rows) {
    std::string n = std::to_string(v);
    std::cout << "  " << k << std::string(name_width - k.size() + 2 + count_width - n.size(), ' ')
              << n << "\n";
  }
}

class StatsCommand : public Command {
 public:
  const char* Name() const override { return "stats"; }
  const char* Summary() const override {
    return "print the index's size, counts by form and year, and last update";
  }
  std::string Usage() const override { return "fidx stats [options]"; }

  int Run() override {
    std::string error;
    std::vector<std::string> warnings;
    std::string db = DbPath();
    auto searcher = Searcher::Open(db, false, &error, &warnings);
    if (!searcher) return ReportError(Status::NoIndex(error));
    Searcher::Stats s;
    if (!searcher->GetStats(&s, &error)) return ReportError(Status::IOError(error));
    uint64_t bytes = DiskBytes(db);
    if (json_) {
      std::string out;
      JsonWriter w(&out);
      w.BeginObject();
      w.Key("path"); w.String(db);
      w.Key("filings"); w.Uint(s.filings);
      w.Key("documents"); w.Uint(s.documents);
      w.Key("shards"); w.Uint(s.shards);
      w.Key("disk_bytes"); w.Uint(bytes);
      // The last run that changed the index: a UTC timestamp and numbers.
      w.Key("last_update");
      if (s.last_run.empty()) {
        w.Null();
      } else {
        LastRun run = ParseLastRun(s.last_run);
        w.BeginObject();
        w.Key("finished"); w.StringOrNull(FormatTime(run.finished, true));
        w.Key("unix_time"); if (run.finished) w.Int(run.finished); else w.Null();
        for (const auto& [what, n] : run.counts) { w.Key(what); w.Uint(n); }
        w.EndObject();
      }
      w.Key("by_form"); w.BeginObject();
      for (const auto& [k, v] : s.by_form) { w.Key(k); w.Uint(v); }
      w.EndObject();
      w.Key("by_year"); w.BeginObject();
      for (const auto& [k, v] : s.by_year) { w.Key(k); w.Uint(v); }
      w.EndObject();
      w.EndObject();
      std::cout << out << "\n";
      return kExitOk;
    }
    std::cout << "index:       " << db << "\n"
              << "filings:     " << s.filings << "\n"
              << "documents:   " << s.documents << "\n"
              << "shards:      " << s.shards << "\n"
              << "size:        " << HumanBytes(bytes) << "\n"
              << "last update: "
              << (s.last_run.empty() ? "never" : DescribeLastRun(ParseLastRun(s.last_run)))
              << "\n\nby form:\n";
    PrintTable(s.by_form);
    std::cout << "\nby year:\n";
    PrintTable(s.by_year);
    return kExitOk;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description*,
                  po::options_description*) override {
    AddDbOption(opts);
    opts->add_options()("json", po::bool_switch(&json_), "print one JSON object");
  }

 private:
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeStatsCommand() { return std::make_unique<StatsCommand>(); }

}  // namespace cli
}  // namespace fidx

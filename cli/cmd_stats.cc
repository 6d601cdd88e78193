// fidx stats: what the index holds.

#include <sys/stat.h>

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

// "finished 1763790000 added 3 ..." -> readable time and the counts.
std::string DescribeLastRun(const std::string& raw) {
  std::istringstream in(raw);
  std::string word;
  std::time_t when = 0;
  std::string rest;
  while (in >> word) {
    if (word == "finished") {
      long long t = 0;
      in >> t;
      when = static_cast<std::time_t>(t);
    } else {
      std::string n;
      in >> n;
      rest += (rest.empty() ? "" : ", ") + n + " " + word;
    }
  }
  char buf[64] = "unknown time";
  struct tm tm;
  if (when) std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %Z", localtime_r(&when, &tm));
  return std::string(buf) + " (" + rest + " files)";
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
    if (!searcher) {
      Error(error);
      return kExitFatal;
    }
    Searcher::Stats s;
    if (!searcher->GetStats(&s, &error)) {
      Error(error);
      return kExitFatal;
    }
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
      w.Key("last_update"); w.StringOrNull(s.last_run.empty() ? "" : DescribeLastRun(s.last_run));
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
              << "size:        " << (bytes + 524288) / 1048576 << " MB\n"
              << "last update: " << (s.last_run.empty() ? "never" : DescribeLastRun(s.last_run))
              << "\n\nby form:\n";
    for (const auto& [k, v] : s.by_form) std::cout << "  " << k << "  " << v << "\n";
    std::cout << "\nby year:\n";
    for (const auto& [k, v] : s.by_year) std::cout << "  " << k << "  " << v << "\n";
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

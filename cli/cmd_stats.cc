// fidx stats: what the index holds.

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "command.h"
#include "last_run.h"
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
      WriteLastRunJson(s.last_run, &w);
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

// fidx health: whether every shard of an index or stub answers, what each
// holds and when it was last written.

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "command.h"
#include "fidx/health.h"
#include "fidx/json.h"
#include "last_run.h"
#include "output.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

std::string Ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ms < 10 ? "%.2f ms" : "%.0f ms", ms);
  return buf;
}

// Columns padded to their widest cell; numbers right-aligned.
void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  const std::vector<bool> right = {false, false, true, true, false, true, true, false};
  std::vector<size_t> width(right.size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], DisplayWidth(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(width[i] - DisplayWidth(row[i]), ' ');
      if (i + 1 == row.size() && !right[i]) pad.clear();
      line += (i ? "  " : "") + (right[i] ? pad + row[i] : row[i] + pad);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
}

class HealthCommand : public Command {
 public:
  const char* Name() const override { return "health"; }
  const char* Summary() const override {
    return "check that every shard answers: documents, filings, last update";
  }
  std::string Usage() const override { return "fidx health [options]"; }
  std::string Epilog() const override {
    return "--db may be an index, a stub file listing local and remote shards\n"
           "(remote HOST:PORT lines), or one Xapian database. Every shard is checked\n"
           "at once. Exit status: 0 every shard answered, 1 one or more did not\n"
           "(the table says which and why), 2 usage, 4 no index or unreadable stub.\n";
  }

  int Run() override {
    std::string db = DbPath();
    std::vector<ShardHealth> shards;
    std::string error;
    if (!CheckShardHealth(db, &shards, &error)) return ReportError(Status::NoIndex(error));
    size_t down = std::count_if(shards.begin(), shards.end(),
                                [](const ShardHealth& h) { return !h.up; });
    if (json_) {
      PrintJson(db, shards, down);
    } else {
      PrintText(shards, down);
    }
    return down ? kExitPartial : kExitOk;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description*,
                  po::options_description*) override {
    AddDbOption(opts);
    opts->add_options()("json", po::bool_switch(&json_), "print one JSON object");
  }

 private:
  void PrintText(const std::vector<ShardHealth>& shards, size_t down) const {
    std::vector<std::vector<std::string>> rows = {
        {"shard", "status", "documents", "filings", "last update", "round trip", "connect"}};
    if (down) rows[0].push_back("error");
    for (const ShardHealth& h : shards) {
      if (!h.up) {
        rows.push_back({h.shard, "DOWN", "-", "-", "-", "-", "-", h.error});
        continue;
      }
      LastRun run = ParseLastRun(h.last_run);
      std::string last = h.last_run.empty() ? "never"
                         : run.finished     ? FormatTime(run.finished, false)
                                            : "unknown time";
      rows.push_back({h.shard, "up", std::to_string(h.documents), std::to_string(h.filings),
                      last, Ms(h.round_trip_ms), Ms(h.connect_ms)});
      if (down) rows.back().push_back("");
    }
    PrintTable(rows);
    std::cout << shards.size() << " " << Plural(shards.size(), "shard") << ": " << shards.size() - down << " up, "
              << down << " down\n";
  }

  void PrintJson(const std::string& db, const std::vector<ShardHealth>& shards,
                 size_t down) const {
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Key("path"); w.String(db);
    w.Key("up"); w.Uint(shards.size() - down);
    w.Key("down"); w.Uint(down);
    w.Key("shards"); w.BeginArray();
    for (const ShardHealth& h : shards) {
      w.BeginObject();
      w.Key("shard"); w.String(h.shard);
      w.Key("up"); w.Bool(h.up);
      w.Key("error"); w.StringOrNull(h.error);
      if (h.up) {
        w.Key("documents"); w.Uint(h.documents);
        w.Key("filings"); w.Uint(h.filings);
        w.Key("last_update"); WriteLastRunJson(h.last_run, &w);
        w.Key("round_trip_ms"); w.Double(h.round_trip_ms);
        w.Key("connect_ms"); w.Double(h.connect_ms);
      } else {
        for (const char* k : {"documents", "filings", "last_update", "round_trip_ms",
                              "connect_ms"}) {
          w.Key(k); w.Null();
        }
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    std::cout << out << "\n";
  }

  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeHealthCommand() { return std::make_unique<HealthCommand>(); }

}  // namespace cli
}  // namespace fidx

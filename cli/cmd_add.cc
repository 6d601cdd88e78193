// fidx add: index files and folders.

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <cstdio>
#include <iostream>
#include <mutex>

#include "command.h"
#include "fidx/compact.h"
#include "fidx/indexer.h"
#include "fidx/json.h"
#include "output.h"
#include "reporter.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

std::string Summary(const IndexStats& s) {
  char buf[512];
  double mb = s.bytes_read / 1e6;
  std::snprintf(buf, sizeof buf,
                "%llu %s (%llu %s) written from %llu %s: %llu added, %llu moved or copied, "
                "%llu updated, %llu unchanged, %llu removed, %llu failed; "
                "%.1f MB read in %.2f s (%.1f MB/s)",
                static_cast<unsigned long long>(s.filings), Plural(s.filings, "filing").c_str(),
                static_cast<unsigned long long>(s.documents), Plural(s.documents, "document").c_str(),
                static_cast<unsigned long long>(s.files_seen), Plural(s.files_seen, "file").c_str(),
                static_cast<unsigned long long>(s.added),
                static_cast<unsigned long long>(s.moved),
                static_cast<unsigned long long>(s.updated),
                static_cast<unsigned long long>(s.unchanged),
                static_cast<unsigned long long>(s.removed),
                static_cast<unsigned long long>(s.failed), mb, s.seconds,
                s.seconds > 0 ? mb / s.seconds : 0.0);
  std::string out = buf;
  if (s.archives) {
    out += "; " + std::to_string(s.archives) + " " + Plural(s.archives, "archive") + " (" +
           std::to_string(s.archives_unchanged) + " unchanged)";
  }
  if (s.warned) out += "; " + std::to_string(s.warned) + " indexed with warnings";
  if (s.known_bad) {
    out += "; " + std::to_string(s.known_bad) + " known-bad " +
           Plural(s.known_bad, "file") + " skipped (--retry-failed to try again)";
  }
  return out;
}

std::string SummaryJson(const IndexResult& r) {
  const IndexStats& s = r.stats;
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  w.String(r.status.ok() ? (r.partial ? "partial" : "ok")
           : r.status.code() == Status::Code::kLocked ? "locked" : "fatal");
  w.Key("message"); w.StringOrNull(r.status.message());
  w.Key("files"); w.Uint(s.files_seen);
  w.Key("archives"); w.Uint(s.archives);
  w.Key("archives_unchanged"); w.Uint(s.archives_unchanged);
  w.Key("added"); w.Uint(s.added);
  w.Key("moved"); w.Uint(s.moved);
  w.Key("updated"); w.Uint(s.updated);
  w.Key("unchanged"); w.Uint(s.unchanged);
  w.Key("removed"); w.Uint(s.removed);
  w.Key("failed"); w.Uint(s.failed);
  w.Key("warned"); w.Uint(s.warned);
  w.Key("known_bad"); w.Uint(s.known_bad);
  w.Key("filings"); w.Uint(s.filings);
  w.Key("documents"); w.Uint(s.documents);
  w.Key("bytes_read"); w.Uint(s.bytes_read);
  w.Key("commits"); w.Uint(s.commits);
  w.Key("seconds"); w.Double(s.seconds);
  w.EndObject();
  return out;
}

class AddCommand : public Command {
 public:
  const char* Name() const override { return "add"; }
  const char* Summary() const override {
    return "index files and folders (incremental: unchanged files are skipped)";
  }
  std::string Usage() const override { return "fidx add [options] PATH..."; }
  std::string Epilog() const override {
    return "Archives (.tar, .tar.gz/.tgz, .tar.bz2, .tar.xz, .zip, EDGAR's daily\n"
           ".nc.tar.gz) are read in place, member by member; a member is named\n"
           "ARCHIVE/member in results, and counts as a file.\n"
           "Exit status: 0 all files indexed; 1 some files failed or had problems\n"
           "(the rest are indexed); 2 usage error or a PATH that does not exist; 3 the index is locked by another\n"
           "writer (after --wait); 4 fatal (index unwritable, disk full, interrupted).\n";
  }

  int Run() override {
    // A missing root is a typo in a command line or a cron entry, not a
    // bad file: an error (like rg's), and no index is created for it.
    for (const std::string& root : options_.roots) {
      struct stat st;
      if (::stat(root.c_str(), &st) != 0) {
        std::cerr << "fidx add: " << root << ": " << std::strerror(errno) << "\n";
        return kExitUsage;
      }
    }
    options_.db_path = DbPath();
    options_.stop = StopOnSignals();
    options_.commit_bytes = static_cast<uint64_t>(commit_mb_) << 20;
    CliReporter reporter(quiet_, !quiet_ && !json_ && IsTerminal(2));
    IndexResult r = RunIndex(options_, &reporter);
    reporter.Done();
    if (!no_compact_ && r.stats.fresh_index && r.stats.documents > 0 && r.status.ok()) {
      // A bulk-built glass database is about a third slack; Xapian's advice
      // is to compact once built (2.5 s for a 500 MB index here).
      CompactOptions c;
      c.db_path = options_.db_path;
      CompactResult cr = CompactIndex(c);
      if (!cr.status.ok()) Warn(options_.db_path, "not compacted: " + cr.status.message());
    }
    // A run that never got to walk its paths (locked, index unwritable) has
    // no summary worth printing: "0 filings written from 0 files" only
    // clutters the mail cron sends with the error.
    bool walked = r.status.ok() ||
                  (r.status.code() != Status::Code::kLocked && r.stats.files_seen > 0);
    if (json_) {
      std::cout << SummaryJson(r) << "\n";
    } else if ((!quiet_ || !r.status.ok() || r.partial) && walked) {
      std::cout << fidx::cli::Summary(r.stats) << "\n";
    }
    if (!r.status.ok()) Error(r.status.message());
    return ExitStatusOf(r);
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description* pos,
                  po::options_description* hidden) override {
    AddDbOption(opts);
    opts->add_options()
        ("no-delete", po::bool_switch(&no_delete_),
         "keep filings whose files disappeared from under PATH")
        ("shards", po::value<int>(&options_.shards)->value_name("N"),
         "for a new index: spread filings over N databases, written in parallel")
        ("jobs,j", po::value<int>(&options_.jobs)->value_name("N"),
         "parsing threads (default: one per core)")
        ("wait", po::value<double>(&options_.wait_seconds)->value_name("SECONDS"),
         "wait this long for another writer's lock before giving up (exit 3)")
        ("commit-mb", po::value<int>(&commit_mb_)->value_name("MB")->default_value(commit_mb_),
         "commit after this much extracted text (more as the index grows)")
        ("commit-seconds", po::value<double>(&options_.commit_seconds)->value_name("S")
             ->default_value(60), "... or after this many seconds")
        ("force", po::bool_switch(&options_.force), "re-read every file, changed or not")
        ("no-compact", po::bool_switch(&no_compact_),
         "do not compact a newly built index at the end of its first run")
        ("retry-failed", po::bool_switch(&options_.retry_failed),
         "retry files that failed before, even if unchanged")
        ("quiet,q", po::bool_switch(&quiet_),
         "print nothing unless something went wrong (for cron)")
        ("json", po::bool_switch(&json_), "print the summary as JSON");
    hidden->add_options()("path", po::value<std::vector<std::string>>(&options_.roots)
                              ->value_name("PATH"));
    pos->add("path", -1);
  }

  void Validate(const po::variables_map& vm) override {
    if (options_.roots.empty()) throw UsageError("no PATH given");
    if (options_.shards < 0 || options_.shards > 256) throw UsageError("--shards must be 1..256");
    if (options_.jobs < 0) throw UsageError("--jobs must be positive");
    if (options_.wait_seconds < 0) throw UsageError("--wait must not be negative");
    if (commit_mb_ <= 0) throw UsageError("--commit-mb must be positive");
    options_.delete_missing = !no_delete_;
  }

 private:
  IndexOptions options_;
  bool no_delete_ = false;
  bool no_compact_ = false;
  bool quiet_ = false;
  bool json_ = false;
  int commit_mb_ = static_cast<int>(IndexOptions().commit_bytes >> 20);
};

}  // namespace

std::unique_ptr<Command> MakeAddCommand() { return std::make_unique<AddCommand>(); }

}  // namespace cli
}  // namespace fidx

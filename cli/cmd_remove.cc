// fidx remove: take files out of the index (a mirror moved or pruned).

#include <iostream>

#include "command.h"
#include "fidx/index_files.h"
#include "fidx/indexer.h"
#include "fidx/json.h"
#include "output.h"
#include "reporter.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

class RemoveCommand : public Command {
 public:
  const char* Name() const override { return "remove"; }
  const char* Summary() const override {
    return "take out the filings of files under PATH, or of vanished files";
  }
  std::string Usage() const override {
    return "fidx remove [options] PATH...\n       fidx remove [options] --missing [PATH...]";
  }
  std::string Epilog() const override {
    return "PATH need not exist any more (a mirror that was moved away): what the index\n"
           "holds under it is removed. 'fidx files PATH' lists it first. A filing that\n"
           "another indexed copy still holds is kept, re-read from that copy.\n"
           "Exit status: 0 removed; 1 nothing indexed under some PATH; 2 usage;\n"
           "3 locked by another writer (after --wait); 4 fatal (no index, unwritable).\n";
  }

  int Run() override {
    IndexOptions options;
    options.db_path = DbPath();
    options.roots = paths_;
    options.remove_only = true;
    options.remove_missing = missing_;
    options.wait_seconds = wait_;
    options.stop = StopOnSignals();
    // Each PATH must match something: `fidx remove /mirorr` is a typo, not
    // a success.
    bool unmatched = false;
    for (const std::string& p : paths_) {
      std::vector<IndexedFile> files;
      if (Status s = ListIndexedFiles(options.db_path, {p}, &files); !s.ok()) {
        return ReportError(s);
      }
      if (files.empty()) {
        Warn(p, "nothing in the index under it");
        unmatched = true;
      }
    }
    CliReporter reporter(quiet_, false);
    IndexResult r = RunIndex(options, &reporter);
    const IndexStats& s = r.stats;
    if (json_) {
      std::string out;
      JsonWriter w(&out);
      w.BeginObject();
      w.Key("removed"); w.Uint(s.removed);
      w.Key("reread"); w.Uint(s.updated);
      w.Key("failed"); w.Uint(s.failed);
      w.Key("message"); w.StringOrNull(r.status.message());
      w.EndObject();
      std::cout << out << "\n";
    } else if (!quiet_ && r.status.ok()) {
      std::cout << "removed " << s.removed << " " << Plural(s.removed, "file");
      if (s.updated) {
        std::cout << "; " << s.updated << " " << Plural(s.updated, "filing")
                  << " re-read from a copy that stays";
      }
      std::cout << "\n";
    }
    if (!r.status.ok()) Error(r.status.message());
    int status = ExitStatusOf(r);
    return status == kExitOk && unmatched ? kExitPartial : status;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description* pos,
                  po::options_description* hidden) override {
    AddDbOption(opts);
    opts->add_options()
        ("missing", po::bool_switch(&missing_),
         "only files that no longer exist (under PATH, or anywhere without PATH)")
        ("wait", po::value<double>(&wait_)->value_name("SECONDS"),
         "wait this long for another writer's lock before giving up (exit 3)")
        ("quiet,q", po::bool_switch(&quiet_), "print nothing unless something went wrong")
        ("json", po::bool_switch(&json_), "print the summary as JSON");
    hidden->add_options()("path", po::value<std::vector<std::string>>(&paths_)
                                      ->value_name("PATH"));
    pos->add("path", -1);
  }

  void Validate(const po::variables_map&) override {
    if (paths_.empty() && !missing_) {
      throw UsageError("no PATH given (or --missing for every file that vanished)");
    }
    if (wait_ < 0) throw UsageError("--wait must not be negative");
  }

 private:
  std::vector<std::string> paths_;
  bool missing_ = false;
  bool quiet_ = false;
  bool json_ = false;
  double wait_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeRemoveCommand() { return std::make_unique<RemoveCommand>(); }

}  // namespace cli
}  // namespace fidx

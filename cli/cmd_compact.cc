// fidx compact: Xapian compaction of the index's shards.

#include <iostream>

#include "command.h"
#include "fidx/compact.h"
#include "output.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

class CompactCommand : public Command {
 public:
  const char* Name() const override { return "compact"; }
  const char* Summary() const override {
    return "compact the index's shards, or merge them into one (--merge)";
  }
  std::string Usage() const override { return "fidx compact [options]"; }
  std::string Epilog() const override {
    return "Searches keep working during compaction; writers wait for it (or exit 3).\n"
           "Exit status: 0 done; 2 usage; 3 locked by a writer; 4 failed (index unchanged).\n";
  }

  int Run() override {
    options_.db_path = DbPath();
    CompactResult r = CompactIndex(options_);
    if (!r.status.ok()) return ReportError(r.status);
    std::cout << "compacted " << r.shards_before << " shard(s) into " << r.shards_after << ": "
              << r.bytes_before / 1048576.0 << " MB -> " << r.bytes_after / 1048576.0 << " MB\n";
    return kExitOk;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description*,
                  po::options_description*) override {
    AddDbOption(opts);
    opts->add_options()
        ("merge", po::bool_switch(&options_.merge), "merge all local shards into one database")
        ("wait", po::value<double>(&options_.wait_seconds)->value_name("SECONDS"),
         "wait this long for a running 'fidx add' to finish");
  }

 private:
  CompactOptions options_;
};

}  // namespace

std::unique_ptr<Command> MakeCompactCommand() { return std::make_unique<CompactCommand>(); }

}  // namespace cli
}  // namespace fidx

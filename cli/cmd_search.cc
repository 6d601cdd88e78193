// placeholder, being written
#include "command.h"
namespace fidx { namespace cli {
namespace {
class SearchCommand : public Command {
 public:
  const char* Name() const override { return "search"; }
  const char* Summary() const override { return "(not yet implemented)"; }
  std::string Usage() const override { return "fidx search"; }
  int Run() override { return kExitFatal; }
 protected:
  void AddOptions(boost::program_options::options_description*,
                  boost::program_options::positional_options_description*,
                  boost::program_options::options_description*) override {}
};
}  // namespace
std::unique_ptr<Command> MakeSearchCommand() { return std::make_unique<SearchCommand>(); }
}}  // namespace fidx::cli

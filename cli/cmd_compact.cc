// placeholder, being written
#include "command.h"
namespace fidx { namespace cli {
namespace {
class CompactCommand : public Command {
 public:
  const char* Name() const override { return "compact"; }
  const char* Summary() const override { return "(not yet implemented)"; }
  std::string Usage() const override { return "fidx compact"; }
  int Run() override { return kExitFatal; }
 protected:
  void AddOptions(boost::program_options::options_description*,
                  boost::program_options::positional_options_description*,
                  boost::program_options::options_description*) override {}
};
}  // namespace
std::unique_ptr<Command> MakeCompactCommand() { return std::make_unique<CompactCommand>(); }
}}  // namespace fidx::cli

// The command table and the top-level dispatcher.

#include <unistd.h>

#include <cstring>
#include <iostream>

#include "command.h"
#include "fidx/version.h"

namespace fidx {
namespace cli {

std::unique_ptr<Command> MakeAddCommand();
std::unique_ptr<Command> MakeSearchCommand();
std::unique_ptr<Command> MakeShowCommand();
std::unique_ptr<Command> MakeStatsCommand();
std::unique_ptr<Command> MakeInspectCommand();
std::unique_ptr<Command> MakeCompactCommand();
std::unique_ptr<Command> MakeServeCommand();

std::vector<std::unique_ptr<Command>> AllCommands() {
  std::vector<std::unique_ptr<Command>> cmds;
  cmds.push_back(MakeAddCommand());
  cmds.push_back(MakeSearchCommand());
  cmds.push_back(MakeShowCommand());
  cmds.push_back(MakeStatsCommand());
  cmds.push_back(MakeInspectCommand());
  cmds.push_back(MakeCompactCommand());
  cmds.push_back(MakeServeCommand());
  return cmds;
}

namespace {

void PrintTopHelp(std::ostream& out) {
  out << "Usage: fidx COMMAND [options] [arguments]\n\n"
         "Full-text search over SEC EDGAR filings, offline.\n\nCommands:\n";
  for (const auto& c : AllCommands()) {
    std::string name = c->Name();
    out << "  " << name << std::string(10 - name.size(), ' ') << c->Summary() << "\n";
  }
  out << "\nRun 'fidx COMMAND --help' for a command's options.\n"
         "Options: --help, --version\n";
}

}  // namespace

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintTopHelp(std::cerr);
    return kExitUsage;
  }
  std::string first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    PrintTopHelp(std::cout);
    return kExitOk;
  }
  if (first == "--version" || first == "-V") {
    std::cout << "fidx " << kVersion << "\n";
    return kExitOk;
  }
  for (auto& cmd : AllCommands()) {
    if (first != cmd->Name()) continue;
    std::vector<std::string> args(argv + 2, argv + argc);
    try {
      cmd->Setup(args);
    } catch (const UsageError& e) {
      std::cerr << "fidx " << cmd->Name() << ": " << e.what() << "\n"
                << "Try 'fidx " << cmd->Name() << " --help'.\n";
      return kExitUsage;
    }
    if (cmd->help_requested()) {
      std::cout << cmd->Help();
      return kExitOk;
    }
    return cmd->Run();
  }
  std::cerr << "fidx: unknown command '" << first << "'. Try 'fidx --help'.\n";
  return kExitUsage;
}

}  // namespace cli
}  // namespace fidx

// The command table and the top-level dispatcher.

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
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
std::unique_ptr<Command> MakeRemoveCommand();
std::unique_ptr<Command> MakeFilesCommand();
std::unique_ptr<Command> MakeServeCommand();
std::unique_ptr<Command> MakeHealthCommand();

std::vector<std::unique_ptr<Command>> AllCommands() {
  std::vector<std::unique_ptr<Command>> cmds;
  cmds.push_back(MakeAddCommand());
  cmds.push_back(MakeSearchCommand());
  cmds.push_back(MakeRemoveCommand());
  cmds.push_back(MakeFilesCommand());
  cmds.push_back(MakeShowCommand());
  cmds.push_back(MakeStatsCommand());
  cmds.push_back(MakeHealthCommand());
  cmds.push_back(MakeInspectCommand());
  cmds.push_back(MakeCompactCommand());
  cmds.push_back(MakeServeCommand());
  return cmds;
}

namespace {

void PrintTopHelp(std::ostream& out) {
  out << "Usage: fidx [--db DIR] [--color WHEN] COMMAND [options] [arguments]\n\n"
         "Full-text search over SEC EDGAR filings, offline.\n\nCommands:\n";
  for (const auto& c : AllCommands()) {
    std::string name = c->Name();
    out << "  " << name << std::string(10 - name.size(), ' ') << c->Summary() << "\n";
  }
  out << "\nGlobal options (before COMMAND):\n"
         "  --db DIR        index location (default: $FIDX_DB, else\n"
         "                  ${XDG_DATA_HOME:-~/.local/share}/fidx/index)\n"
         "  --color WHEN    auto, always or never (default auto; honours $NO_COLOR)\n"
         "  -h, --help      this help;  -V, --version  the version\n"
         "\nRun 'fidx help COMMAND' or 'fidx COMMAND --help' for a command's options.\n";
}

// Edit distance, for suggesting a command name for a typo.
size_t Distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::unique_ptr<Command> FindCommand(const std::string& name) {
  for (auto& cmd : AllCommands()) {
    if (name == cmd->Name()) return std::move(cmd);
  }
  return nullptr;
}

int UnknownCommand(const std::string& name) {
  std::string best;
  size_t best_distance = 3;  // suggest only close names
  for (const auto& cmd : AllCommands()) {
    std::string candidate = cmd->Name();
    size_t d = candidate.rfind(name, 0) == 0 && !name.empty() ? 1 : Distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  std::cerr << "fidx: unknown command '" << name << "'.";
  if (!best.empty()) std::cerr << " Did you mean 'fidx " << best << "'?";
  std::cerr << " Try 'fidx --help'.\n";
  return kExitUsage;
}

// Options before the command name.
struct Globals {
  std::string db;
  ColorMode color = ColorMode::kAuto;
  bool help = false;
  bool version = false;
};

// Parses argv[1..] up to the command name; returns its index (argc if
// none). Throws UsageError.
int ParseGlobals(int argc, char** argv, Globals* g) {
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a.empty() || a[0] != '-') break;
    auto value = [&](const std::string& name) -> std::string {
      if (a.size() > name.size() && a.compare(0, name.size() + 1, name + "=") == 0) {
        return a.substr(name.size() + 1);
      }
      if (++i >= argc) throw UsageError("the option '" + name + "' requires an argument");
      return argv[i];
    };
    if (a == "--help" || a == "-h") {
      g->help = true;
    } else if (a == "--version" || a == "-V") {
      g->version = true;
    } else if (a == "--db" || a.rfind("--db=", 0) == 0) {
      g->db = value("--db");
      if (g->db.empty()) throw UsageError("--db needs a directory");
    } else if (a == "--color" || a.rfind("--color=", 0) == 0) {
      g->color = ParseColorMode(value("--color"));
    } else {
      throw UsageError("unknown option '" + a + "' before the command");
    }
  }
  return i;
}

int RunCommand(Command* cmd, const Globals& g, std::vector<std::string> args) {
  cmd->SetGlobals(g.db, g.color);
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

int Dispatch(int argc, char** argv) {
  Globals g;
  int at = 0;
  try {
    at = ParseGlobals(argc, argv, &g);
  } catch (const UsageError& e) {
    std::cerr << "fidx: " << e.what() << "\nTry 'fidx --help'.\n";
    return kExitUsage;
  }
  if (g.version) {
    std::cout << "fidx " << kVersion << "\n";
    return kExitOk;
  }
  if (at >= argc) {
    PrintTopHelp(g.help ? std::cout : std::cerr);
    return g.help ? kExitOk : kExitUsage;
  }
  std::string name = argv[at];
  std::vector<std::string> args(argv + at + 1, argv + argc);
  if (name == "help") {
    if (args.empty()) {
      PrintTopHelp(std::cout);
      return kExitOk;
    }
    auto cmd = FindCommand(args[0]);
    if (!cmd) return UnknownCommand(args[0]);
    std::cout << cmd->Help();
    return kExitOk;
  }
  auto cmd = FindCommand(name);
  if (!cmd) return UnknownCommand(name);
  if (g.help) args.insert(args.begin(), "--help");
  return RunCommand(cmd.get(), g, std::move(args));
}

// Flushes stdout; a failed write (a full disk, `> /dev/full`) must not
// end in exit 0 behind a truncated file.
bool StdoutWritten() {
  errno = 0;
  std::cout.flush();
  bool ok = static_cast<bool>(std::cout);
  int saved = errno;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    ok = false;
    if (errno) saved = errno;
  }
  if (ok) return true;
  std::cerr << "fidx: error: cannot write to standard output"
            << (saved ? std::string(": ") + std::strerror(saved) : std::string()) << "\n";
  return false;
}

}  // namespace

namespace {
std::vector<std::string> g_program_args;
}  // namespace

const std::vector<std::string>& ProgramArgs() { return g_program_args; }

int Main(int argc, char** argv) {
  g_program_args.assign(argv, argv + argc);
  int status = kExitFatal;
  try {
    status = Dispatch(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "fidx: error: out of memory\n";
    status = kExitFatal;
  } catch (const std::exception& e) {
    // Modules catch their own errors; whatever gets here is a bug, but it
    // must still end as a message and an exit status, not an abort.
    std::cerr << "fidx: error: unexpected failure: " << e.what() << "\n";
    status = kExitFatal;
  }
  if (!StdoutWritten()) return kExitFatal;
  return status;
}

}  // namespace cli
}  // namespace fidx

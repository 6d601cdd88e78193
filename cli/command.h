// The command-line layer: one Command subclass per subcommand, registered in
// one table (commands.cc). Setup() only parses and validates its arguments
// (no I/O, so tests can call it); Run() does the work.

#ifndef FIDX_CLI_COMMAND_H_
#define FIDX_CLI_COMMAND_H_

#include <boost/program_options.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "fidx/search.h"
#include "fidx/status.h"
#include "output.h"

namespace fidx {
namespace cli {

// Exit statuses, the same for every command (documented in the README).
enum ExitCode : int {
  kExitOk = 0,        // success (search: at least one hit)
  kExitPartial = 1,   // add: some files failed, the rest went in;
                      // search: no hits
  kExitUsage = 2,     // bad arguments or a query that cannot be parsed
  kExitLocked = 3,    // another writer holds the index lock (add, compact)
  kExitFatal = 4,     // no index, unwritable index, disk full, I/O error
};

// The exit status for an outcome: the one place where error codes become
// exit statuses (kNotFound 1, kInvalidArgument 2, kLocked 3, other errors 4).
int ExitStatusFor(const Status& status);

// Prints `status`'s message as "fidx: error: ..." and returns its exit
// status. REQUIRES: !status.ok().
int ReportError(const Status& status);

// A Searcher failure as a Status: kBadQuery is kInvalidArgument, kNoIndex
// kNoIndex, anything else kIOError.
Status SearchStatus(SearchError error, const std::string& message);

// The arguments the process was started with, argv[0] first (Main()
// records them).
const std::vector<std::string>& ProgramArgs();

// Thrown by Setup() for bad arguments; main prints it and exits 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Command {
 public:
  virtual ~Command() = default;

  // "add", "search" ...
  virtual const char* Name() const = 0;
  // One line for `fidx --help`.
  virtual const char* Summary() const = 0;
  // "fidx search [options] QUERY..." and any text after the options.
  virtual std::string Usage() const = 0;
  virtual std::string Epilog() const { return ""; }

  // Parses `args` (without the command name). Throws UsageError.
  void Setup(const std::vector<std::string>& args);
  // Performs the command; returns an ExitCode.
  virtual int Run() = 0;

  bool help_requested() const { return help_; }
  // Options given before the command name (`fidx --db DIR search ...`):
  // the index location used when the command has no --db of its own, and
  // the colour mode. Main() sets them before Setup().
  void SetGlobals(const std::string& db, ColorMode color) {
    global_db_ = db;
    color_ = color;
  }
  // Full --help text generated from the option groups.
  std::string Help() const;

 protected:
  // Subclasses declare their options and positional arguments here.
  virtual void AddOptions(boost::program_options::options_description* opts,
                          boost::program_options::positional_options_description* pos,
                          boost::program_options::options_description* hidden) = 0;
  // Validates parsed options; throws UsageError.
  virtual void Validate(const boost::program_options::variables_map& vm) {}

  // Adds --db, shared by every command that opens an index.
  void AddDbOption(boost::program_options::options_description* opts);
  // The index location: --db, else $FIDX_DB, else the XDG data dir.
  std::string DbPath() const;
  // Adds --color=WHEN, for commands that highlight.
  void AddColorOption(boost::program_options::options_description* opts);
  // Whether to colour what goes to file descriptor `fd` (--color, NO_COLOR,
  // a terminal).
  bool UseColor(int fd) const;
  // A hint appended to a usage error's message ("" by default).
  virtual std::string UsageHint(const std::string& error) const { return ""; }

 private:
  bool help_ = false;
  std::string db_;
  std::string global_db_;
  ColorMode color_ = ColorMode::kAuto;
  std::string color_arg_;
};

// Every registered command, in `fidx --help` order.
std::vector<std::unique_ptr<Command>> AllCommands();

// Lowercases an option value, so that enum values are case-insensitive
// (`--sort Newest`).
std::string LowerAscii(std::string s);

// Parses "auto", "always" or "never" (any case); throws UsageError.
ColorMode ParseColorMode(const std::string& value);

// Runs the fidx command line; returns the process exit status.
int Main(int argc, char** argv);

}  // namespace cli
}  // namespace fidx

#endif  // FIDX_CLI_COMMAND_H_

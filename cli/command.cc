#include "command.h"

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace fidx {
namespace cli {

int ExitStatusFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return kExitOk;
    case Status::Code::kNotFound: return kExitPartial;
    case Status::Code::kInvalidArgument: return kExitUsage;
    case Status::Code::kLocked: return kExitLocked;
    case Status::Code::kNoIndex:
    case Status::Code::kIOError:
    case Status::Code::kInterrupted:
    case Status::Code::kUnavailable: break;
  }
  return kExitFatal;
}

Status SearchStatus(SearchError error, const std::string& message) {
  switch (error) {
    case SearchError::kNone: return Status::OK();
    case SearchError::kBadQuery: return Status::InvalidArgument(message);
    case SearchError::kNoIndex: return Status::NoIndex(message);
    default: break;
  }
  return Status::IOError(message);
}

int ReportError(const Status& status) {
  Error(status.message());
  return ExitStatusFor(status);
}

void Command::AddDbOption(po::options_description* opts) {
  opts->add_options()(
      "db", po::value<std::string>(&db_)->value_name("DIR"),
      "index location (default: $FIDX_DB, else "
      "${XDG_DATA_HOME:-~/.local/share}/fidx/index)");
}

std::string Command::DbPath() const {
  if (!db_.empty()) return db_;
  if (!global_db_.empty()) return global_db_;
  if (const char* env = std::getenv("FIDX_DB"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/fidx/index";
  }
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/fidx/index";
}

void Command::AddColorOption(po::options_description* opts) {
  opts->add_options()(
      "color", po::value<std::string>(&color_arg_)->value_name("WHEN"),
      "highlight matches: auto (on a terminal, unless $NO_COLOR is set), always, never");
}

bool Command::UseColor(int fd) const {
  switch (color_) {
    case ColorMode::kAlways: return true;
    case ColorMode::kNever: return false;
    case ColorMode::kAuto: break;
  }
  // https://no-color.org: set and not empty means no colour.
  if (const char* no = std::getenv("NO_COLOR"); no && *no) return false;
  return IsTerminal(fd);
}

std::string LowerAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

ColorMode ParseColorMode(const std::string& value) {
  std::string v = LowerAscii(value);
  if (v == "auto") return ColorMode::kAuto;
  if (v == "always") return ColorMode::kAlways;
  if (v == "never") return ColorMode::kNever;
  throw UsageError("--color must be auto, always or never");
}

void Command::Setup(const std::vector<std::string>& args) {
  po::options_description opts("Options");
  po::options_description hidden;
  po::positional_options_description pos;
  AddOptions(&opts, &pos, &hidden);
  opts.add_options()("help,h", "show this help");
  po::options_description all;
  all.add(opts).add(hidden);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    if (vm.count("help")) {
      help_ = true;
      return;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::string message = e.what();
    throw UsageError(message + UsageHint(message));
  }
  if (!color_arg_.empty()) color_ = ParseColorMode(color_arg_);
  Validate(vm);
}

std::string Command::Help() const {
  po::options_description opts("Options");
  po::options_description hidden;
  po::positional_options_description pos;
  const_cast<Command*>(this)->AddOptions(&opts, &pos, &hidden);
  opts.add_options()("help,h", "show this help");
  std::ostringstream out;
  out << "Usage: " << Usage() << "\n\n" << Summary() << "\n\n" << opts;
  std::string epilog = Epilog();
  if (!epilog.empty()) out << "\n" << epilog;
  return out.str();
}

}  // namespace cli
}  // namespace fidx

// Terminal-aware output helpers shared by the commands.

#ifndef FIDX_CLI_OUTPUT_H_
#define FIDX_CLI_OUTPUT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace fidx {
namespace cli {

// --color=auto|always|never.
enum class ColorMode { kAuto, kAlways, kNever };

// True if file descriptor `fd` is a terminal (and $TERM is not "dumb").
bool IsTerminal(int fd);

// `word` or its plural for a count: "1 filing", "2 filings".
std::string Plural(uint64_t n, const std::string& word);

// Prints "fidx: warning: PATH: MESSAGE" on stderr.
void Warn(std::string_view path, std::string_view message);
// Prints "fidx: error: MESSAGE" on stderr.
void Error(std::string_view message);

}  // namespace cli
}  // namespace fidx

#endif  // FIDX_CLI_OUTPUT_H_

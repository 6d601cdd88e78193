// Terminal-aware output helpers shared by the commands.

#ifndef FIDX_CLI_OUTPUT_H_
#define FIDX_CLI_OUTPUT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fidx {
namespace cli {

// --color=auto|always|never.
enum class ColorMode { kAuto, kAlways, kNever };

// True if file descriptor `fd` is a terminal (and $TERM is not "dumb").
bool IsTerminal(int fd);

// The width of the terminal on `fd`, or 0 if `fd` is not a terminal (then
// nothing is wrapped: pipes and files get one line per item).
int TerminalWidth(int fd);

// Columns `text` takes on a terminal: UTF-8 characters, not bytes, and
// no ANSI escape sequences.
size_t DisplayWidth(std::string_view text);

// `pieces` joined by `separator`, broken into lines of at most `width`
// columns between pieces, never inside one; each line starts with
// `indent` after the first, which starts with `first`. No wrapping when
// `width` is 0. Ends with a newline.
std::string WrapPieces(const std::vector<std::string>& pieces, const std::string& separator,
                       size_t width, const std::string& first, const std::string& indent);

// Words of `text` (split at spaces) wrapped as WrapPieces() does.
std::string WrapWords(std::string_view text, size_t width, const std::string& indent);

// `word` or its plural for a count: "1 filing", "2 filings".
std::string Plural(uint64_t n, const std::string& word);

// Prints "fidx: warning: PATH: MESSAGE" on stderr.
void Warn(std::string_view path, std::string_view message);
// Prints "fidx: error: MESSAGE" on stderr.
void Error(std::string_view message);

}  // namespace cli
}  // namespace fidx

#endif  // FIDX_CLI_OUTPUT_H_

#include "output.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace fidx {
namespace cli {

bool IsTerminal(int fd) {
  if (!::isatty(fd)) return false;
  const char* term = std::getenv("TERM");
  return !(term && std::strcmp(term, "dumb") == 0);
}

int TerminalWidth(int fd) {
  if (!IsTerminal(fd)) return 0;
  struct winsize ws;
  if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* cols = std::getenv("COLUMNS"); cols && std::atoi(cols) > 0) {
    return std::atoi(cols);
  }
  return 80;
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b) {  // a CSI sequence: ESC [ parameters, then a final byte in @..~
      if (i + 1 < text.size() && text[i + 1] == '[') {
        i += 2;
        while (i < text.size() && !(text[i] >= '@' && text[i] <= '~')) ++i;
      }
      continue;
    }
    if ((c & 0xC0) != 0x80) ++width;  // not a UTF-8 continuation byte
  }
  return width;
}

std::string WrapPieces(const std::vector<std::string>& pieces, const std::string& separator,
                       size_t width, const std::string& first, const std::string& indent) {
  std::string out = first;
  size_t column = DisplayWidth(first);
  bool line_empty = true;
  for (const std::string& piece : pieces) {
    size_t w = DisplayWidth(piece);
    if (!line_empty && width > 0 && column + separator.size() + w > width) {
      out += "\n" + indent;
      column = DisplayWidth(indent);
      line_empty = true;
    }
    if (!line_empty) {
      out += separator;
      column += separator.size();
    }
    out += piece;
    column += w;
    line_empty = false;
  }
  return out + "\n";
}

std::string WrapWords(std::string_view text, size_t width, const std::string& indent) {
  std::vector<std::string> words;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find(' ', at);
    if (end == std::string_view::npos) end = text.size();
    if (end > at) words.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return WrapPieces(words, " ", width, indent, indent);
}

std::string Plural(uint64_t n, const std::string& word) {
  return n == 1 ? word : word + "s";
}

void Warn(std::string_view path, std::string_view message) {
  std::string line = "fidx: warning: ";
  line.append(path);
  line.append(": ");
  line.append(message);
  line.push_back('\n');
  std::cerr << line << std::flush;
}

void Error(std::string_view message) {
  std::string line = "fidx: error: ";
  line.append(message);
  line.push_back('\n');
  std::cerr << line << std::flush;
}

}  // namespace cli
}  // namespace fidx

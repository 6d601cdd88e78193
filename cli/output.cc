#include "output.h"

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

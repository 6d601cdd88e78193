// Serve() in `fidx`: replaces the process with `fidx-serve`, installed
// beside it, with the same arguments (serve_run.h says why).

#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "command.h"
#include "output.h"
#include "serve_run.h"

namespace fidx {
namespace cli {

int Serve(ServerOptions) {
  // Beside this very binary, never from the working directory or PATH:
  // another fidx-serve there could be anything.
  char self[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    Error(std::string("fidx serve runs fidx-serve from fidx's own folder, which cannot be "
                      "found (/proc/self/exe: ") + std::strerror(errno) + ")");
    return kExitFatal;
  }
  self[n] = '\0';
  std::string path(self);
  std::string server = path.substr(0, path.rfind('/')) + "/fidx-serve";
  std::vector<char*> argv;
  for (const std::string& arg : ProgramArgs()) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::string argv0 = server;
  if (!argv.empty() && argv[0]) argv[0] = argv0.data();
  ::execv(server.c_str(), argv.data());
  Error("fidx serve runs " + server + ", which cannot be started: " + std::strerror(errno) +
        " (it is built and installed with fidx)");
  return kExitFatal;
}

}  // namespace cli
}  // namespace fidx

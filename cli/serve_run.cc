// Serve() in `fidx-serve`: runs the HTTP server of serve/.

#include <signal.h>

#include <iostream>

#include "command.h"
#include "output.h"
#include "serve_run.h"

namespace fidx {
namespace cli {

namespace {

Server* g_server = nullptr;  // for the signal handler only

extern "C" void StopServer(int) {
  if (g_server) g_server->Stop();
}

}  // namespace

int Serve(ServerOptions options) {
  options.log = [](const std::string& line) { std::cerr << "fidx serve: " << line << "\n"; };
  std::string error;
  auto server = Server::Create(options, &error);
  if (!server || !server->Bind(&error)) {
    Error(error);
    return kExitFatal;
  }
  g_server = server.get();
  signal(SIGINT, StopServer);
  signal(SIGTERM, StopServer);
  std::string host = options.host.find(':') != std::string::npos ? "[" + options.host + "]"
                                                                  : options.host;
  std::cerr << "fidx serve: http://" << host << ":" << server->port() << "/ (index "
            << options.db << "); Ctrl-C stops\n";
  server->Run();
  g_server = nullptr;
  return kExitOk;
}

}  // namespace cli
}  // namespace fidx

// How `fidx serve` serves. The HTTP server (cpp-httplib, built by Debian
// with OpenSSL and Brotli) costs every process that links it about 3 ms of
// library loading and TLS set-up at start, whatever the command: so it
// lives in a second executable, `fidx-serve` (serve_run.cc), and `fidx
// serve` replaces itself with it (serve_exec.cc). Every other command
// starts without it.

#ifndef FIDX_CLI_SERVE_RUN_H_
#define FIDX_CLI_SERVE_RUN_H_

#include "fidx/server.h"

namespace fidx {
namespace cli {

// Serves until SIGINT or SIGTERM; returns an ExitCode. In `fidx` it
// returns only on failure (to run `fidx-serve`).
int Serve(ServerOptions options);

}  // namespace cli
}  // namespace fidx

#endif  // FIDX_CLI_SERVE_RUN_H_

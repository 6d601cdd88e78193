// fidx serve: the search page and JSON API over HTTP (serve/ does the work).

#include "command.h"
#include "fidx/server.h"
#include "serve_run.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

class ServeCommand : public Command {
 public:
  const char* Name() const override { return "serve"; }
  const char* Summary() const override { return "search page and JSON API over HTTP"; }
  std::string Usage() const override { return "fidx serve [options]"; }
  std::string Epilog() const override {
    return "Pages: /  /doc/ACCESSION/SEQUENCE  /help\n"
           "API:   /api/search?q=...  /api/filing/ACCESSION  /api/document/ACCESSION/SEQUENCE\n"
           "       /LATEST/search-index?q=...  (shaped like SEC's full-text search)\n"
           "Read-only; listens on loopback unless --listen says otherwise.\n"
           "Exit status: 0 stopped by a signal; 2 usage; 4 no index, or cannot listen.\n";
  }

  // In `fidx` this replaces the process with `fidx-serve` (serve_exec.cc);
  // in `fidx-serve` it serves (serve_run.cc).
  int Run() override {
    options_.db = DbPath();
    return Serve(options_);
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description*,
                  po::options_description*) override {
    AddDbOption(opts);
    opts->add_options()
        ("listen", po::value<std::string>(&listen_)->default_value("127.0.0.1:8080"),
         "HOST:PORT to listen on (port 0: any free port)")
        ("threads", po::value<int>(&options_.threads)->default_value(4),
         "searches run at once, each with its own database handle")
        ("connections", po::value<int>(&options_.connections)->default_value(64),
         "connections served at once; a slow client holds one, never a search")
        ("client-timeout", po::value<int>(&options_.socket_timeout_seconds)->default_value(10),
         "seconds a client may stay silent while sending a request or reading an answer")
        ("max-page", po::value<uint64_t>(&options_.max_page_size)->default_value(100),
         "most hits one request may ask for")
        ("max-seconds", po::value<double>(&options_.max_search_seconds)->default_value(10),
         "a search (counting, ranking, snippets) running longer than this is stopped (503)");
  }

  void Validate(const po::variables_map&) override {
    size_t colon = listen_.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen_.size()) {
      throw UsageError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
    }
    options_.host = listen_.substr(0, colon);
    if (options_.host.size() > 2 && options_.host.front() == '[' && options_.host.back() == ']') {
      options_.host = options_.host.substr(1, options_.host.size() - 2);
    }
    std::string port = listen_.substr(colon + 1);
    if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
        std::stoi(port) > 65535) {
      throw UsageError("--listen: bad port " + port);
    }
    options_.port = std::stoi(port);
    if (options_.threads < 1 || options_.threads > 256) throw UsageError("--threads: 1 to 256");
    if (options_.socket_timeout_seconds < 1) throw UsageError("--client-timeout: at least 1");
    if (options_.connections < 1 || options_.connections > 4096) {
      throw UsageError("--connections: 1 to 4096");
    }
    if (options_.max_page_size < 1) throw UsageError("--max-page must be at least 1");
  }

 private:
  ServerOptions options_;
  std::string listen_;
};

}  // namespace

std::unique_ptr<Command> MakeServeCommand() { return std::make_unique<ServeCommand>(); }

}  // namespace cli
}  // namespace fidx

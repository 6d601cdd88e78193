// `fidx serve`: a search page and a JSON API over an index, on one HTTP
// port. Read-only; every request is answered from the index and the page's
// own compiled-in assets, never from the filesystem.

#ifndef FIDX_SERVER_H_
#define FIDX_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace fidx {

struct ServerOptions {
  // The index: an fidx index directory, a Xapian database or a stub file.
  std::string db;
  // Address to listen on; loopback unless the caller chooses otherwise.
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port())
  // Searches run at once, each on its own Xapian database (a request
  // waits for one to be free).
  int threads = 4;
  // Connections served at once, each by a thread of its own. A slow client
  // holds one of these while it dribbles its request or reads the answer,
  // never a search thread. Past this many, as many more wait their turn,
  // and beyond those new connections wait in the kernel's listen backlog.
  int connections = 64;
  // Limits. A request over one gets a 4xx answer that says which.
  size_t max_query_bytes = 2000;    // q, after URL-decoding
  uint64_t max_page_size = 100;     // limit= / size=
  double max_search_seconds = 10;   // a search: counting, ranking, snippets
  size_t max_request_bytes = 8192;  // request body (searches are GETs)
  int socket_timeout_seconds = 10;  // a client silent this long is dropped
  // Receives diagnostics (one line each, no newline). May be empty.
  std::function<void(const std::string&)> log;
};

class Server {
 public:
  // Checks that the index opens; false with *error if it does not.
  static std::unique_ptr<Server> Create(const ServerOptions& options, std::string* error);
  ~Server();

  // Binds the address; false with *error if it cannot (in use, bad host).
  bool Bind(std::string* error);
  // The port bound (useful with port 0). REQUIRES: Bind() succeeded.
  int port() const;
  // Serves until Stop() is called (from another thread or a signal).
  void Run();
  void Stop();

 private:
  class Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fidx

#endif  // FIDX_SERVER_H_

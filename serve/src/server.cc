#include "fidx/server.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "assets.h"
#include "fidx/parser.h"
#include "fidx/filing_view.h"
#include "fidx/result_json.h"
#include "fidx/search.h"
#include "pages.h"
#include "request.h"
#include "sec_api.h"

namespace fidx {

namespace {

using serve::Params;

// No inline script or style anywhere: assets come from /static only, and
// nothing is framed, submitted elsewhere or fetched from another origin.
constexpr char kCsp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

Params ToParams(const httplib::Request& req) {
  return Params(req.params.begin(), req.params.end());
}

void SendJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json; charset=utf-8");
}

// The time a search took in the server (reading the request, searching,
// the answer's JSON), as a Server-Timing header: browsers' developer tools
// show it, and scripts/bench/serve_load.py reports its percentiles beside
// the latency its clients see.
void SetServerTiming(httplib::Response& res, std::chrono::steady_clock::time_point start) {
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char value[64];
  std::snprintf(value, sizeof value, "search;dur=%.3f", ms);
  res.set_header("Server-Timing", value);
}

void SendJsonError(httplib::Response& res, int status, const std::string& message) {
  nlohmann::json j = {{"error", message}, {"status", status}};
  SendJson(res, status, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void SendHtml(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "text/html; charset=utf-8");
}

int StatusFor(SearchError e) {
  switch (e) {
    case SearchError::kNone: return 200;
    case SearchError::kBadQuery: return 400;
    case SearchError::kTimeLimit: return 503;
    default: return 500;
  }
}

// Searchers for up to `size` searches at once: Xapian databases are not
// shared between threads, so a request borrows one for its work and gives
// it back. Connection threads (many, mostly waiting on slow clients) never
// hold a database while they read a request or write an answer.
class SearcherPool {
 public:
  SearcherPool(std::string db, int size) : db_(std::move(db)), size_(size) {}

  // A borrowed searcher, returned to the pool when it goes out of scope.
  class Lease {
   public:
    Lease(SearcherPool* pool, std::unique_ptr<Searcher> s) : pool_(pool), s_(std::move(s)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (s_) pool_->Return(std::move(s_));
    }
    Searcher* get() const { return s_.get(); }
    explicit operator bool() const { return s_ != nullptr; }
    Searcher* operator->() const { return s_.get(); }

   private:
    SearcherPool* pool_;
    std::unique_ptr<Searcher> s_;
  };

  // Waits for a free searcher (opening a new one while fewer than `size`
  // exist) and brings it to the index's latest commit: cheap when nothing
  // changed, one read of the database's version. Empty, with *error, if
  // the index cannot be opened.
  Lease Acquire(std::string* error) {
    std::unique_ptr<Searcher> s;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !free_.empty() || open_ < size_; });
      if (!free_.empty()) {
        s = std::move(free_.back());
        free_.pop_back();
      } else {
        ++open_;
      }
    }
    if (!s) {
      std::vector<std::string> warnings;
      s = Searcher::Open(db_, false, error, &warnings);
      if (s) s->EnableFilingTable();  // long-lived: worth its build
    } else if (!s->Refresh(error)) {
      s.reset();
    }
    if (!s) Forget();
    return Lease(this, std::move(s));
  }

 private:
  void Return(std::unique_ptr<Searcher> s) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(s));
    cv_.notify_one();
  }
  // A searcher that could not be opened or refreshed: its place is free.
  void Forget() {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
    cv_.notify_one();
  }

  const std::string db_;
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Searcher>> free_;
  int open_ = 0;  // searchers in existence, free or lent
};

// httplib's ThreadPool with a bounded queue: past `threads` connections
// being served and as many waiting, the accepting thread waits for room,
// so further clients wait in the kernel's listen backlog instead of
// piling up open sockets and memory here (silent clients cannot make the
// server hold thousands of connections).
class BoundedPool : public httplib::TaskQueue {
 public:
  explicit BoundedPool(size_t threads) : max_queued_(threads) {
    for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~BoundedPool() override = default;

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [this] { return jobs_.size() < max_queued_ || shutdown_; });
    jobs_.push_back(std::move(fn));
    work_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      shutdown_ = true;
    }
    work_.notify_all();
    room_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

 private:
  void Work() {
    while (true) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_.wait(lock, [this] { return !jobs_.empty() || shutdown_; });
        if (jobs_.empty()) return;  // shut down, nothing left
        fn = std::move(jobs_.front());
        jobs_.pop_front();
        room_.notify_one();
      }
      fn();
    }
  }

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable work_, room_;
  std::deque<std::function<void()>> jobs_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace

class Server::Impl {
 public:
  explicit Impl(ServerOptions o)
      : options(std::move(o)), searchers(options.db, std::max(1, options.threads)) {}

  ServerOptions options;
  SearcherPool searchers;
  httplib::Server http;
  int bound_port = 0;

  void Log(const std::string& line) const {
    if (options.log) options.log(line);
  }
  void Routes();

  // Runs `o` on a searcher of the pool; returns the HTTP status.
  int Search(SearchOptions o, SearchResult* r, std::string* error);

  void HandlePage(const httplib::Request& req, httplib::Response& res);
  void HandleDocument(const httplib::Request& req, httplib::Response& res);
  void HandleApiSearch(const httplib::Request& req, httplib::Response& res);
  void HandleApiFiling(const httplib::Request& req, httplib::Response& res);
  void HandleApiDocument(const httplib::Request& req, httplib::Response& res);
  void HandleSec(const httplib::Request& req, httplib::Response& res);
};

int Server::Impl::Search(SearchOptions o, SearchResult* r, std::string* error) {
  SearcherPool::Lease s = searchers.Acquire(error);
  if (!s) return 500;
  o.time_limit = options.max_search_seconds;
  return StatusFor(s->Search(o, r, error));
}

void Server::Impl::HandlePage(const httplib::Request& req, httplib::Response& res) {
  serve::PageState state;
  std::string error;
  Params params = ToParams(req);
  if (!serve::ReadPageState(params, options, &state, &error)) {
    return SendHtml(res, 400, serve::SearchPage(state, nullptr, error));
  }
  if (req.params.find("q") == req.params.end() && state.filters.empty()) {
    // The front page: no search yet; the index's size and facets.
    SearchResult all;
    SearchOptions o;
    o.query = "*";
    o.limit = 0;
    o.snippets = false;
    o.facets = true;
    int status = Search(o, &all, &error);
    if (status != 200) return SendHtml(res, status, serve::SearchPage(state, nullptr, error));
    return SendHtml(res, 200, serve::FrontPage(all));
  }
  SearchOptions o;
  o.query = serve::ComposeQuery(state);
  o.limit = state.page_size;
  o.offset = (state.page - 1) * state.page_size;
  o.sort = state.sort == "newest" ? SortOrder::kNewest
           : state.sort == "oldest" ? SortOrder::kOldest : SortOrder::kRelevance;
  o.facets = true;
  SearchResult r;
  int status = Search(o, &r, &error);
  if (status != 200) return SendHtml(res, status, serve::SearchPage(state, nullptr, error));
  SendHtml(res, 200, serve::SearchPage(state, &r, ""));
}

void Server::Impl::HandleDocument(const httplib::Request& req, httplib::Response& res) {
  std::string key = req.matches[1];
  int sequence = std::atoi(std::string(req.matches[2]).c_str());
  std::string q = req.get_param_value("q");
  if (q.size() > options.max_query_bytes) {
    return SendHtml(res, 400, serve::ErrorPage(400, "the query is too long"));
  }
  std::string error;
  SearcherPool::Lease s = searchers.Acquire(&error);
  if (!s) return SendHtml(res, 500, serve::ErrorPage(500, error));
  std::string accession = NormalizeAccession(key);
  if (accession.empty()) accession = key;
  Searcher::FilingDocuments filing;
  Searcher::DocumentText doc;
  if (!s->GetFiling(accession, &filing, &error) ||
      !s->GetDocumentText(accession, sequence, q == "*" ? "" : q, &doc, &error)) {
    if (!error.empty()) return SendHtml(res, 400, serve::ErrorPage(400, error));
    return SendHtml(res, 404, serve::ErrorPage(404, key + " has no document " +
                                                        std::to_string(sequence) + " in the index"));
  }
  SendHtml(res, 200, serve::DocumentPage(filing, doc, q, req.get_param_value("back")));
}

void Server::Impl::HandleApiSearch(const httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  Params params = ToParams(req);
  serve::PageState state;
  std::string error;
  if (!serve::ReadPageState(params, options, &state, &error)) return SendJsonError(res, 400, error);
  SearchOptions o;
  o.query = serve::ComposeQuery(state);
  if (serve::Param(params, "q").find_first_not_of(" \t") == std::string::npos &&
      state.filters.empty() && state.date_range.empty()) {
    return SendJsonError(res, 400, "no query: give q (q=* for every filing)");
  }
  char* end = nullptr;
  std::string limit = serve::Param(params, "limit", "10");
  std::string offset = serve::Param(params, "offset", "0");
  o.limit = std::strtoull(limit.c_str(), &end, 10);
  if (*end || limit.empty() || o.limit > options.max_page_size) {
    return SendJsonError(res, 400, "limit must be a number from 0 to " +
                                       std::to_string(options.max_page_size));
  }
  o.offset = std::strtoull(offset.c_str(), &end, 10);
  if (*end || offset.empty() || offset[0] == '-') {
    return SendJsonError(res, 400, "offset must be a number from 0");
  }
  if (!params.count("page")) {
    // offset= is the API's paging; page= the page's (20 per page).
  } else {
    o.offset = (state.page - 1) * o.limit;
  }
  o.sort = state.sort == "newest" ? SortOrder::kNewest
           : state.sort == "oldest" ? SortOrder::kOldest : SortOrder::kRelevance;
  auto flag = [&](const char* name, bool fallback) {
    std::string v = serve::Param(params, name, fallback ? "1" : "0");
    return v == "1" || v == "true" || v == "yes";
  };
  o.facets = flag("facets", false);
  o.per_document = flag("per_document", false);
  o.snippets = flag("snippets", true);
  SearchResult r;
  int status = Search(o, &r, &error);
  if (status != 200) return SendJsonError(res, status, error);
  std::string body = SearchResultJson(r, o);
  SetServerTiming(res, start);
  SendJson(res, 200, body);
}

void Server::Impl::HandleApiFiling(const httplib::Request& req, httplib::Response& res) {
  std::string key = req.matches[1];
  std::string error;
  SearcherPool::Lease s = searchers.Acquire(&error);
  if (!s) return SendJsonError(res, 500, error);
  std::string accession = NormalizeAccession(key);
  if (accession.empty()) accession = key;
  Searcher::FilingDocuments filing;
  if (!s->GetFiling(accession, &filing, &error)) {
    if (!error.empty()) return SendJsonError(res, 500, error);
    return SendJsonError(res, 404, key + " is not in the index");
  }
  SendJson(res, 200, cli::ShowJson(filing, /*with_text=*/false));
}

void Server::Impl::HandleApiDocument(const httplib::Request& req, httplib::Response& res) {
  std::string key = req.matches[1];
  int sequence = std::atoi(std::string(req.matches[2]).c_str());
  std::string q = req.get_param_value("q");
  if (q.size() > options.max_query_bytes) return SendJsonError(res, 400, "the query is too long");
  std::string error;
  SearcherPool::Lease s = searchers.Acquire(&error);
  if (!s) return SendJsonError(res, 500, error);
  std::string accession = NormalizeAccession(key);
  if (accession.empty()) accession = key;
  Searcher::DocumentText doc;
  if (!s->GetDocumentText(accession, sequence, q == "*" ? "" : q, &doc, &error)) {
    if (!error.empty()) return SendJsonError(res, 400, error);
    return SendJsonError(res, 404, key + " has no document " + std::to_string(sequence));
  }
  nlohmann::ordered_json j;
  j["filing_key"] = doc.filing_key;
  j["sequence"] = doc.document.sequence;
  j["type"] = doc.document.type;
  j["filename"] = doc.document.filename;
  j["description"] = doc.document.description;
  j["matches"] = doc.matches;
  j["text"] = SnippetHtml(doc.text);
  SendJson(res, 200, j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

void Server::Impl::HandleSec(const httplib::Request& req, httplib::Response& res) {
  auto start = std::chrono::steady_clock::now();
  SearchOptions o;
  std::string error;
  if (!serve::ReadSecRequest(ToParams(req), options, &o, &error)) {
    return SendJsonError(res, 400, error);
  }
  SearchResult r;
  int status = Search(o, &r, &error);
  if (status != 200) return SendJsonError(res, status, error);
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  SendJson(res, 200, serve::SecResponseJson(r, o, took.count()));
}

void Server::Impl::Routes() {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  http.set_default_headers({{"Content-Security-Policy", kCsp},
                            {"X-Content-Type-Options", "nosniff"},
                            {"Referrer-Policy", "no-referrer"},
                            {"X-Frame-Options", "DENY"}});
  // Answers come from an index that changes under them: not cached, but
  // for the assets (httplib adds default headers even when set).
  http.set_post_routing_handler([](Req, Res s) {
    if (!s.has_header("Cache-Control")) s.set_header("Cache-Control", "no-store");
  });
  http.Get("/", [this](Req q, Res s) { HandlePage(q, s); });
  http.Get("/help", [](Req, Res s) { SendHtml(s, 200, serve::HelpPage()); });
  http.Get(R"(/doc/([A-Za-z0-9:\-]{1,64})/(\d{1,6}))",
           [this](Req q, Res s) { HandleDocument(q, s); });
  http.Get("/api/search", [this](Req q, Res s) { HandleApiSearch(q, s); });
  http.Get(R"(/api/filing/([A-Za-z0-9:\-]{1,64}))", [this](Req q, Res s) { HandleApiFiling(q, s); });
  http.Get(R"(/api/document/([A-Za-z0-9:\-]{1,64})/(\d{1,6}))",
           [this](Req q, Res s) { HandleApiDocument(q, s); });
  http.Get("/LATEST/search-index", [this](Req q, Res s) { HandleSec(q, s); });
  for (const serve::Asset& a : serve::Assets()) {
    std::string path = std::string("/static/") + a.name;
    http.Get(path, [a](Req, Res s) {
      s.set_content(a.data, a.size, a.content_type);
      s.set_header("Cache-Control", "max-age=3600");
    });
  }
  // Read-only: every other method is refused.
  auto refuse = [](Req, Res s) {
    s.status = 405;
    s.set_header("Allow", "GET, HEAD");
    s.set_content("{\"error\":\"read-only: only GET and HEAD\",\"status\":405}",
                  "application/json; charset=utf-8");
  };
  http.Post(".*", refuse);
  http.Put(".*", refuse);
  http.Patch(".*", refuse);
  http.Delete(".*", refuse);
  http.Options(".*", refuse);
  http.set_error_handler([](Req q, Res s) {
    if (!s.body.empty()) return;
    std::string message = s.status == 404 ? "no such page: " + q.path
                          : s.status == 413 ? "the request is too large"
                          : s.status == 414 ? "the URL is too long"
                                            : "bad request";
    if (q.path.rfind("/api/", 0) == 0 || q.path.rfind("/LATEST/", 0) == 0) {
      SendJsonError(s, s.status, message);
    } else {
      std::string status = std::to_string(s.status);
      s.set_content(serve::ErrorPage(s.status, message), "text/html; charset=utf-8");
    }
  });
  http.set_exception_handler([this](Req q, Res s, std::exception_ptr e) {
    std::string what = "internal error";
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
    }
    Log("error: " + q.path + ": " + what);
    SendJsonError(s, 500, what);
  });
  http.set_payload_max_length(options.max_request_bytes);
  http.set_read_timeout(options.socket_timeout_seconds, 0);
  http.set_write_timeout(options.socket_timeout_seconds, 0);
  http.set_keep_alive_timeout(5);
  // cpp-httplib's default sets SO_REUSEPORT, which lets a second server
  // bind a port already served (the two then split its connections)
  // instead of failing with "in use": SO_REUSEADDR only, as a server would.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // A response goes out in more than one write (headers, then body): with
  // Nagle's algorithm its last segment waits for the client's delayed ACK,
  // 40 ms on Linux, on every request of a kept-alive connection after the
  // first few. Accepted sockets inherit the listening socket's TCP_NODELAY.
  http.set_tcp_nodelay(true);
  int connections = std::max(1, options.connections);
  http.new_task_queue = [connections] {
    return new BoundedPool(static_cast<size_t>(connections));
  };
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

std::unique_ptr<Server> Server::Create(const ServerOptions& options, std::string* error) {
  std::vector<std::string> warnings;
  if (!Searcher::Open(options.db, false, error, &warnings)) return nullptr;
  auto impl = std::make_unique<Impl>(options);
  impl->Routes();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

bool Server::Bind(std::string* error) {
  if (impl_->options.port == 0) {
    impl_->bound_port = impl_->http.bind_to_any_port(impl_->options.host);
  } else if (impl_->http.bind_to_port(impl_->options.host, impl_->options.port)) {
    impl_->bound_port = impl_->options.port;
  }
  if (impl_->bound_port <= 0) {
    *error = "cannot listen on " + impl_->options.host + ":" +
             std::to_string(impl_->options.port) + " (in use, or not an address of this machine)";
    return false;
  }
  return true;
}

int Server::port() const { return impl_->bound_port; }
void Server::Run() { impl_->http.listen_after_bind(); }
void Server::Stop() { impl_->http.stop(); }

}  // namespace fidx

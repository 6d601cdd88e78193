// End-to-end: `fidx serve` over the bundled corpus. Its API answers what the
// command line answers, its SEC-shaped endpoint answers in SEC's shape, it
// serves nothing but the index and its own assets, it is read-only, every
// limit gives a clear error, and it sees filings `fidx add` commits while
// it runs.

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_runner.h"
#include "test_paths.h"

using fidx_test::Process;
using fidx_test::RunFidx;
using fidx_test::Source;
using fidx_test::TempDir;
using nlohmann::json;

namespace {

// `fidx serve` on a free loopback port, stopped at scope exit.
class Served {
 public:
  explicit Served(const std::string& db, std::vector<std::string> extra = {})
      : port_(fidx_test::FreePort()),
        process_(Argv(db, port_, std::move(extra)), log_ / "serve.err"),
        client_("127.0.0.1", port_) {
    REQUIRE(fidx_test::WaitForPort(port_));
    client_.set_read_timeout(30, 0);
    // Paths go out exactly as written: tests encode them themselves.
    client_.set_url_encode(false);
  }
  httplib::Client& client() { return client_; }
  int port() const { return port_; }
  int pid() const { return process_.pid(); }
  // What the server wrote to stderr (its log, a sanitizer's report).
  std::string Log() const {
    std::ifstream in(log_ / "serve.err");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // GET `path`; REQUIREs an answer.
  httplib::Result Get(const std::string& path) {
    auto r = client_.Get(path);
    if (!r) {
      FAIL(path << ": no answer (" << httplib::to_string(r.error())
                << "); the server's stderr:\n" << Log());
    }
    return r;
  }
  json GetJson(const std::string& path, int status = 200) {
    auto r = Get(path);
    INFO(path << " -> " << r->status << " " << r->body.substr(0, 300));
    CHECK(r->status == status);
    CHECK_THAT(r->get_header_value("Content-Type"), Catch::StartsWith("application/json"));
    return json::parse(r->body);
  }

 private:
  static std::vector<std::string> Argv(const std::string& db, int port,
                                       std::vector<std::string> extra) {
    std::vector<std::string> argv = {fidx_test::kFidxBinary, "serve", "--db", db, "--listen",
                                     "127.0.0.1:" + std::to_string(port)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  TempDir log_;
  int port_;
  Process process_;
  httplib::Client client_;
};

std::string IndexCorpus(const TempDir& dir) {
  std::string db = dir / "index";
  auto add = RunFidx({"add", "--quiet", Source("corpus")}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  return db;
}

json CliJson(const std::string& db, std::vector<std::string> args) {
  auto r = RunFidx(args, db);
  INFO(r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return r.Json();
}

}  // namespace

TEST_CASE("serve: /api/search answers exactly what fidx search --json prints", "[e2e][serve]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  Served s(db);
  struct Row {
    const char* url;
    std::vector<std::string> cli;
  };
  const Row rows[] = {
      {"/api/search?q=orphan+drug&facets=1",
       {"search", "--json", "--facets", "orphan drug"}},
      {"/api/search?q=*&limit=3&offset=2&sort=newest",
       {"search", "--json", "-n", "3", "--offset", "2", "--sort", "newest", "*"}},
      {"/api/search?q=*&per_document=1&facets=1&snippets=0&limit=100",
       {"search", "--json", "--per-document", "--facets", "--no-snippets", "-n", "100", "*"}},
      // A facet click is the same filter typed into the query.
      {"/api/search?q=*&f=form%3ASC%2013G%2FA&facets=1",
       {"search", "--json", "--facets", "* form:\"SC 13G/A\""}},
      {"/api/search?q=nothingmatchesthisword", {"search", "--json", "nothingmatchesthisword"}},
  };
  for (const Row& row : rows) {
    INFO(row.url);
    json served = s.GetJson(row.url), printed = CliJson(db, row.cli);
    INFO("difference: " << json::diff(printed, served).dump());
    CHECK(served == printed);
  }
  CHECK(s.GetJson("/api/search?q=*&f=form%3ASC%2013G%2FA")["total"] == 1);
  // How long the search took in the server (developer tools show it;
  // scripts/bench/serve_load.py reports its percentiles).
  auto timed = s.Get("/api/search?q=orphan+drug");
  REQUIRE(timed);
  const std::string timing = timed->get_header_value("Server-Timing");
  REQUIRE(timing.rfind("search;dur=", 0) == 0);
  const double ms = std::stod(timing.substr(std::string("search;dur=").size()));
  CHECK(ms > 0);
  CHECK(ms < 10000);
}

TEST_CASE("serve: /api/filing answers as fidx show --json; unknown filings are 404",
          "[e2e][serve]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  Served s(db);
  for (const char* accession : {"0001144204-17-013452", "0000019617-24-000012"}) {
    INFO(accession);
    CHECK(s.GetJson(std::string("/api/filing/") + accession) ==
          CliJson(db, {"show", "--json", accession}));
  }
  // Dashes are optional, as on the command line.
  CHECK(s.GetJson("/api/filing/000114420417013452")["accession"] ==
        "0001144204-17-013452");
  json missing = s.GetJson("/api/filing/0000000000-00-000000", 404);
  CHECK_THAT(missing["error"].get<std::string>(), Catch::Contains("not in the index"));
  // A header-less file is reachable by its filing key.
  json loose = s.GetJson("/api/search?q=cellectar+comment&limit=100");
  std::string key;
  for (const json& h : loose["hits"]) {
    if (h["accession"].is_null()) key = h["filing_key"];
  }
  REQUIRE_THAT(key, Catch::StartsWith("path:"));
  json filing = s.GetJson("/api/filing/" + key);
  CHECK(filing["accession"].is_null());
  CHECK(filing["documents"].size() == 1);
  json text = s.GetJson("/api/document/" + key + "/" +
                        std::to_string(filing["documents"][0]["sequence"].get<int>()) + "?q=cellectar");
  CHECK(text["matches"].get<int>() > 0);
  CHECK_THAT(text["text"].get<std::string>(), Catch::Contains("<mark>"));
}

TEST_CASE("serve: /LATEST/search-index answers in the shape SEC's clients parse",
          "[e2e][serve][sec]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  Served s(db);
  json r = s.GetJson("/LATEST/search-index?q=%22orphan%20drug%22&forms=8-K");
  json docs = CliJson(db, {"search", "--json", "--per-document", "-n", "100", "\"orphan drug\" form:8-K"});
  CHECK(r["hits"]["total"]["value"] == docs["total"]);
  CHECK(r["hits"]["total"]["relation"] == "eq");
  REQUIRE(r["hits"]["hits"].size() == 1);
  json hit = r["hits"]["hits"][0];
  CHECK(hit["_id"] == "0001144204-17-013452:v461435_ex99-1.htm");
  json src = hit["_source"];
  CHECK(src["ciks"] == json::array({"0001279704"}));
  CHECK(src["display_names"] == json::array({"Cellectar Biosciences, Inc.  (CIK 0001279704)"}));
  CHECK(src["form"] == "8-K");
  CHECK(src["root_forms"] == json::array({"8-K"}));
  CHECK(src["file_date"] == "2017-03-08");
  CHECK(src["period_ending"] == "2017-03-08");
  CHECK(src["adsh"] == "0001144204-17-013452");
  CHECK(src["file_type"] == "EX-99.1");
  CHECK(src["file_description"] == "EXHIBIT 99.1");
  CHECK(src["sics"] == json::array({"2834"}));
  CHECK(src["biz_states"] == json::array({"WI"}));
  CHECK(src["biz_locations"] == json::array({"MADISON, WI"}));
  CHECK(src["inc_states"] == json::array({"DE"}));
  CHECK(src["items"] == json::array({"7.01", "9.01"}));
  for (const char* agg : {"form_filter", "entity_filter", "sic_filter", "biz_states_filter",
                          "inc_states_filter"}) {
    INFO(agg);
    CHECK(r["aggregations"][agg]["buckets"].is_array());
  }
  CHECK(r["aggregations"]["form_filter"]["buckets"][0] == json({{"key", "8-K"}, {"doc_count", 1}}));

  // An SC 13G/A: the subject company comes first, as SEC's ciks[0].
  json sc = s.GetJson("/LATEST/search-index?q=*&forms=SC%2013G/A")["hits"]["hits"][0]["_source"];
  CHECK(sc["ciks"] == json::array({"0000034903", "0000019617"}));
  CHECK(sc["root_forms"] == json::array({"SC 13G"}));

  // Filters: ciks (10 digits), dates, exclusions, category, paging.
  json every = s.GetJson("/LATEST/search-index?q=*");
  uint64_t documents = CliJson(db, {"search", "--json", "--per-document", "-n", "0", "*"})["total"];
  CHECK(every["hits"]["total"]["value"] == documents);
  CHECK(s.GetJson("/LATEST/search-index?ciks=0001279704")["hits"]["total"]["value"] ==
        CliJson(db, {"search", "--json", "--per-document", "-n", "0", "* cik:1279704"})["total"]);
  CHECK(s.GetJson("/LATEST/search-index?q=*&dateRange=custom&startdt=2024-01-01&enddt=2024-12-31")
            ["hits"]["total"]["value"] ==
        CliJson(db, {"search", "--json", "--per-document", "-n", "0", "* filed:2024"})["total"]);
  CHECK(s.GetJson("/LATEST/search-index?q=*&forms=-8-K")["hits"]["total"]["value"] ==
        CliJson(db, {"search", "--json", "--per-document", "-n", "0", "* -form:8-K"})["total"]);
  CHECK(s.GetJson("/LATEST/search-index?q=*&category=form-cat2")["hits"]["total"]["value"] ==
        CliJson(db, {"search", "--json", "--per-document", "-n", "0", "* form:4"})["total"]);
  CHECK(s.GetJson("/LATEST/search-index?q=*&category=form-cat0")["hits"]["total"]["value"] ==
        CliJson(db, {"search", "--json", "--per-document", "-n", "0", "* -category:insider"})["total"]);
  CHECK(s.GetJson("/LATEST/search-index?q=*&category=form-cat3")["hits"]["total"]["value"] ==
        CliJson(db, {"search", "--json", "--per-document", "-n", "0", "* category:ownership"})["total"]);
  // Business location by default (Cellectar is in Madison, WI), the state
  // of incorporation on request.
  json located = s.GetJson("/LATEST/search-index?q=*&locationCodes=WI");
  CHECK(located["hits"]["total"]["value"] ==
        CliJson(db, {"search", "--json", "--per-document", "-n", "0", "* location:WI"})["total"]);
  CHECK(located["hits"]["hits"][0]["_source"]["biz_states"] == json::array({"WI"}));
  CHECK(s.GetJson("/LATEST/search-index?q=*&locationCodes=DE&locationType=incorporated")
            ["hits"]["total"]["value"] ==
        CliJson(db, {"search", "--json", "--per-document", "-n", "0", "* state:DE"})["total"]);
  CHECK_THAT(s.GetJson("/LATEST/search-index?q=*&category=form-cat99", 400)["error"].get<std::string>(),
             Catch::Contains("form-cat0 ... form-cat10"));
  json page2 = s.GetJson("/LATEST/search-index?q=*&size=2&page=2");
  json from2 = s.GetJson("/LATEST/search-index?q=*&size=2&from=2");
  CHECK(page2["hits"]["hits"] == from2["hits"]["hits"]);
  CHECK(page2["hits"]["hits"].size() == 2);
  CHECK(s.GetJson("/LATEST/search-index?q=*&size=100000")["query"]["size"] == 100);

  json blank = s.GetJson("/LATEST/search-index?q=", 400);
  CHECK_THAT(blank["error"].get<std::string>(), Catch::Contains("Blank search not valid"));
  CHECK_THAT(s.GetJson("/LATEST/search-index?ciks=abc", 400)["error"].get<std::string>(),
             Catch::Contains("not a CIK"));
  CHECK_THAT(s.GetJson("/LATEST/search-index?q=x&startdt=2024-13", 400)["error"].get<std::string>(),
             Catch::Contains("startdt"));
}

TEST_CASE("serve: a facet with many values lists its top 50 on the page, all of them in the API",
          "[e2e][serve][page]") {
  // 60 companies: company 1 filed 4 times, the others once each. At 100,000
  // filings a common word has 11,057 companies; listing them all made the
  // page 1.5 MB.
  TempDir dir;
  int n = 0;
  for (int company = 1; company <= 60; ++company) {
    for (int copy = 0; copy < (company == 1 ? 4 : 1); ++copy) {
      char acc[32], cik[16];
      std::snprintf(acc, sizeof acc, "0000950123-20-%06d", ++n);
      std::snprintf(cik, sizeof cik, "%010d", 1000 + company);
      std::ostringstream filing;
      filing << "<SEC-DOCUMENT>" << acc << ".txt : 20200101\n<SEC-HEADER>" << acc
          << ".hdr.sgml : 20200101\nACCESSION NUMBER:\t\t" << acc
          << "\nCONFORMED SUBMISSION TYPE:\t8-K\nPUBLIC DOCUMENT COUNT:\t\t1\n"
             "FILED AS OF DATE:\t\t20200101\n\nFILER:\n\n\tCOMPANY DATA:\t\n"
             "\t\tCOMPANY CONFORMED NAME:\t\t\tCOMPANY " << company << " INC\n"
             "\t\tCENTRAL INDEX KEY:\t\t\t" << cik << "\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>8-K\n"
             "<SEQUENCE>1\n<FILENAME>a.txt\n<TEXT>\nQuarterly revenue grew.\n</TEXT>\n"
             "</DOCUMENT>\n</SEC-DOCUMENT>\n";
      fidx_test::WriteFile(dir / "filings/" + std::string(acc) + ".txt", filing.str());
    }
  }
  const std::string db = dir / "index";
  auto add = RunFidx({"add", "--quiet", dir / "filings"}, db);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  Served s(db);
  json api = s.GetJson("/api/search?q=revenue&facets=1&limit=0");
  CHECK(api["total"] == 63);
  CHECK(api["facets"]["cik"].size() == 60);
  CHECK(api["facets"]["cik"]["1001"] == 4);

  auto page = s.Get("/?q=revenue");
  REQUIRE(page->status == 200);
  const std::string& body = page->body;
  size_t from = body.find("data-facet=\"cik\"");
  REQUIRE(from != std::string::npos);
  const std::string box = body.substr(from, body.find("</section>", from) - from);
  size_t items = 0;
  for (size_t at = box.find("<li"); at != std::string::npos; at = box.find("<li", at + 1)) ++items;
  CHECK(items == 50);
  // The most frequent first, with its exact count; 8 in view, the rest of
  // the 50 behind "more"; the other 10 named by count and linked as JSON.
  CHECK(box.find("COMPANY 1 INC</span><span class=\"n\">4</span>") < box.find("<summary>"));
  CHECK_THAT(box, Catch::Contains("<summary>52 more</summary>"));
  CHECK_THAT(box, Catch::Contains("10 more, fewer filings each: <a href=\"/api/search?q=revenue&amp;facets=1&amp;limit=0\">all as JSON</a>"));
  CHECK(body.size() < 100 * 1024);
}

TEST_CASE("serve: serves only its pages, its assets and the index", "[e2e][serve][security]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  // A symlink to a secret inside the index directory and beside it.
  fidx_test::WriteFile(dir / "secret.txt", "root:x:0:0 TOPSECRETCONTENT");
  std::filesystem::create_symlink(dir / "secret.txt", db + "/leak");
  Served s(db);
  for (const char* path :
       {"/../secret.txt", "/static/../../secret.txt", "/static/..%2f..%2fsecret.txt",
        "/static/%2e%2e/%2e%2e/etc/passwd", "/doc/..%2f..%2fetc%2fpasswd/1", "//etc/passwd",
        "/etc/passwd", "/leak", "/static/leak", "/index/leak", "/api/filing/..%2F..%2Fleak",
        "/api/filing/%2Fetc%2Fpasswd", "/doc/leak/1", "/static/app.css/../../leak",
        "/api/document/0001144204-17-013452/1/../../../leak"}) {
    INFO(path);
    auto r = s.Get(path);
    CHECK((r->status == 404 || r->status == 400));
    CHECK(r->body.find("root:") == std::string::npos);
    CHECK(r->body.find("TOPSECRETCONTENT") == std::string::npos);
  }
  // Every answer carries a policy that forbids inline script.
  for (const char* path : {"/", "/?q=orphan", "/static/app.js", "/api/search?q=x", "/nothing"}) {
    INFO(path);
    auto r = s.Get(path);
    std::string csp = r->get_header_value("Content-Security-Policy");
    CHECK_THAT(csp, Catch::Contains("script-src 'self'"));
    CHECK_THAT(csp, Catch::Contains("default-src 'none'"));
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
    // Answers from a changing index are not cached; the assets may be.
    CHECK(r->get_header_value_count("Cache-Control") == 1);
    CHECK(r->get_header_value("Cache-Control") ==
          (std::string(path).rfind("/static/", 0) == 0 ? "max-age=3600" : "no-store"));
  }
  auto css = s.Get("/static/app.css");
  CHECK(css->status == 200);
  CHECK_THAT(css->get_header_value("Content-Type"), Catch::StartsWith("text/css"));
  // Pages hold no inline script and name no other host.
  auto page = s.Get("/?q=orphan+drug");
  CHECK(page->status == 200);
  CHECK(page->body.find("<script>") == std::string::npos);
  CHECK(page->body.find("<script src=\"/static/app.js\" defer></script>") != std::string::npos);
  CHECK(page->body.find("//cdn") == std::string::npos);
  CHECK(page->body.find("https://fonts") == std::string::npos);
}

TEST_CASE("serve: read-only, loopback by default", "[e2e][serve][security]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  Served s(db);
  CHECK(s.client().Post("/api/search", "q=x", "application/x-www-form-urlencoded")->status == 405);
  CHECK(s.client().Put("/", "x", "text/plain")->status == 405);
  CHECK(s.client().Delete("/api/filing/0001144204-17-013452")->status == 405);
  CHECK(s.GetJson("/api/filing/0001144204-17-013452")["form"] == "8-K");
  auto help = RunFidx({"serve", "--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("127.0.0.1:8080"));
  auto bad = RunFidx({"serve", "--listen", "8080"}, db);
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("HOST:PORT"));
  auto none = RunFidx({"serve", "--listen", "127.0.0.1:0"}, dir / "no-index-here");
  CHECK(none.exit_code == 4);
  // A port already served is refused, not shared (SO_REUSEPORT would let
  // the second server take half the first one's connections).
  auto taken = RunFidx({"serve", "--listen", "127.0.0.1:" + std::to_string(s.port())}, db);
  CHECK(taken.exit_code == 4);
  CHECK_THAT(taken.err, Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(s.port())));
  CHECK(s.GetJson("/api/filing/0001144204-17-013452")["form"] == "8-K");
}

TEST_CASE("serve: every limit answers with a clear error", "[e2e][serve][limits]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  Served s(db, {"--max-seconds", "0.000000001"});
  std::string long_query(2001, 'a');
  CHECK_THAT(s.GetJson("/api/search?q=" + long_query, 400)["error"].get<std::string>(),
             Catch::Contains("longer than 2000 bytes"));
  auto page = s.Get("/?q=" + long_query);
  CHECK(page->status == 400);
  CHECK_THAT(page->body, Catch::Contains("longer than 2000 bytes"));
  CHECK_THAT(s.GetJson("/api/search?q=*&limit=101", 400)["error"].get<std::string>(),
             Catch::Contains("from 0 to 100"));
  CHECK_THAT(s.GetJson("/api/search?q=*&offset=-1", 400)["error"].get<std::string>(),
             Catch::Contains("offset"));
  // Counting took longer than the (absurdly small) limit: 503, said so.
  json slow = s.GetJson("/api/search?q=*", 503);
  CHECK_THAT(slow["error"].get<std::string>(), Catch::Contains("took longer than"));
  // ... also when the query is answered by combining sets of filings.
  CHECK_THAT(s.GetJson("/api/search?q=orphan%20-agriculture", 503)["error"].get<std::string>(),
             Catch::Contains("took longer than"));
  // A request body over 8 KB is refused before any handler runs.
  auto big = s.client().Post("/api/search", std::string(100000, 'x'), "text/plain");
  REQUIRE(big);
  CHECK(big->status == 413);
  auto url = s.Get("/api/search?q=" + std::string(9000, 'a'));
  CHECK(url->status == 414);
  CHECK_THAT(s.GetJson("/api/search?q=", 400)["error"].get<std::string>(), Catch::Contains("no query"));
  CHECK_THAT(s.GetJson("/api/search?q=orphan+AND+(", 400)["error"].get<std::string>(),
             Catch::Contains("cannot parse query"));
}

namespace {

// A client that connects, sends the start of a request and falls silent.
class SilentClient {
 public:
  // `must_connect` false: a refused connection (a full backlog) is fine.
  explicit SilentClient(int port, bool must_connect = true)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (must_connect) {
      connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
      REQUIRE(connected_);
    } else {
      // A full backlog drops the handshake, and a blocking connect() would
      // wait for minutes: give it 50 ms.
      ::fcntl(fd_, F_SETFL, O_NONBLOCK);
      if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        connected_ = true;
      } else if (errno == EINPROGRESS) {
        pollfd p{fd_, POLLOUT, 0};
        int error = 0;
        socklen_t len = sizeof error;
        connected_ = ::poll(&p, 1, 50) == 1 &&
                     ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &len) == 0 && error == 0;
      }
    }
    if (!connected_) return;
    const char start[] = "GET /api/search?q=orphan HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    ::send(fd_, start, sizeof start - 1, MSG_NOSIGNAL);
  }
  bool connected() const { return connected_; }
  ~SilentClient() { ::close(fd_); }
  // True if the server has closed the connection (EOF), after reading
  // whatever it sent first; waits up to `ms` milliseconds.
  bool Dropped(int ms) {
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, ms) == 1) {
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;
    }
    return false;
  }

 private:
  int fd_;
  bool connected_ = false;
};

// Open file descriptors of process `pid`.
int OpenFds(int pid) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    (void)e;
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("serve: slow clients hold connections, not searches; a silent one is dropped",
          "[e2e][serve][limits]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  // One search at a time, more connections than silent clients.
  Served s(db, {"--threads", "1", "--connections", "16", "--client-timeout", "3"});
  std::vector<std::unique_ptr<SilentClient>> silent;
  for (int i = 0; i < 8; ++i) silent.push_back(std::make_unique<SilentClient>(s.port()));
  // Searches are answered while every silent client still holds its
  // connection: none of them was dropped before the answers came.
  for (int i = 0; i < 3; ++i) {
    json r = s.GetJson("/api/search?q=orphan%20drug");
    CHECK(r["total"] == 1);
  }
  for (auto& c : silent) CHECK_FALSE(c->Dropped(0));
  // Then the server drops each silent client (3 s without a byte).
  for (auto& c : silent) CHECK(c->Dropped(30000));
  CHECK(s.GetJson("/api/search?q=orphan%20drug")["total"] == 1);
}

TEST_CASE("serve: a flood of silent clients holds a bounded number of sockets",
          "[e2e][serve][limits]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  Served s(db, {"--connections", "4", "--client-timeout", "30"});
  int idle_fds = OpenFds(s.pid());
  std::vector<std::unique_ptr<SilentClient>> flood;
  int connected = 0;
  for (int i = 0; i < 40; ++i) {
    flood.push_back(std::make_unique<SilentClient>(s.port(), false));
    connected += flood.back()->connected();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  INFO(connected << " of 40 connected; " << idle_fds << " descriptors idle");
  CHECK(connected < 40);  // the server did not take them all
  // 4 served, 4 waiting their turn, the rest left in the kernel's backlog
  // or refused: the server's own descriptors stay few.
  CHECK(OpenFds(s.pid()) <= idle_fds + 8 + 2);
}

TEST_CASE("serve: limits given on the command line are checked", "[e2e][serve][limits]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  CHECK(RunFidx({"serve", "--connections", "0"}, db).exit_code == 2);
  CHECK(RunFidx({"serve", "--client-timeout", "0"}, db).exit_code == 2);
}

TEST_CASE("serve: searches keep answering and see new filings while fidx add runs",
          "[e2e][serve][concurrency]") {
  TempDir dir;
  std::string db = dir / "index";
  REQUIRE(RunFidx({"add", "--quiet", Source("corpus/2017")}, db).exit_code == 0);
  Served s(db, {"--threads", "2"});
  CHECK(s.GetJson("/api/search?q=accession:0000019617-24-000012")["total"] == 0);
  uint64_t before = s.GetJson("/api/search?q=*")["total"];
  // Search from two clients the whole time the writer runs.
  std::atomic<bool> done{false};
  std::atomic<int> failures{0}, answers{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    readers.emplace_back([&] {
      httplib::Client c("127.0.0.1", s.port());
      while (!done) {
        auto r = c.Get("/api/search?q=*&facets=1&limit=5");
        if (!r || r->status != 200) ++failures; else ++answers;
      }
    });
  }
  auto add = RunFidx({"add", "--quiet", Source("corpus")}, db);
  done = true;
  for (auto& t : readers) t.join();
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  INFO("the server's stderr:\n" << s.Log());
  CHECK(failures == 0);
  CHECK(answers > 0);
  // The same server, without a restart, sees what the writer committed.
  json now = s.GetJson("/api/search?q=*");
  CHECK(now["total"].get<uint64_t>() > before);
  CHECK(now["total"] == CliJson(db, {"search", "--json", "*"})["total"]);
  CHECK(s.GetJson("/api/search?q=accession:0000019617-24-000012")["total"] == 1);
}

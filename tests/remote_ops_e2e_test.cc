// End-to-end: running remote shards as an operator does, on loopback.
// scripts/serve-shards.sh (servers isolated from each other and from their
// caller), `fidx health`, replicas made by Xapian's xapian-replicate across
// `fidx add` runs and a compaction, and searches while a served shard is
// written. Needs xapian-tools (scripts/install-deps.sh).

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "cli_runner.h"
#include "test_paths.h"

using fidx_test::Process;
using fidx_test::RunFidx;
using fidx_test::RunResult;
using fidx_test::Source;
using fidx_test::TempDir;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Runs a program (searched on PATH) with extra environment variables;
// stdout and stderr captured.
RunResult RunProgram(const std::vector<std::string>& argv,
                     const std::vector<std::string>& env = {}) {
  TempDir io;
  std::string out_path = io / "out", err_path = io / "err";
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream o(out_path), e(err_path);
  std::stringstream so, se;
  so << o.rdbuf();
  se << e.rdbuf();
  r.out = so.str();
  r.err = se.str();
  return r;
}

bool PortFree(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// The first of `n` consecutive loopback ports that were all free a moment
// ago (serve-shards.sh serves shard N on FIRST_PORT+N), picked at random
// so that tests running at the same time rarely collide.
int FreePorts(int n) {
  std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> pick(20000, 60000);
  for (int tries = 0; tries < 200; ++tries) {
    int base = pick(rng);
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) ok = PortFree(base + i);
    if (ok) return base;
  }
  FAIL("no " << n << " consecutive free ports on 127.0.0.1");
  return 0;
}

bool IsServer(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
  std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return cmd.find("xapian-tcpsrv") != std::string::npos;
}

// "PID PORT SHARD" lines of serve-shards.sh's pid file.
std::vector<std::pair<int, int>> ReadPids(const std::string& path) {
  std::vector<std::pair<int, int>> out;
  std::ifstream in(path);
  int pid, port;
  std::string shard;
  while (in >> pid >> port >> shard) out.emplace_back(pid, port);
  return out;
}

std::string ServeScript() { return Source("scripts/serve-shards.sh"); }

// Stops what serve-shards.sh started for `stub`, whatever the test did.
struct ServersGuard {
  std::string stub;
  ~ServersGuard() {
    if (fs::exists(stub + ".pids")) RunProgram({ServeScript(), "stop", stub});
  }
};

std::string Index(const std::string& db, const std::string& corpus,
                  std::vector<std::string> extra = {}, std::vector<std::string> env = {}) {
  std::vector<std::string> args = {"add", "--quiet", "--db", db};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(corpus);
  fidx_test::StreamOptions streams;
  streams.env = env;
  auto r = fidx_test::RunFidxIo(args, "", streams);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return db;
}

json Search(const std::string& db, const std::string& q) {
  auto r = RunFidx({"search", "--db", db, "--json", "--facets", "--limit", "20", q});
  INFO(db << ": " << q << "\n" << r.err);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  return r.Json();
}

// Totals, facets and the ranked hits with their scores.
json Essentials(const json& r) {
  json out;
  out["total"] = r["total"];
  out["facets"] = r["facets"];
  for (const json& h : r["hits"]) {
    out["hits"].push_back({h["filing_key"], h["document"]["filename"],
                           std::round(h["score"].get<double>() * 1000) / 1000});
  }
  return out;
}

const std::vector<std::string> kQueries = {"*", "orphan drug", "form:8-K", "securities",
                                           "year:2024", "revenue OR income"};

void ExpectSameAnswers(const std::string& a, const std::string& b) {
  for (const std::string& q : kQueries) {
    INFO("query: " << q);
    CHECK(Essentials(Search(a, q)) == Essentials(Search(b, q)));
  }
}

uint64_t DocCount(const std::string& db) { return Xapian::Database(db).get_doccount(); }

}  // namespace

TEST_CASE("stopping one of three shard servers leaves the others and the caller running",
          "[remote]") {
  TempDir dir;
  std::string index = Index(dir / "index", Source("corpus"), {"--shards", "3", "--no-compact"});
  std::string stub = dir / "remote.stub";
  ServersGuard guard{stub};
  int base = FreePorts(3);

  // The reproduction: a non-interactive script starts the servers
  // and kills the first; before, it died with 143 and took the others along.
  std::string script = "'" + ServeScript() + "' '" + index + "' " + std::to_string(base) +
                       " 127.0.0.1 '" + stub + "' >/dev/null || exit 9\n" +
                       "read pid _ < '" + stub + ".pids'\nkill \"$pid\"\nsleep 0.3\necho alive\n";
  auto caller = RunProgram({"bash", "-c", script});
  INFO(caller.err);
  REQUIRE(caller.exit_code == 0);
  CHECK(caller.out == "alive\n");

  auto pids = ReadPids(stub + ".pids");
  REQUIRE(pids.size() == 3);
  CHECK(pids[0].second == base);
  CHECK_FALSE(IsServer(pids[0].first));
  CHECK(IsServer(pids[1].first));
  CHECK(IsServer(pids[2].first));
  CHECK(fidx_test::WaitForPort(base + 1));
  CHECK(fidx_test::WaitForPort(base + 2));
  std::string down = "127.0.0.1:" + std::to_string(base);

  INFO("without --allow-partial: exit 4, naming the shard that is down");
  auto strict = RunFidx({"search", "--db", stub, "*"});
  CHECK(strict.exit_code == 4);
  CHECK(strict.out.empty());
  CHECK_THAT(strict.err, Catch::Contains(down) && Catch::Contains("--allow-partial"));

  INFO("--allow-partial answers from the other two, with the warning on stderr and in JSON");
  auto partial = RunFidx({"search", "--db", stub, "--allow-partial", "--json", "*"});
  CHECK(partial.exit_code == 0);
  CHECK_THAT(partial.err, Catch::Contains("fidx: warning: shard remote " + down));
  json j = partial.Json();
  REQUIRE(j["warnings"].size() == 1);
  CHECK_THAT(j["warnings"][0].get<std::string>(), Catch::Contains(down));
  uint64_t expected = Search(index + "/shard-01", "*")["total"].get<uint64_t>() +
                      Search(index + "/shard-02", "*")["total"].get<uint64_t>();
  CHECK(j["total"] == expected);

  INFO("fidx health reports the stopped server down and the others with their counts");
  auto health = RunFidx({"health", "--db", stub, "--json"});
  CHECK(health.exit_code == 1);
  json h = health.Json();
  REQUIRE(h["shards"].size() == 3);
  CHECK(h["up"] == 2);
  CHECK(h["down"] == 1);
  CHECK(h["shards"][0]["shard"] == "remote " + down);
  CHECK(h["shards"][0]["up"] == false);
  CHECK_THAT(h["shards"][0]["error"].get<std::string>(), Catch::Contains("connect"));
  CHECK(h["shards"][0]["documents"].is_null());
  for (int i = 1; i <= 2; ++i) {
    const json& s = h["shards"][i];
    INFO("shard " << i);
    CHECK(s["up"] == true);
    CHECK(s["error"].is_null());
    CHECK(s["documents"] == DocCount(index + "/shard-0" + std::to_string(i)));
    CHECK(s["last_update"]["added"] == 13);
    // A real round trip to the server was timed: more than nothing, and
    // within the connection's timeout.
    CHECK(s["round_trip_ms"].get<double>() > 0);
    CHECK(s["round_trip_ms"].get<double>() < 60000);
  }
  auto text = RunFidx({"health", "--db", stub});
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.out, Catch::Contains("DOWN") && Catch::Contains("3 shards: 2 up, 1 down"));

  INFO("fidx stats over the stub of the two left tells their last update");
  auto two = dir / "two.stub";
  fidx_test::WriteFile(two, "remote 127.0.0.1:" + std::to_string(base + 1) + "\nremote 127.0.0.1:" +
                                std::to_string(base + 2) + "\n");
  json remote_stats = RunFidx({"stats", "--db", two, "--json"}).Json();
  CHECK(remote_stats["last_update"]["added"] == 13);
  CHECK(remote_stats["documents"] == DocCount(index + "/shard-01") + DocCount(index + "/shard-02"));

  INFO("the local index: every shard up, filings adding up to the index's");
  auto local = RunFidx({"health", "--db", index, "--json"});
  CHECK(local.exit_code == 0);
  json stats = RunFidx({"stats", "--db", index, "--json"}).Json();
  uint64_t filings = 0, documents = 0;
  json local_json = local.Json();  // alive while looped over
  for (const json& s : local_json["shards"]) {
    filings += s["filings"].get<uint64_t>();
    documents += s["documents"].get<uint64_t>();
  }
  CHECK(filings == stats["filings"]);
  CHECK(documents == stats["documents"]);

  INFO("stop stops exactly what start started, and cleans up");
  auto stop = RunProgram({ServeScript(), "stop", stub});
  INFO(stop.err);
  CHECK(stop.exit_code == 0);
  CHECK_FALSE(IsServer(pids[1].first));
  CHECK_FALSE(IsServer(pids[2].first));
  CHECK_FALSE(fs::exists(stub + ".pids"));
  CHECK_FALSE(fs::exists(stub));
}

TEST_CASE("servers started by serve-shards.sh follow a compaction after links", "[remote]") {
  TempDir dir;
  std::string index = Index(dir / "index", Source("corpus"), {"--shards", "2", "--no-compact"});
  std::string stub = dir / "remote.stub";
  ServersGuard guard{stub};
  auto start = RunProgram({ServeScript(), index, std::to_string(FreePorts(2)), "127.0.0.1", stub});
  INFO(start.err);
  REQUIRE(start.exit_code == 0);
  json before = Essentials(Search(stub, "*"));

  // Compaction moves each shard to a new folder and deletes the old one.
  REQUIRE(RunFidx({"compact", "--db", index}).exit_code == 0);
  CHECK(RunFidx({"search", "--db", stub, "*"}).exit_code == 4);
  auto links = RunProgram({ServeScript(), "links", index});
  REQUIRE(links.exit_code == 0);
  CHECK(Essentials(Search(stub, "*")) == before);
  CHECK(RunFidx({"health", "--db", stub}).exit_code == 0);
}

TEST_CASE("a replica made by xapian-replicate answers like its master across runs and a compaction",
          "[remote]") {
  TempDir dir;
  std::string mirror = dir / "mirror", master = dir / "master", replica = dir / "replica";
  fs::create_directories(mirror);
  fs::create_directories(replica);
  // Glass writes changesets only when told to keep some.
  const std::vector<std::string> env = {"XAPIAN_MAX_CHANGESETS=10"};
  auto add_years = [&](std::vector<std::string> parts) {
    for (const std::string& p : parts) {
      fs::copy(Source("corpus/" + p), mirror + "/" + p, fs::copy_options::recursive);
    }
  };
  int port = FreePorts(1);
  Process server({"xapian-replicate-server", "-I", "127.0.0.1", "-p", std::to_string(port),
                  master + ".shards"});
  // One sync of shard-00; returns "N copies, M changesets" as reported.
  auto sync = [&]() {
    REQUIRE(RunProgram({ServeScript(), "links", master}).exit_code == 0);
    REQUIRE(fidx_test::WaitForPort(port));
    auto r = RunProgram({"xapian-replicate", "-h", "127.0.0.1", "-p", std::to_string(port),
                         "-m", "shard-00", "-o", "-v", replica + "/shard-00"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    size_t at = r.out.find("Update complete: ");
    REQUIRE(at != std::string::npos);
    return r.out.substr(at + 17, r.out.find(',', r.out.find(',', at) + 1) - at - 17);
  };

  INFO("first run: a new index is compacted at its end; the first sync copies it whole");
  add_years({"1994", "1997", "2017"});
  Index(master, mirror, {}, env);
  CHECK(sync() == "1 copies, 0 changesets");
  ExpectSameAnswers(master, replica + "/shard-00");

  INFO("later runs: only their changesets travel");
  add_years({"2020", "2023"});
  Index(master, mirror, {}, env);
  CHECK(sync() == "0 copies, 1 changesets");
  ExpectSameAnswers(master, replica + "/shard-00");

  INFO("after fidx compact the master is a new database: the replica gets a full copy");
  add_years({"2024"});
  Index(master, mirror, {}, env);
  REQUIRE(RunFidx({"compact", "--db", master}).exit_code == 0);
  CHECK(sync() == "1 copies, 0 changesets");
  ExpectSameAnswers(master, replica + "/shard-00");

  INFO("and changesets resume after it");
  add_years({"2025", "2026", "loose", "edgar"});
  Index(master, mirror, {}, env);
  CHECK(sync() == "0 copies, 1 changesets");
  ExpectSameAnswers(master, replica + "/shard-00");
  CHECK(Search(replica + "/shard-00", "*")["total"] == 13);

  INFO("the replica served by xapian-tcpsrv answers like the master too");
  int serve_port = FreePorts(1);
  Process served({"xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port",
                  std::to_string(serve_port), replica + "/shard-00"});
  REQUIRE(fidx_test::WaitForPort(serve_port));
  std::string stub = dir / "replica.stub";
  fidx_test::WriteFile(stub, "remote 127.0.0.1:" + std::to_string(serve_port) + "\n");
  ExpectSameAnswers(master, stub);
}

TEST_CASE("searches through a served shard never fail while fidx add writes into it",
          "[remote]") {
  TempDir dir;
  std::string mirror = dir / "mirror", index = dir / "index";
  fs::create_directories(mirror);
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(Source("corpus"))) {
    if (e.is_regular_file() && e.path().filename() != "SOURCES.md") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  auto copy_one = [&](const fs::path& f) {
    fs::path to = mirror / fs::relative(f, Source("corpus"));
    fs::create_directories(to.parent_path());
    fs::copy_file(f, to);
  };
  copy_one(files[0]);
  Index(index, mirror, {"--no-compact"});
  int port = FreePorts(1);
  Process server({"xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port",
                  std::to_string(port), index + "/shard-00"});
  REQUIRE(fidx_test::WaitForPort(port));
  std::string stub = dir / "remote.stub";
  fidx_test::WriteFile(stub, "remote 127.0.0.1:" + std::to_string(port) + "\n");

  // A long-lived reader too: fidx serve keeps its connection to the server
  // across every commit below (moving to the latest before each request).
  int http_port = FreePorts(1);
  Process serve({fidx_test::kFidxBinary, "serve", "--db", stub, "--listen",
                 "127.0.0.1:" + std::to_string(http_port), "--threads", "1"});
  REQUIRE(fidx_test::WaitForPort(http_port));
  httplib::Client http("127.0.0.1", http_port);

  // The writer: one `fidx add` per file, each a commit (or several).
  std::atomic<bool> done{false};
  std::atomic<int> failed_adds{0};
  std::thread writer([&] {
    for (size_t i = 1; i < files.size(); ++i) {
      copy_one(files[i]);
      auto r = RunFidx({"add", "--quiet", "--commit-mb", "1", "--db", index, mirror});
      if (r.exit_code != 0) ++failed_adds;
    }
    done = true;
  });
  uint64_t last_total = 0, last_served = 0;
  int searches = 0;
  std::vector<std::string> failures;
  auto search = [&] {
    auto r = RunFidx({"search", "--db", stub, "--json", "--facets", "--limit", "5", "*"});
    ++searches;
    if (r.exit_code != 0) {
      failures.push_back(std::to_string(r.exit_code) + ": " + r.err);
      return;
    }
    uint64_t total = r.Json()["total"].get<uint64_t>();
    if (total < last_total) failures.push_back("total went down to " + std::to_string(total));
    last_total = std::max(last_total, total);
    auto page = http.Get("/api/search?q=*&limit=5&facets=1");
    if (!page || page->status != 200) {
      failures.push_back("fidx serve: " + (page ? page->body : std::string("no answer")));
      return;
    }
    uint64_t served = json::parse(page->body)["total"].get<uint64_t>();
    if (served < last_served) failures.push_back("served total went down");
    last_served = std::max(last_served, served);
  };
  while (!done) search();
  writer.join();
  search();  // after the last commit: every filing visible
  INFO(searches << " searches");
  CHECK(failed_adds == 0);
  CHECK(failures == std::vector<std::string>{});
  CHECK(last_total == Search(index, "*")["total"]);
  CHECK(last_served == last_total);
  CHECK(last_total == 13);
}

TEST_CASE("fidx health reports a shard that answers but that fidx cannot search", "[remote]") {
  TempDir dir;
  std::string index = Index(dir / "index", Source("corpus"), {"--no-compact"});
  std::string foreign = dir / "omega";
  {
    // What omindex or another Xapian program writes: no fidx layout record.
    Xapian::WritableDatabase db(foreign, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    Xapian::Document d;
    d.add_term("Zorphan");
    db.add_document(d);
    db.commit();
  }
  std::string stub = dir / "mixed.stub";
  fidx_test::WriteFile(stub, "auto " + index + "/shard-00\nauto " + foreign + "\n");
  auto r = RunFidx({"health", "--db", stub, "--json"});
  CHECK(r.exit_code == 1);
  json h = r.Json();
  REQUIRE(h["shards"].size() == 2);
  CHECK(h["shards"][0]["up"] == true);
  CHECK(h["shards"][0]["documents"] == DocCount(index + "/shard-00"));
  CHECK(h["shards"][0]["filings"] == 13);
  CHECK(h["shards"][1]["up"] == false);
  CHECK_THAT(h["shards"][1]["error"].get<std::string>(), Catch::Contains("did not write"));
}

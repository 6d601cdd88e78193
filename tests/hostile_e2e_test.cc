// End-to-end: `fidx add` over tests/hostile_corpus.py's folder of broken,
// huge and malicious input mixed with good filings. Every good file goes
// in, every bad one is named by exactly one warning, nothing crashes or
// hangs, and memory stays bounded.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "cli_runner.h"
#include "e2e_process.h"

namespace fs = std::filesystem;
using fidx_test::FidxChild;
using fidx_test::RunFidx;
using fidx_test::RunResult;
using fidx_test::SpawnOptions;
using fidx_test::TempDir;
using fidx_test::WarningLines;
using nlohmann::json;

namespace {

// Runs the generator; false (with a WARN) when python3 is missing.
bool Generate(const std::string& out) {
  pid_t pid = ::fork();
  if (pid == 0) {
    std::string script = fidx_test::Source("tests/hostile_corpus.py");
    ::execlp("python3", "python3", script.c_str(), "--out", out.c_str(), nullptr);
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    WARN("skipped: python3 is not available to run tests/hostile_corpus.py");
    return false;
  }
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return true;
}

// Warning lines per path: "fidx: warning: PATH: message". Paths may hold
// ": ", so a line is matched against the known paths, longest first.
std::map<std::string, int> WarningsByPath(const std::vector<std::string>& lines,
                                          const std::vector<std::string>& paths,
                                          std::vector<std::string>* unmatched) {
  std::map<std::string, int> count;
  for (const std::string& line : lines) {
    std::string best;
    for (const std::string& p : paths) {
      if (line.rfind("fidx: warning: " + p + ": ", 0) == 0 && p.size() > best.size()) best = p;
    }
    if (best.empty()) {
      unmatched->push_back(line);
    } else {
      ++count[best];
    }
  }
  return count;
}

}  // namespace

TEST_CASE("hostile input: good files all indexed, each bad one named once, no crash, bounded memory",
          "[e2e][hostile]") {
  TempDir tmp;
  if (!Generate(tmp.path())) return;
  std::string corpus = tmp / "corpus", db = tmp / "index";
  json manifest = json::parse(std::ifstream(tmp / "manifest.json"));
  // Root reads mode-000 files anyway; run fidx as nobody then.
  SpawnOptions as;
  as.db = db;
  as.as_nobody = fidx_test::IsRoot();
  if (as.as_nobody) fidx_test::GiveToNobody(tmp.path());

  FidxChild add({"add", "--json", corpus}, as);
  // A hang is a failure, not a stuck test run.
  bool finished = fidx_test::WaitUntil([&] { return !add.Running(); }, 300);
  if (!finished) add.Signal(SIGKILL);
  REQUIRE(finished);
  RunResult r = add.Wait();
  INFO(r.err);
  CHECK(r.exit_code == 1);  // partial: the good went in, the bad did not
  long rss_mib = add.max_rss_kib() / 1024;
  WARN("peak memory of fidx add over the hostile folder: " << rss_mib << " MiB");
  CHECK(rss_mib < 1536);

  std::vector<std::string> paths;
  for (const json& e : manifest["entries"]) paths.push_back(corpus + "/" + e["path"].get<std::string>());
  std::vector<std::string> unmatched;
  std::map<std::string, int> warned = WarningsByPath(WarningLines(r.err), paths, &unmatched);
  CHECK(unmatched.empty());

  json all = RunFidx({"search", "--json", "--limit", "1000", "*"}, db).Json();
  std::set<std::string> indexed;
  for (const json& h : all["hits"]) indexed.insert(h["path"].get<std::string>());
  int expect_indexed = 0;
  for (const json& e : manifest["entries"]) {
    std::string path = corpus + "/" + e["path"].get<std::string>();
    std::string expect = e["expect"];
    if (expect == "unreadable") expect = "failed";  // fidx never runs as root here
    INFO(path << " (" << e["why"].get<std::string>() << "): expected " << expect);
    if (expect == "indexed" || expect == "warn") {
      ++expect_indexed;
      CHECK(indexed.count(path) == 1);
      if (expect == "warn") {
        CHECK(warned[path] == 1);
      } else {
        CHECK(warned[path] <= 1);
      }
      if (e.contains("docs")) {
        CHECK(fidx_test::CountMatches(db, "accession:" + e["accession"].get<std::string>(), true) ==
              e["docs"].get<int>());
      }
    } else if (expect == "failed") {
      CHECK(indexed.count(path) == 0);
      CHECK(warned[path] == 1);
    } else {
      CHECK(warned[path] == 0);
    }
  }
  CHECK(all["total"] == expect_indexed);
  CHECK(indexed.size() == static_cast<size_t>(expect_indexed));

  // The next run is quiet about what it already reported, except what the
  // walk itself cannot get past (the link loop).
  FidxChild again({"add", "--json", corpus}, as);
  RunResult r2 = again.Wait();
  INFO(r2.err);
  CHECK(r2.exit_code == 1);
  json s2 = r2.Json();
  CHECK(s2["added"] == 0);
  CHECK(s2["updated"] == 0);
  CHECK(s2["removed"] == 0);
  std::vector<std::string> lines = WarningLines(r2.err);
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::Contains("self-loop.txt"));
  CHECK(fidx_test::CountMatches(db, "*") == expect_indexed);
}

TEST_CASE("a document that fails charset conversion is indexed without libxml2 noise",
          "[hostile]") {
  // libxml2 prints "encoding error : input conversion failed" through its
  // global error channel; fidx must keep stderr to its own one-line reports.
  TempDir dir;
  std::string corpus = dir.path() + "/in";
  fs::create_directories(corpus);
  std::ofstream(corpus + "/bad-charset.htm")
      << "<html><head><meta charset=\"ISO-2022-JP\"></head><body>\x1b$B\xff\xfe\x80\x1b(B"
         " quarterly dividend</body></html>";
  std::ofstream(corpus + "/bad-charset.xml")
      << "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?>\n<a>\x1b$B\xff\xfe\x80 x \x1b(B"
         " text</a>\n";
  std::string db = dir.path() + "/db";
  RunResult add = RunFidx({"add", "--json", "--db", db, corpus});
  INFO(add.err);
  CHECK(add.exit_code <= 1);
  CHECK(add.err.find("encoding error") == std::string::npos);
  CHECK(add.err.find("I/O error") == std::string::npos);
  CHECK(add.Json()["filings"] == 2);
  RunResult inspect = RunFidx({"inspect", corpus + "/bad-charset.xml", corpus + "/bad-charset.htm"});
  CHECK(inspect.err.find("encoding error") == std::string::npos);
}

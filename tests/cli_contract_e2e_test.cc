// End-to-end: the command-line contract (issue 14). Failures never look
// like success, usage errors are exit 2, and conventions a user expects
// from rg or git hold. Each test runs the real fidx binary.

#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "e2e_process.h"

using fidx_test::RunFidx;
using fidx_test::RunFidxIo;
using fidx_test::Source;
using fidx_test::StreamOptions;
using fidx_test::TempDir;
using nlohmann::json;

namespace fs = std::filesystem;

namespace {

std::string IndexCorpus(const TempDir& dir) { return fidx_test::IndexBundledCorpus(dir); }

// Every entry under `dir` with its size and modification time, to show
// that a command changed nothing there.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (auto& e : fs::recursive_directory_iterator(dir, ec)) {
    struct stat st;
    ::lstat(e.path().c_str(), &st);
    out[e.path().string()] = std::to_string(st.st_size) + "@" +
                             std::to_string(st.st_mtim.tv_sec) + "." +
                             std::to_string(st.st_mtim.tv_nsec);
  }
  return out;
}

StreamOptions ToDevFull() {
  StreamOptions s;
  s.stdout_path = "/dev/full";
  return s;
}

}  // namespace

TEST_CASE("a write error on stdout is exit 4 for every command, never 0", "[e2e][cli]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  std::vector<std::vector<std::string>> commands = {
      {"search", "*", "-n", "1000"},
      {"search", "*", "--json", "--facets"},
      {"show", "0001144204-17-013452", "--json"},
      {"show", "0001144204-17-013452"},
      {"stats"},
      {"stats", "--json"},
      {"inspect", "--json", Source("corpus/2017/0001144204-17-013452.txt")},
      {"add", "--json", Source("corpus")},
      {"add", Source("corpus")},
      {"files", "--json"},
      {"--help"},
      {"help", "search"},
      {"--version"},
  };
  for (const auto& args : commands) {
    auto r = RunFidxIo(args, db, ToDevFull());
    INFO(args[0] << " " << (args.size() > 1 ? args[1] : ""));
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains("cannot write to standard output"));
  }
}

TEST_CASE("a Xapian database fidx did not write is refused by every command, untouched",
          "[e2e][cli]") {
  TempDir dir;
  std::string foreign = dir / "omega";
  {
    // What omindex or any other Xapian program writes: documents, no fidx
    // layout record.
    Xapian::WritableDatabase db(foreign, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    Xapian::Document d;
    d.set_data("url=file:///x.html\nsample=orphan drug");
    d.add_term("Zorphan");
    db.add_document(d);
    db.commit();
  }
  std::string corpus = dir / "corpus";
  fidx_test::WriteFile(corpus + "/a.txt", "orphan drug designation\n");
  auto before = Snapshot(foreign);
  std::vector<std::vector<std::string>> commands = {
      {"add", corpus},  {"search", "orphan"}, {"search", "*", "--json"},
      {"show", "0001144204-17-013452"}, {"stats"}, {"compact"}, {"files"},
      {"remove", corpus},
  };
  for (const auto& args : commands) {
    auto r = RunFidx(args, foreign);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 4);
    CHECK_THAT(r.err, Catch::Contains("did not write"));
    CHECK(r.out.empty());
  }
  CHECK(Snapshot(foreign) == before);
}

TEST_CASE("a folder of other files is not turned into an index", "[e2e][cli]") {
  TempDir dir;
  fidx_test::WriteFile(dir / "notes/todo.txt", "buy milk\n");
  auto before = Snapshot(dir / "notes");
  auto r = RunFidx({"add", Source("corpus/2017")}, dir / "notes");
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("is not an fidx index"));
  CHECK(Snapshot(dir / "notes") == before);
}

TEST_CASE("adding a path that does not exist is exit 2 and creates no index", "[e2e][cli]") {
  TempDir dir;
  std::string db = dir / "index";
  auto r = RunFidx({"add", Source("corpus/2017"), "/nonexistent/path"}, db);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("/nonexistent/path: No such file or directory"));
  CHECK(r.out.empty());
  CHECK_FALSE(fs::exists(db));
}

TEST_CASE("a dangling symlink is reported on the first run only", "[e2e][cli]") {
  TempDir dir;
  std::string mirror = dir / "mirror";
  fs::create_directories(mirror);
  fs::copy_file(Source("corpus/2017/0001144204-17-013452.txt"), mirror + "/a.txt");
  fs::create_symlink(dir / "gone.txt", mirror + "/link.txt");
  std::string db = dir / "index";
  auto first = RunFidx({"add", mirror}, db);
  CHECK(first.exit_code == 1);
  CHECK_THAT(first.err, Catch::Contains("link.txt: broken symbolic link"));
  auto second = RunFidx({"add", mirror}, db);
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.err.find("link.txt") == std::string::npos);
  CHECK_THAT(second.out, Catch::Contains("1 known-bad file skipped"));
  // Fixed, the link is indexed.
  fs::copy_file(Source("corpus/2017/cellectar-comment-letter-2017-07-31.txt"), dir / "gone.txt");
  auto fixed = RunFidx({"add", mirror}, db);
  INFO(fixed.err);
  CHECK(fixed.exit_code == 0);
  CHECK(RunFidx({"search", "\"requisite vote to ratify\"", "--json"}, db).Json()["total"] == 1);
}

TEST_CASE("compact on a missing index creates nothing", "[e2e][cli]") {
  TempDir dir;
  std::string db = dir / "nowhere/index";
  auto r = RunFidx({"compact"}, db);
  CHECK(r.exit_code == 4);
  CHECK_THAT(r.err, Catch::Contains("no index at"));
  CHECK_FALSE(fs::exists(dir / "nowhere"));
}

TEST_CASE("negative counts are usage errors, not huge numbers", "[e2e][cli]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  for (std::vector<std::string> args : {std::vector<std::string>{"-n", "-1"},
                                        std::vector<std::string>{"--offset", "-1"},
                                        std::vector<std::string>{"--limit=x"}}) {
    args.insert(args.begin(), {"search", "*"});
    auto r = RunFidx(args, db);
    INFO(args[2]);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("must be a number"));
  }
}

TEST_CASE("with --allow-partial --json a shard that is down is named in warnings",
          "[e2e][cli]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  std::string shard;
  for (auto& e : fs::directory_iterator(db)) {
    if (e.path().filename().string().rfind("shard-", 0) == 0) shard = e.path().string();
  }
  REQUIRE(!shard.empty());
  int port = fidx_test::FreePort();
  fidx_test::WriteFile(dir / "all.stub",
                       "auto " + shard + "\nremote 127.0.0.1:" + std::to_string(port) + "\n");
  auto r = RunFidx({"search", "--allow-partial", "--json", "orphan drug"}, dir / "all.stub");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = r.Json();
  CHECK(j["total"] == 1);
  REQUIRE(j["warnings"].size() == 1);
  CHECK_THAT(j["warnings"][0].get<std::string>(),
             Catch::Contains("127.0.0.1:" + std::to_string(port)));
}

TEST_CASE("global options go before the command", "[e2e][cli]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  auto r = RunFidx({"--db", db, "search", "orphan drug", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.Json()["total"] == 1);
  auto eq = RunFidx({"--db=" + db, "stats", "--json"});
  CHECK(eq.exit_code == 0);
  // The command's own --db wins over the global one.
  auto own = RunFidx({"--db", dir / "nothing", "stats", "--db", db});
  CHECK(own.exit_code == 0);
}

TEST_CASE("fidx help COMMAND prints the command's help", "[e2e][cli]") {
  auto r = RunFidx({"help", "search"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == RunFidx({"search", "--help"}).out);
  CHECK_THAT(r.out, Catch::StartsWith("Usage: fidx search"));
  CHECK(RunFidx({"help", "nosuch"}).exit_code == 2);
}

TEST_CASE("a mistyped command gets a suggestion", "[e2e][cli]") {
  auto r = RunFidx({"serch", "x"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("Did you mean 'fidx search'?"));
  auto far = RunFidx({"frobnicate"});
  CHECK(far.exit_code == 2);
  CHECK(far.err.find("Did you mean") == std::string::npos);
}

TEST_CASE("enum option values are case-insensitive", "[e2e][cli]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  auto upper = RunFidx({"search", "*", "--sort", "Newest", "--json"}, db);
  auto lower = RunFidx({"search", "*", "--sort", "newest", "--json"}, db);
  REQUIRE(upper.exit_code == 0);
  CHECK(upper.out == lower.out);
  CHECK(RunFidx({"search", "*", "--color", "NEVER"}, db).exit_code == 0);
}

TEST_CASE("help shows placeholders, never 'arg'", "[e2e][cli]") {
  for (const char* cmd : {"add", "search", "show", "stats", "inspect", "compact", "remove",
                          "files"}) {
    auto r = RunFidx({cmd, "--help"});
    INFO(cmd);
    CHECK(r.exit_code == 0);
    CHECK_FALSE(std::regex_search(r.out, std::regex(R"(\barg\b)")));
  }
}

TEST_CASE("a query word starting with '-' gets a hint to use --", "[e2e][cli]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  auto r = RunFidx({"search", "drug", "-placebo"}, db);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("'--'"));
  auto ok = RunFidx({"search", "--json", "--", "drug", "-placebo"}, db);
  INFO(ok.err);
  CHECK((ok.exit_code == 0 || ok.exit_code == 1));
}

TEST_CASE("inspect - reads a filing from stdin", "[e2e][cli]") {
  std::string file = Source("corpus/2017/0001144204-17-013452.txt");
  StreamOptions s;
  s.stdin_path = file;
  auto r = RunFidxIo({"inspect", "--json", "-"}, "", s);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json from_stdin = r.Json();
  json from_file = RunFidx({"inspect", "--json", file}).Json();
  CHECK(from_stdin["accession"] == "0001144204-17-013452");
  CHECK(from_stdin["documents"] == from_file["documents"]);
  CHECK(from_stdin["path"] == "-");
  // Gzipped input works too.
  s.stdin_path = Source("corpus/1997/0001000685-97-000006.txt.gz");
  auto gz = RunFidxIo({"inspect", "--json", "-"}, "", s);
  CHECK(gz.exit_code == 0);
  CHECK(gz.Json()["gzipped"] == true);
}

namespace {

// Runs fidx with stdout on a pseudo-terminal `columns` wide (stderr and
// stdin as RunFidx has them); returns what it printed, "\r\n" -> "\n".
std::string RunOnTerminal(std::vector<std::string> args, const std::string& db, int columns,
                          const std::vector<std::string>& env = {}) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  REQUIRE(master >= 0);
  REQUIRE(::grantpt(master) == 0);
  REQUIRE(::unlockpt(master) == 0);
  std::string slave_name = ::ptsname(master);
  int slave = ::open(slave_name.c_str(), O_RDWR | O_NOCTTY);
  REQUIRE(slave >= 0);
  struct winsize ws = {};
  ws.ws_col = static_cast<unsigned short>(columns);
  ws.ws_row = 50;
  ::ioctl(slave, TIOCSWINSZ, &ws);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(master);
    ::dup2(slave, 1);
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 2);
    ::setenv("TERM", "xterm", 1);
    ::unsetenv("NO_COLOR");
    ::setenv("FIDX_DB", db.c_str(), 1);
    for (const std::string& e : env) ::putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    args.insert(args.begin(), "fidx");
    for (std::string& a : args) argv.push_back(&a[0]);
    argv.push_back(nullptr);
    ::execv(fidx_test::FidxBinary().c_str(), argv.data());
    ::_exit(127);
  }
  ::close(slave);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(master, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::string clean;
  for (char c : out) {
    if (c != '\r') clean.push_back(c);
  }
  return clean;
}

std::string StripEscapes(const std::string& s) {
  return std::regex_replace(s, std::regex("\x1b\\[[0-9;]*m"), "");
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> words;
  std::istringstream in(s);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

}  // namespace

TEST_CASE("on a terminal, snippets and facet lines wrap at its width between words",
          "[e2e][cli][terminal]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  std::vector<std::string> args = {"search", "company", "--facets", "-n", "3"};
  std::string wrapped = StripEscapes(RunOnTerminal(args, db, 60));
  REQUIRE(!wrapped.empty());
  std::istringstream lines(wrapped);
  int cik_lines = 0, snippet_lines = 0;
  bool in_cik = false, in_hits = false;
  int hit_line = 0;  // line number within a hit: 0 "N. form ...", 1 its document
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    if (std::regex_search(line, std::regex("^[0-9]+\\. "))) {
      in_hits = true;
      hit_line = 0;
      continue;
    }
    ++hit_line;
    // Facet lines, and snippet lines (a hit's lines after its document line,
    // but its URL, which is never broken) fit the width.
    bool snippet = in_hits && hit_line >= 2 && line.find("https://") == std::string::npos &&
                   !line.empty();
    if (!in_hits || snippet) {
      // A single value longer than the width has a line of its own, whole.
      std::string body = line.substr(std::min(line.size(), line.find_first_not_of(' ')));
      if (!in_hits && body.find(":  ") != std::string::npos) body = body.substr(body.find(":  ") + 3);
      CHECK((fidx_test::Utf8Length(line) <= 60 || body.find("  ") == std::string::npos));
    }
    if (snippet) ++snippet_lines;
    if (line.rfind("cik:", 0) == 0) in_cik = true;
    else if (line.rfind("      ", 0) != 0) in_cik = false;
    if (in_cik) ++cik_lines;
  }
  CHECK(cik_lines > 1);
  CHECK(snippet_lines > 3);
  // The same words as the unwrapped output of a pipe, none cut in two.
  auto piped = RunFidx(args, db);
  CHECK(Words(wrapped) == Words(piped.out));
  CHECK(std::regex_search(
      piped.out, std::regex("\ncik:  [^\n]*1000685 HOME HEALTH CORP OF AMERICA INC \\\\PA\\\\ "
                            "\\(1\\)  109446 ZURN INDUSTRIES INC \\(1\\)")));
}

TEST_CASE("colour: on a terminal unless NO_COLOR or --color=never; --color=always in a pipe",
          "[e2e][cli][terminal]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  const std::string bold = "\x1b[1m";
  std::vector<std::string> args = {"search", "orphan drug"};
  CHECK(RunOnTerminal(args, db, 100).find(bold) != std::string::npos);
  CHECK(RunOnTerminal(args, db, 100, {"NO_COLOR=1"}).find(bold) == std::string::npos);
  CHECK(RunOnTerminal({"search", "--color=never", "orphan drug"}, db, 100).find(bold) ==
        std::string::npos);
  CHECK(RunOnTerminal({"--color", "never", "search", "orphan drug"}, db, 100).find(bold) ==
        std::string::npos);
  CHECK(RunOnTerminal({"search", "--color=always", "orphan drug"}, db, 100, {"NO_COLOR=1"})
            .find(bold) != std::string::npos);
  CHECK(RunFidx({"search", "orphan drug"}, db).out.find(bold) == std::string::npos);
  CHECK(RunFidx({"search", "--color=always", "orphan drug"}, db).out.find(bold) !=
        std::string::npos);
  CHECK(RunFidx({"search", "--color=sometimes", "orphan drug"}, db).exit_code == 2);
}

TEST_CASE("stats: last update as a timestamp and numbers, aligned columns", "[e2e][cli]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  json j = RunFidx({"stats", "--json"}, db).Json();
  const json& last = j["last_update"];
  REQUIRE(last.is_object());
  CHECK(std::regex_match(last["finished"].get<std::string>(),
                         std::regex("20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")));
  CHECK(last["unix_time"].get<int64_t>() > 1700000000);
  CHECK(last["added"] == 13);
  CHECK(last["failed"] == 0);
  std::string text = RunFidx({"stats"}, db).out;
  CHECK_THAT(text, Catch::Contains("(files: 13 added, 0 updated, 0 removed, 0 failed)"));
  // Counts right-aligned under each other: every "by form" line is as long.
  auto by_form = text.substr(text.find("by form:\n") + 9);
  by_form = by_form.substr(0, by_form.find("\n\n"));
  std::istringstream in(by_form);
  std::set<size_t> widths;
  for (std::string line; std::getline(in, line);) widths.insert(line.size());
  CHECK(widths.size() == 1);
  CHECK(std::regex_search(text, std::regex("\n  SC 13G/A +1\n")));
  // The .nc Form 4 and the loose Form 4 XML (its form read from its XML).
  CHECK(std::regex_search(text, std::regex("\n  4 +2\n")));
}

TEST_CASE("one match is singular", "[e2e][cli]") {
  TempDir dir;
  std::string db = IndexCorpus(dir);
  CHECK_THAT(RunFidx({"search", "orphan drug"}, db).out, Catch::StartsWith("1 filing matches;"));
  CHECK_THAT(RunFidx({"search", "*"}, db).out, Catch::StartsWith("13 filings match;"));
}

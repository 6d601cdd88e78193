// Unit tests of the command-line layer's helpers: the one mapping of error
// codes to exit statuses, and terminal wrapping.

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <unordered_set>

#include "command.h"
#include "fidx/strings.h"
#include "output.h"

using fidx::Status;
using namespace fidx::cli;

TEST_CASE("every error code maps to the documented exit status", "[cli]") {
  struct Row {
    Status status;
    int exit;
  };
  const Row rows[] = {
      {Status::OK(), 0},
      {Status::NotFound("0000000000-00-000000"), 1},        // show: not in the index
      {Status::InvalidArgument("cannot parse query"), 2},   // usage, bad query
      {Status::Locked("index is locked by fidx pid 1"), 3},  // another writer
      {Status::NoIndex("no index at /x"), 4},
      {Status::IOError("No space left on device"), 4},
      {Status::Interrupted("interrupted"), 4},
      {Status::Unavailable("remote 10.0.0.5:7001"), 4},
  };
  for (const Row& r : rows) {
    INFO(r.status.message());
    CHECK(ExitStatusFor(r.status) == r.exit);
  }
  CHECK(SearchStatus(fidx::SearchError::kBadQuery, "x").code() ==
        Status::Code::kInvalidArgument);
  CHECK(SearchStatus(fidx::SearchError::kNone, "").ok());
}

TEST_CASE("wrapping breaks between pieces at the width, never inside one", "[cli]") {
  std::vector<std::string> pieces = {"8-K (3)", "10-K (2)", "SC 13G/A (1)", "CORRESP (1)"};
  CHECK(WrapPieces(pieces, "  ", 0, "form:  ", "       ") ==
        "form:  8-K (3)  10-K (2)  SC 13G/A (1)  CORRESP (1)\n");
  CHECK(WrapPieces(pieces, "  ", 32, "form:  ", "       ") ==
        "form:  8-K (3)  10-K (2)\n       SC 13G/A (1)  CORRESP (1)\n");
  // A piece longer than the width gets a line of its own, whole.
  CHECK(WrapPieces({"a", std::string(40, 'x'), "b"}, " ", 20, "", "") ==
        "a\n" + std::string(40, 'x') + "\nb\n");
  CHECK(WrapWords("one two  three", 9, "  ") == "  one two\n  three\n");
}

TEST_CASE("display width counts characters, not bytes or colour codes", "[cli]") {
  CHECK(DisplayWidth("abc") == 3);
  CHECK(DisplayWidth("caf\xc3\xa9") == 4);             // é is two bytes
  CHECK(DisplayWidth("\x1b[1morphan\x1b[0m") == 6);  // bold
  CHECK(Plural(1, "filing") == "filing");
  CHECK(Plural(0, "filing") == "filings");
  CHECK(LowerAscii("Newest") == "newest");
  CHECK(ParseColorMode("ALWAYS") == ColorMode::kAlways);
  CHECK_THROWS_AS(ParseColorMode("sometimes"), UsageError);
}

TEST_CASE("the hash that places filings and names terms keeps its on-disk values", "[cli]") {
  // Shards, header-less filing keys and long terms of existing indexes
  // depend on these values (common/src/strings.cc).
  CHECK(fidx::Fnv1a64("") == 1469598103934665603ull);
  CHECK(fidx::Fnv1a64("0001144204-17-013452") == 0x79c0b5b88b59b252ull);
}

TEST_CASE("the in-memory hash tells apart every accession of a filer's year", "[cli]") {
  // Sets of filings are sets of these hashes: a collision would merge two
  // filings. Keys of one length differing in their tail never collide.
  std::unordered_set<uint64_t> seen;
  int collisions = 0;
  char key[32];
  for (int n = 0; n < 200000; ++n) {
    std::snprintf(key, sizeof key, "0001144204-17-%06d", n);
    if (!seen.insert(fidx::MemoryHash64(key)).second) ++collisions;
  }
  CHECK(collisions == 0);
  // Keys that differ all along: filers' CIKs, years and sequences, and
  // header-less "path:" keys of several lengths.
  seen.clear();
  for (int cik = 0; cik < 400; ++cik) {
    for (int year = 0; year < 25; ++year) {
      for (int n = 0; n < 40; ++n) {
        std::snprintf(key, sizeof key, "%010d-%02d-%06d", 1000000 + cik * 7919, year, n * 37);
        if (!seen.insert(fidx::MemoryHash64(key)).second) ++collisions;
      }
    }
  }
  for (int n = 0; n < 100000; ++n) {
    std::string path = "path:/srv/edgar/" + std::to_string(n % 97) + "/" + std::to_string(n) + ".htm";
    if (!seen.insert(fidx::MemoryHash64(path)).second) ++collisions;
  }
  CHECK(seen.size() == 500000);
  CHECK(collisions == 0);
  CHECK(fidx::MemoryHash64("") != fidx::MemoryHash64(std::string(1, '\0')));
  CHECK(fidx::MemoryHash64("abc") == fidx::MemoryHash64(std::string("abc")));
}

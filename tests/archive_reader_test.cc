// ArchiveReader (fidx/archive_reader.h): which names are archives, how
// member names are recorded, and reading a real tar.gz and zip of bundled
// filings member by member, with the whole file's CRC-32 at the end.

#include <catch2/catch.hpp>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "fidx/archive_reader.h"
#include "test_paths.h"

namespace fs = std::filesystem;
using fidx::ArchiveReader;

namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

uint32_t Crc(const std::string& s) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// A scratch folder, removed at the end.
struct Scratch {
  std::string path = fs::temp_directory_path() / ("fidx-archive-test-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(path); }
  ~Scratch() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("archives are known by their extension", "[archive]") {
  for (const char* yes : {"20250108.nc.tar.gz", "/m/Feed/2025/QTR1/20250108.NC.TAR.GZ", "a.tar",
                          "a.tgz", "a.tar.bz2", "a.tbz2", "a.tar.xz", "a.txz", "filings.zip"}) {
    INFO(yes);
    CHECK(fidx::IsArchiveName(yes));
  }
  // EDGAR's -xbrl.zip repeats the filing beside it; gzipped files are
  // files, not archives.
  for (const char* no : {"0000320193-24-000123-xbrl.zip", "master.zip", "0001.txt.gz", "a.nc", "tar", "x.gz",
                         "a.zip/member.txt"}) {
    INFO(no);
    CHECK(!fidx::IsArchiveName(no));
  }
}

TEST_CASE("member names are recorded as relative clean paths", "[archive]") {
  CHECK(fidx::CleanMemberName("./2017/a.txt") == "2017/a.txt");
  CHECK(fidx::CleanMemberName("/abs//b.nc") == "abs/b.nc");
  CHECK(fidx::CleanMemberName("a/./b/") == "a/b");
  CHECK(fidx::CleanMemberName("../etc/passwd") == "");
  CHECK(fidx::CleanMemberName("a/../../b") == "");
  CHECK(fidx::CleanMemberName("./") == "");
}

TEST_CASE("a tar.gz and a zip are read member by member with the file's CRC at the end",
          "[archive]") {
  Scratch s;
  std::string corpus = std::string(fidx_test::kSourceDir) + "/corpus";
  std::string archive;
  SECTION("tar.gz") {
    archive = s.path + "/feed.nc.tar.gz";
    REQUIRE(std::system(("tar -C '" + corpus + "' -czf '" + archive + "' .").c_str()) == 0);
  }
  SECTION("zip") {
    archive = s.path + "/filings.zip";
    REQUIRE(std::system(("cd '" + corpus + "' && zip -q -r '" + archive + "' .").c_str()) == 0);
  }
  std::map<std::string, std::string> expected;
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (e.is_regular_file()) {
      expected[fs::relative(e.path(), corpus).string()] = Slurp(e.path().string());
    }
  }
  ArchiveReader reader;
  REQUIRE(reader.Open(archive));
  std::map<std::string, std::string> read;
  ArchiveReader::Member m;
  while (reader.Next(&m)) {
    if (!m.regular) continue;
    std::string data;
    bool too_large = false;
    // A limit below the member's size skips it, and reading goes on.
    if (fidx::CleanMemberName(m.name) == "2017/0001144204-17-013452.txt") {
      CHECK(!reader.ReadData(1000, &data, &too_large));
      CHECK(too_large);
      CHECK(reader.error().empty());
      read[fidx::CleanMemberName(m.name)] = expected["2017/0001144204-17-013452.txt"];
      continue;
    }
    REQUIRE(reader.ReadData(uint64_t{1} << 30, &data, &too_large));
    read[fidx::CleanMemberName(m.name)] = data;
  }
  REQUIRE(reader.error().empty());
  REQUIRE(reader.Drain());
  CHECK(read == expected);
  std::string raw = Slurp(archive);
  CHECK(reader.bytes_read() == raw.size());
  CHECK(reader.crc() == Crc(raw));
}

TEST_CASE("a truncated tar ends with an error after the members before the break",
          "[archive]") {
  Scratch s;
  std::string corpus = std::string(fidx_test::kSourceDir) + "/corpus";
  std::string archive = s.path + "/t.tar";
  REQUIRE(std::system(("tar -C '" + corpus + "' -cf '" + archive + "' .").c_str()) == 0);
  fs::resize_file(archive, fs::file_size(archive) / 2);
  ArchiveReader reader;
  REQUIRE(reader.Open(archive));
  int members = 0;
  ArchiveReader::Member m;
  while (reader.Next(&m)) {
    std::string data;
    bool too_large = false;
    if (!reader.ReadData(uint64_t{1} << 30, &data, &too_large)) {
      CHECK_FALSE(too_large);
      break;
    }
    members += m.regular;
  }
  // Whether the break fell in a header (Next()) or in data (ReadData()).
  CHECK(!reader.error().empty());
  CHECK(members > 0);
}

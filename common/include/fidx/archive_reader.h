// Reading archives in place, member by member, without unpacking them:
// EDGAR's daily feed (YYYYMMDD.nc.tar.gz, a tar of .nc submissions) and
// .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz and .zip files holding filings.
//
// The archive is streamed once from start to end (libarchive), one member
// at a time: memory holds the member being read, never the archive. The
// raw bytes are checksummed as they stream by, so the archive's CRC-32 is
// known at the end without a second pass.

#ifndef FIDX_ARCHIVE_READER_H_
#define FIDX_ARCHIVE_READER_H_

#include <cstdint>
#include <string>
#include <string_view>

struct archive;
struct archive_entry;

namespace fidx {

// True if `name` (a file name or path) is an archive fidx reads in place,
// by its extension: .tar, .tar.gz, .tgz, .tar.bz2, .tbz2, .tar.xz, .txz,
// .zip. EDGAR's `<accession>-xbrl.zip` is not: it repeats documents of the
// filing that sits beside it.
bool IsArchiveName(std::string_view name);

// The name of a member as fidx records it: "./a//b.nc" -> "a/b.nc". ""
// when it cannot name a file under the archive (empty, "..", absolute
// paths are made relative).
std::string CleanMemberName(std::string_view name);

// If `path` lies inside an archive file on disk ("/m/feed.tar.gz/a/b.nc":
// a prefix named like an archive that is a regular file), that archive's
// path, the longest such prefix, with *rest (if given) set to what follows
// it ("a/b.nc"); "" otherwise.
std::string ContainingArchive(const std::string& path, std::string* rest = nullptr);

class ArchiveReader {
 public:
  struct Member {
    std::string name;       // as stored (see CleanMemberName())
    int64_t size = -1;      // uncompressed size, -1 when the archive does not say
    int64_t mtime_ns = 0;   // as stored in the archive
    bool regular = false;   // a regular file (not a folder, link, hard link, device ...)
  };

  ArchiveReader();
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  // Opens `path` for reading. False with error() set if it cannot be.
  bool Open(const std::string& path);

  // Moves to the next member. False at the end of the archive, or on an
  // error (then error() is non-empty: truncated or corrupt data).
  bool Next(Member* member);

  // Reads the current member's data into *out. False if it holds more than
  // `max_bytes` (*too_large set; the member is skipped) or on an error
  // (error() set; the archive cannot be read further).
  bool ReadData(uint64_t max_bytes, std::string* out, bool* too_large);

  // Reads what is left of the file after the last member (padding, a zip's
  // central directory) so that crc() and bytes_read() cover all of it.
  // Call after Next() returned false without an error.
  bool Drain();

  const std::string& error() const { return error_; }
  // CRC-32 (zlib) and count of the raw bytes read from the file so far.
  uint32_t crc() const { return crc_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  static long ReadCallback(struct archive* a, void* self, const void** buffer);
  void SetError(const char* what);

  struct archive* archive_ = nullptr;
  struct archive_entry* entry_ = nullptr;  // the current member's (libarchive's)
  int fd_ = -1;
  std::string path_;
  std::string buffer_;
  std::string error_;
  uint32_t crc_ = 0;
  uint64_t bytes_read_ = 0;
  bool eof_ = false;
};

}  // namespace fidx

#endif  // FIDX_ARCHIVE_READER_H_

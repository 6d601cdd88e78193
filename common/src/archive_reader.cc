#include "fidx/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include "fidx/edgar_index.h"

namespace fidx {

namespace {

constexpr size_t kBlock = size_t{1} << 20;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EndsWith(const std::string& s, std::string_view e) {
  return s.size() > e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0;
}

}  // namespace

bool IsArchiveName(std::string_view name) {
  size_t slash = name.find_last_of('/');
  std::string lower = Lower(slash == std::string_view::npos ? name : name.substr(slash + 1));
  if (EndsWith(lower, "-xbrl.zip")) return false;
  if (IsEdgarIndexName(lower)) return false;  // master.zip: an index file
  for (std::string_view e : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz",
                             ".zip"}) {
    if (EndsWith(lower, e)) return true;
  }
  return false;
}

std::string CleanMemberName(std::string_view name) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= name.size()) {
    size_t j = name.find('/', i);
    if (j == std::string_view::npos) j = name.size();
    std::string_view part = name.substr(i, j - i);
    if (part == "..") return "";
    if (!part.empty() && part != ".") parts.push_back(part);
    i = j + 1;
  }
  std::string out;
  for (std::string_view p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  for (char c : out) {
    if (c == '\0' || c == '\n') return "";
  }
  return out;
}

std::string ContainingArchive(const std::string& path, std::string* rest) {
  for (size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0;
       slash = path.rfind('/', slash - 1)) {
    std::string prefix = path.substr(0, slash);
    struct stat st;
    if (IsArchiveName(prefix) && ::stat(prefix.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      if (rest) *rest = path.substr(slash + 1);
      return prefix;
    }
  }
  return "";
}

ArchiveReader::ArchiveReader() = default;

ArchiveReader::~ArchiveReader() {
  if (archive_) archive_read_free(archive_);
  if (fd_ >= 0) ::close(fd_);
}

long ArchiveReader::ReadCallback(struct archive* a, void* self, const void** buffer) {
  auto* r = static_cast<ArchiveReader*>(self);
  ssize_t n;
  do {
    n = ::read(r->fd_, r->buffer_.data(), r->buffer_.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    archive_set_error(a, errno, "%s", std::strerror(errno));
    return -1;
  }
  if (n == 0) r->eof_ = true;
  r->crc_ = static_cast<uint32_t>(
      crc32(r->crc_, reinterpret_cast<const Bytef*>(r->buffer_.data()), static_cast<uInt>(n)));
  r->bytes_read_ += static_cast<uint64_t>(n);
  *buffer = r->buffer_.data();
  return static_cast<long>(n);
}

void ArchiveReader::SetError(const char* what) {
  const char* msg = archive_ ? archive_error_string(archive_) : nullptr;
  error_ = msg && *msg ? msg : what;
}

bool ArchiveReader::Open(const std::string& path) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    error_ = std::strerror(errno);
    return false;
  }
  buffer_.resize(kBlock);
  archive_ = archive_read_new();
  // Streamed, never seeked: the zip reader that follows local headers, not
  // the central directory at the end (and the CRC covers bytes in order).
  archive_read_support_filter_gzip(archive_);
  archive_read_support_filter_bzip2(archive_);
  archive_read_support_filter_xz(archive_);
  archive_read_support_format_tar(archive_);
  archive_read_support_format_gnutar(archive_);
  archive_read_support_format_zip_streamable(archive_);
  if (archive_read_open(archive_, this, nullptr, &ArchiveReader::ReadCallback, nullptr) !=
      ARCHIVE_OK) {
    SetError("not a readable archive");
    return false;
  }
  return true;
}

bool ArchiveReader::Next(Member* member) {
  if (!error_.empty()) return false;
  struct archive_entry* entry = nullptr;
  entry_ = nullptr;
  int rc = archive_read_next_header(archive_, &entry);
  if (rc == ARCHIVE_EOF) return false;
  if (rc < ARCHIVE_WARN) {
    SetError("corrupt archive");
    return false;
  }
  entry_ = entry;
  const char* name = archive_entry_pathname(entry);
  member->name = name ? name : "";
  member->size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : -1;
  // A bogus time (beyond what nanoseconds in 64 bits hold) counts as none.
  int64_t seconds = archive_entry_mtime_is_set(entry) ? archive_entry_mtime(entry) : 0;
  constexpr int64_t kMaxSeconds = INT64_MAX / 1000000000 - 1;
  if (seconds > kMaxSeconds || seconds < -kMaxSeconds) seconds = 0;
  member->mtime_ns = seconds == 0 ? 0 : seconds * 1000000000 + archive_entry_mtime_nsec(entry);
  // A tar's hard link carries no data: its target is a member already.
  member->regular =
      archive_entry_filetype(entry) == AE_IFREG && archive_entry_hardlink(entry) == nullptr;
  return true;
}

bool ArchiveReader::ReadData(uint64_t max_bytes, std::string* out, bool* too_large) {
  out->clear();
  *too_large = false;
  // One allocation when the archive states the size (tar always does): a
  // member of hundreds of MB is never copied while growing.
  la_int64_t size = entry_ && archive_entry_size_is_set(entry_) ? archive_entry_size(entry_) : 0;
  if (size > 0 && static_cast<uint64_t>(size) <= max_bytes) out->reserve(static_cast<size_t>(size));
  char block[64 * 1024];
  while (true) {
    la_ssize_t n = archive_read_data(archive_, block, sizeof block);
    if (n == 0) return true;
    if (n < 0) {
      // ARCHIVE_WARN here is a checksum mismatch: the data is damaged.
      SetError("corrupt member data");
      out->clear();
      return false;
    }
    if (out->size() + static_cast<uint64_t>(n) > max_bytes) {
      // Skipping the rest is reading it through (a stream cannot seek).
      *too_large = true;
      out->clear();
      std::string().swap(*out);
      if (archive_read_data_skip(archive_) < ARCHIVE_WARN) {
        SetError("corrupt member data");
        return false;
      }
      return false;
    }
    out->append(block, static_cast<size_t>(n));
  }
}

bool ArchiveReader::Drain() {
  while (!eof_) {
    const void* ignored;
    if (ReadCallback(archive_, this, &ignored) < 0) {
      error_ = std::strerror(errno);
      return false;
    }
  }
  return true;
}

}  // namespace fidx

#include "fidx/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace fidx {

bool LooksGzipped(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

bool Gunzip(std::string_view in, uint64_t max_bytes, std::string* out,
            std::string* error) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  // 16 + MAX_WBITS: expect a gzip wrapper; concatenated members are handled
  // by resetting after each Z_STREAM_END.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
    *error = "cannot initialise zlib";
    return false;
  }
  out->clear();
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    out->append(buf, sizeof buf - zs.avail_out);
    if (out->size() > max_bytes) {
      inflateEnd(&zs);
      *error = "decompressed size exceeds limit";
      return false;
    }
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // another gzip member follows
    }
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    *error = (rc == Z_BUF_ERROR) ? "truncated gzip data" : "corrupt gzip data";
    return false;
  }
  return true;
}

bool ReadFileBytes(const std::string& path, const ReadLimits& limits,
                   std::string* out, bool* gzipped, std::string* error) {
  *gzipped = false;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = std::strerror(errno);
    return false;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    *error = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
    ::close(fd);
    return false;
  }
  if (static_cast<uint64_t>(st.st_size) > limits.max_bytes) {
    *error = "file too large (" + std::to_string(st.st_size >> 20) + " MB)";
    ::close(fd);
    return false;
  }
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, &data[got], data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // file shrank under us: keep what we have
    got += static_cast<size_t>(n);
  }
  int saved = errno;
  ::close(fd);
  if (got < data.size()) {
    if (got == 0 && data.size() > 0) {
      *error = std::string("read failed: ") + std::strerror(saved);
      return false;
    }
    data.resize(got);
  }
  if (LooksGzipped(data)) {
    *gzipped = true;
    return Gunzip(data, limits.max_bytes, out, error);
  }
  *out = std::move(data);
  return true;
}

}  // namespace fidx

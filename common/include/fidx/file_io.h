// Reading files into memory, with transparent gunzip.

#ifndef FIDX_FILE_IO_H_
#define FIDX_FILE_IO_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace fidx {

struct ReadLimits {
  // Files larger than this (before or after decompression) are refused.
  uint64_t max_bytes = uint64_t{1} << 30;
};

// Reads the whole file at `path` into *out, gunzipping it when it starts with
// the gzip magic bytes (*gzipped tells which). On failure returns false and
// sets *error to a short reason without the path ("permission denied").
bool ReadFileBytes(const std::string& path, const ReadLimits& limits,
                   std::string* out, bool* gzipped, std::string* error);

// Gunzips `in` into *out. Returns false with *error on corrupt or truncated
// data, or when the output would exceed `max_bytes`.
bool Gunzip(std::string_view in, uint64_t max_bytes, std::string* out,
            std::string* error);

// True if `data` starts with the gzip magic bytes.
bool LooksGzipped(std::string_view data);

}  // namespace fidx

#endif  // FIDX_FILE_IO_H_

// What an index holds, by source file: the file catalog as `fidx files`
// lists it.

#ifndef FIDX_INDEX_FILES_H_
#define FIDX_INDEX_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "fidx/status.h"

namespace fidx {

// One source file the index knows.
struct IndexedFile {
  std::string path;        // absolute, as it was indexed
  std::string accession;   // "" for header-less files and failed ones
  uint32_t documents = 0;  // documents its filing has
  bool failed = false;     // could not be indexed (skipped until it changes)
  std::string reason;      // why it failed
  // An archive read in place: `documents` counts its members, listed as
  // files of their own under its path ("ARCHIVE/member").
  bool archive = false;
  // One of EDGAR's index files (master.idx, form.idx, ...): no filing of
  // its own; its rows date and name the filings it lists.
  bool edgar_index = false;
  uint64_t size = 0;
  int64_t indexed_at_ns = 0;  // wall-clock time it was last read
};

// Lists the files of the index at `db_path` (local shards only), sorted by
// path, those under one of `under` (files or folders; all when empty).
// Fails with kNoIndex if there is no fidx index there, kIOError if it
// cannot be read.
Status ListIndexedFiles(const std::string& db_path, const std::vector<std::string>& under,
                        std::vector<IndexedFile>* out);

}  // namespace fidx

#endif  // FIDX_INDEX_FILES_H_

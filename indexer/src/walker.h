// Enumerating the files under the paths given to `fidx add`.

#ifndef FIDX_INDEXER_WALKER_H_
#define FIDX_INDEXER_WALKER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

struct stat;

namespace fidx {

struct FileInfo {
  std::string path;  // absolute, under the (absolute) root it was found in
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint64_t inode = 0;
};

struct WalkResult {
  std::vector<FileInfo> files;        // sorted by path, no duplicates
  // EDGAR index files (master.idx ...; fidx/edgar_index.h): not indexed,
  // read for the metadata of header-less files.
  std::vector<FileInfo> edgar_indexes;
  // Archives read in place, member by member (fidx/archive_reader.h);
  // sorted by path.
  std::vector<FileInfo> archives;
  std::vector<std::string> roots;     // absolute roots that exist
  uint64_t failures = 0;              // unreadable entries reported
  // Entries that exist but could not be read or stat'ed (permissions, I/O
  // errors, link loops): what lies under them is unknown, not gone.
  std::vector<std::string> unreadable;
  // Symbolic links to nothing, as lstat sees the link itself: not reported
  // here but by the indexer, once, like other files that cannot be read.
  std::vector<FileInfo> broken_links;
};

using WalkWarning = std::function<void(const std::string& path, const std::string& message)>;

// Walks `roots` (files or directories, recursively), following symlinks but
// never a directory twice (symlink loops). Skips dot-files and files whose
// extension says they are not filings (.pdf, .jpg, .csv, .idx ...); lists
// archives (.tar.gz, .zip ...) apart.
// Problems (missing root, unreadable directory) go to `warn`; broken
// links are listed in WalkResult::broken_links.
// Directories in `skip` (the index itself) are never entered.
WalkResult Walk(const std::vector<std::string>& roots, const WalkWarning& warn,
                const std::vector<std::string>& skip = {});

// True for a file name (the last part of a path) that never holds filing
// text by its extension (.pdf, .jpg, .csv, .idx ..., gzipped or not) or
// that is hidden (starts with a dot): not indexed, in folders or archives.
bool SkippedName(const std::string& name);

// `path` made absolute as the walk records paths: resolved with realpath
// when it exists, else lexically (a folder that was moved away).
std::string AbsolutePath(const std::string& path);

// The FileInfo of `path` from its stat (or lstat) result.
FileInfo MakeFileInfo(const std::string& path, const struct stat& st);

// True if `path` is `root` or lies under it.
bool PathUnder(const std::string& path, const std::string& root);

}  // namespace fidx

#endif  // FIDX_INDEXER_WALKER_H_

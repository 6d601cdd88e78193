// The file catalog: what the index knows of each source file (size, times,
// content checksum, the filing it produced), kept in the user metadata of
// the shard holding that filing, so a record and its documents are always
// committed together.

#ifndef FIDX_INDEXER_CATALOG_H_
#define FIDX_INDEXER_CATALOG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace Xapian {
class Database;
}

namespace fidx {

struct FileRecord {
  std::string path;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t inode = 0;
  uint32_t crc = 0;          // zlib crc32 of the raw (compressed) bytes
  int64_t indexed_at_ns = 0; // wall-clock time of indexing
  bool failed = false;       // could not be indexed; skipped until it changes
  uint32_t documents = 0;
  std::string filing_key;    // "" for failed files
  std::string reason;        // why it failed

  // An archive's own record (fidx/archive_reader.h) holds no filing: its
  // filing key is kArchiveKey and `documents` counts the records of its
  // members, which are kept under MemberPath(archive, member name).
  bool IsArchive() const;

  std::string Encode() const;
  static bool Decode(const std::string& value, FileRecord* out);
};

inline constexpr char kArchiveKey[] = "archive:";

// The `reason` of an EDGAR index file's record (no filing, no documents:
// its rows date and name the filings it lists).
inline constexpr char kEdgarIndexReason[] = "EDGAR index file";

// The path a member of an archive is recorded, searched and shown by:
// "/mirror/20240102.nc.tar.gz/0001234567-24-000001.nc", as if the archive
// were a folder, so that whatever takes a folder (`fidx files`, `fidx
// remove`) takes an archive too.
std::string MemberPath(const std::string& archive, const std::string& member);

// The metadata key of a path's record.
std::string RecordKey(const std::string& path);

// A loaded record and the shard it was found in.
struct CatalogEntry {
  FileRecord record;
  int shard = 0;
  bool duplicated = false;  // found in more than one shard (interrupted move)
};

// Reads every file record of every shard. `dbs[i]` is shard i.
void LoadCatalog(const std::vector<Xapian::Database*>& dbs,
                 std::map<std::string, CatalogEntry>* catalog);

// The path of the archive whose member `path` is (the longest path above
// it with an archive record in `catalog`); "" if it is no member.
std::string ArchiveOfMember(const std::map<std::string, CatalogEntry>& catalog,
                            const std::string& path);

// The entries of `catalog` for members of `archive`, in path order.
template <typename Fn>
void ForEachMember(const std::map<std::string, CatalogEntry>& catalog,
                   const std::string& archive, Fn fn) {
  for (auto it = catalog.lower_bound(archive + "/");
       it != catalog.end() && it->first.compare(0, archive.size() + 1, archive + "/") == 0;
       ++it) {
    fn(*it);
  }
}

}  // namespace fidx

#endif  // FIDX_INDEXER_CATALOG_H_

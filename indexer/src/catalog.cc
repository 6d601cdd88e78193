#include "catalog.h"

#include <xapian.h>

#include <charconv>
#include <sstream>

#include "fidx/schema.h"

namespace fidx {

std::string FileRecord::Encode() const {
  // Space-separated numbers, then tab-separated filing key, reason and path
  // (last, since a file name may itself contain a tab). Versioned.
  std::ostringstream out;
  out << "1 " << size << ' ' << mtime_ns << ' ' << inode << ' ' << crc << ' '
      << indexed_at_ns << ' ' << (failed ? 1 : 0) << ' ' << documents << '\t'
      << filing_key << '\t' << reason << '\t' << path;
  return out.str();
}

bool FileRecord::Decode(const std::string& value, FileRecord* r) {
  // Runs once per indexed file on every run, even a no-op one: no streams.
  size_t t1 = value.find('\t');
  if (t1 == std::string::npos) return false;
  size_t t2 = value.find('\t', t1 + 1);
  if (t2 == std::string::npos) return false;
  size_t t3 = value.find('\t', t2 + 1);
  if (t3 == std::string::npos) return false;
  const char* p = value.data();
  const char* end = value.data() + t1;
  auto next = [&p, end](auto* out) {
    while (p < end && *p == ' ') ++p;
    auto [q, ec] = std::from_chars(p, end, *out);
    if (ec != std::errc() || q == p) return false;
    p = q;
    return true;
  };
  int version = 0, failed = 0;
  if (!next(&version) || version != 1) return false;
  if (!(next(&r->size) && next(&r->mtime_ns) && next(&r->inode) && next(&r->crc) &&
        next(&r->indexed_at_ns) && next(&failed) && next(&r->documents))) {
    return false;
  }
  r->failed = failed != 0;
  r->filing_key = value.substr(t1 + 1, t2 - t1 - 1);
  r->reason = value.substr(t2 + 1, t3 - t2 - 1);
  r->path = value.substr(t3 + 1);
  return true;
}

bool FileRecord::IsArchive() const { return filing_key == kArchiveKey; }

std::string MemberPath(const std::string& archive, const std::string& member) {
  return archive + "/" + member;
}

std::string ArchiveOfMember(const std::map<std::string, CatalogEntry>& catalog,
                            const std::string& path) {
  for (size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0;
       slash = path.rfind('/', slash - 1)) {
    auto it = catalog.find(path.substr(0, slash));
    if (it != catalog.end() && it->second.record.IsArchive()) return it->first;
  }
  return "";
}

std::string RecordKey(const std::string& path) {
  return schema::SafeTerm(schema::kMetaFilePrefix + path);
}

void LoadCatalog(const std::vector<Xapian::Database*>& dbs,
                 std::map<std::string, CatalogEntry>* catalog) {
  for (size_t shard = 0; shard < dbs.size(); ++shard) {
    Xapian::Database& db = *dbs[shard];
    for (auto it = db.metadata_keys_begin(schema::kMetaFilePrefix);
         it != db.metadata_keys_end(schema::kMetaFilePrefix); ++it) {
      FileRecord rec;
      if (!FileRecord::Decode(db.get_metadata(*it), &rec)) continue;
      auto [pos, inserted] = catalog->try_emplace(rec.path);
      if (!inserted) {
        pos->second.duplicated = true;
        continue;
      }
      pos->second.record = std::move(rec);
      pos->second.shard = static_cast<int>(shard);
    }
  }
}

}  // namespace fidx

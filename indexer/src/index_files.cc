#include "fidx/index_files.h"

#include <xapian.h>

#include <map>

#include "catalog.h"
#include "fidx/index_layout.h"
#include "fidx/schema.h"
#include "walker.h"

namespace fidx {

Status ListIndexedFiles(const std::string& db_path, const std::vector<std::string>& under,
                        std::vector<IndexedFile>* out) {
  out->clear();
  if (std::string why = ForeignIndexReason(db_path, true); !why.empty()) {
    return Status::NoIndex(why);
  }
  std::vector<std::string> shards;
  std::string error;
  if (!ListShards(db_path, &shards, &error)) return Status::NoIndex(error);
  std::map<std::string, CatalogEntry> catalog;
  try {
    std::vector<Xapian::Database> dbs;
    for (const std::string& shard : shards) {
      dbs.emplace_back(shard);
      std::string version = dbs.back().get_metadata(schema::kMetaSchema);
      error = schema::SchemaMismatch(shard, version);
      if (error.empty() && version.empty() && dbs.back().get_doccount() > 0) {
        error = shard + " is a Xapian database that fidx did not write (no fidx layout record)";
      }
      if (!error.empty()) return Status::NoIndex(error);
    }
    std::vector<Xapian::Database*> readers;
    for (auto& db : dbs) readers.push_back(&db);
    LoadCatalog(readers, &catalog);
  } catch (const Xapian::Error& e) {
    return Status::IOError(e.get_description());
  }
  std::vector<std::string> roots;
  for (const std::string& u : under) roots.push_back(AbsolutePath(u));
  for (auto& [path, entry] : catalog) {
    bool wanted = roots.empty();
    for (const std::string& root : roots) wanted = wanted || PathUnder(path, root);
    if (!wanted) continue;
    const FileRecord& r = entry.record;
    IndexedFile f;
    f.path = path;
    // Header-less filings are keyed "path:<hash>" (FilingKey() in
    // document_builder.cc); every other key is the accession.
    f.archive = r.IsArchive();
    f.edgar_index = !r.failed && r.filing_key.empty() && r.reason == kEdgarIndexReason;
    if (r.filing_key.rfind("path:", 0) != 0 && !f.archive) f.accession = r.filing_key;
    f.documents = r.documents;
    f.failed = r.failed;
    f.reason = r.reason;
    f.size = r.size;
    f.indexed_at_ns = r.indexed_at_ns;
    out->push_back(std::move(f));
  }
  return Status::OK();
}

}  // namespace fidx

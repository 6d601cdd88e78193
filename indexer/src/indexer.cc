// `fidx add`: lock, open or create the shards, load the file catalog, walk,
// decide what changed, then parse and tokenise in worker threads feeding one
// writer thread per shard.

#include "fidx/indexer.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xapian.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <condition_variable>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_set>
#include <thread>

#include "catalog.h"
#include "fidx/archive_reader.h"
#include "fidx/assemble.h"
#include "fidx/edgar_index.h"
#include "document_builder.h"
#include "fidx/compact.h"
#include "fidx/file_io.h"
#include "fidx/index_layout.h"
#include "fidx/parser.h"
#include "fidx/schema.h"
#include "shard_writer.h"
#include "walker.h"

namespace fidx {

namespace {

// A file modified this close to its indexing time may have changed again
// within the file system's timestamp granularity: check its content.
constexpr int64_t kRacyNanos = 2'000'000'000;

int64_t WallNanos() {
  struct timespec ts;
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

const std::string& PathOf(const FileInfo& f) { return f.path; }
const std::string& PathOf(const std::string& path) { return path; }

// True if a sorted list of paths holds `root` or a path under it, given
// seek(p): the first element not before p, or nullptr. Binary searches, so
// that a run over many roots stays one pass over the files.
template <typename Seek>
bool AnyUnder(const std::string& root, Seek seek) {
  const std::string* at = seek(root);
  if (at && *at == root) return true;
  // Siblings such as "root-2" sort between "root" and "root/...".
  at = seek(!root.empty() && root.back() == '/' ? root : root + '/');
  return at && PathUnder(*at, root);
}

// True if the file `path` exists; a member of an archive (MemberPath())
// exists as long as its archive does.
bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 || !ContainingArchive(path).empty();
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return s;
}

std::string JoinWarnings(const std::vector<std::string>& warnings) {
  std::string out;
  for (const std::string& w : warnings) {
    if (!out.empty()) out += "; ";
    out += w;
  }
  return OneLine(out);
}

struct Task {
  FileInfo info;
  const CatalogEntry* old = nullptr;  // nullptr for files new to the index
  // Its filing's documents came from a file that is gone: write it even if
  // its content is unchanged (see PlanRewrites()).
  bool rewrite = false;
  // An EDGAR index file listing its accession is new or changed: parse it
  // again even if its content is unchanged.
  bool refresh = false;
  // Every file of one accession by EDGAR's archive layout (see GroupTasks()),
  // read together into one filing; empty for a task of one file.
  std::vector<std::pair<FileInfo, const CatalogEntry*>> group = {};
  // An archive, read member by member (ProcessArchive()).
  bool archive = false;
  // A member of an archive: `info` holds its path (MemberPath()), size and
  // stored time; its bytes come with it (MemberJob), not from a file.
  bool member = false;
  // A member's archive's count of members found unchanged.
  std::atomic<uint64_t>* unchanged_members = nullptr;
  // An archive's members to parse even if unchanged: copies of filings
  // whose documents came from a file that is gone (see PlanRewrites()).
  std::set<std::string> rewrite_members;
};

Task MakeTask(const FileInfo& info, const CatalogEntry* old) {
  Task t;
  t.info = info;
  t.old = old;
  return t;
}

// Members read from an archive, waiting for a worker: one, or the members
// of one accession by their paths (AccessionFromPath()) that follow each
// other in the archive, read together into one filing as the files of an
// archive folder are (see GroupTasks()).
struct MemberJob {
  std::vector<Task> tasks;
  std::vector<std::string> data;  // each member's bytes (gunzipped)
  std::vector<char> gzipped;
  uint64_t bytes = 0;
  int* pending = nullptr;  // its archive's jobs not yet done (under member_mu_)
};

// Members queued for the workers, at most this much data (and two per
// worker): the archive's reader parses the next one itself when it is full.
constexpr uint64_t kMemberQueueBytes = uint64_t{64} << 20;

class IndexRun {
 public:
  IndexRun(const IndexOptions& options, IndexReporter* reporter)
      : options_(options), reporter_(reporter) {}

  IndexResult Run();

 private:
  Status OpenShards();
  void Plan(const WalkResult& walk);
  std::set<std::string> PlanBrokenLinks(const WalkResult& walk);
  void PlanRemoval();
  // True if archive `a` need not be opened: its record (`old`, may be
  // null) matches it and every member it wrote is recorded.
  bool ArchiveUnchanged(const FileInfo& a, const CatalogEntry* old) const;
  // True if archive `a` failed before and has not changed since: not read
  // again (unless --retry-failed), like a failed file.
  bool ArchiveKnownBad(const FileInfo& a, const CatalogEntry* old) const;
  // Adds the filings of changed archives that have a copy outside them.
  void AddChangedArchiveCopies(const WalkResult& walk,
                               std::set<std::string>* orphaned_keys) const;
  void PlanRewrites(const std::set<std::string>& orphaned_keys,
                    const std::vector<const FileInfo*>& unchanged);
  void GroupTasks(const WalkResult& walk);
  void PlanEdgarIndexes(const WalkResult& walk);
  void LoadEdgarIndexes(const WalkResult& walk, const std::set<std::string>& changed,
                        std::set<std::string>* changed_accessions);
  void RecordEdgarIndexes();
  void ApplyEdgarIndexes(Filing* filing) const;
  void ScheduleRemovals();
  void WriteRecordsLast();
  void ProcessAll();
  void Process(const Task& task, DocumentBuilder* builder);
  void ProcessGroup(const Task& task, DocumentBuilder* builder,
                    std::vector<std::string>* data = nullptr,
                    const std::vector<char>* gzipped = nullptr);
  void ProcessMemberGroup(MemberJob& job, DocumentBuilder* builder);
  bool ParseBytes(const Task& task, std::string data, bool gzipped, FileRecord* rec,
                  Filing* filing);
  void ProcessData(const Task& task, std::string data, bool gzipped, DocumentBuilder* builder);
  void PlanArchives(const WalkResult& walk);
  void PlanArchiveRewrites(const std::set<std::string>& orphaned_keys,
                           const std::set<std::string>* walked);
  void ProcessArchive(const Task& task, DocumentBuilder* builder);
  void Dispatch(MemberJob job, int* pending, DocumentBuilder* builder);
  void RunMember(MemberJob& job, DocumentBuilder* builder);
  void FinishMembers(int* pending, DocumentBuilder* builder);
  bool Stopping() const { return abort_.load() || (options_.stop && options_.stop->load()); }
  // Some work of this run was not done (stopped, a writer failed): what
  // must follow it all (removals, index-file records) waits for a next run.
  bool Incomplete() const {
    return abort_.load() || next_task_.load() < tasks_.size() || archive_interrupted_.load();
  }
  bool ReadAndParse(const Task& task, FileRecord* rec, Filing* filing);
  void Fail(const Task& task, const std::string& reason, bool record);
  void SendDelete(const CatalogEntry& entry, const std::string& path, int except_shard);
  IndexResult Finish(double started);

  const IndexOptions& options_;
  IndexReporter* reporter_;
  int shard_count_ = 1;
  std::vector<std::string> shard_paths_;
  std::vector<std::unique_ptr<ShardWriter>> writers_;
  std::map<std::string, CatalogEntry> catalog_;
  std::set<std::string> catalog_keys_;  // filing keys already in the index
  std::vector<Task> tasks_;
  // Records of files gone from under a walked root, removed after the
  // writes (see ScheduleRemovals()).
  std::vector<const std::pair<const std::string, CatalogEntry>*> removals_;
  std::atomic<bool> abort_{false};
  std::atomic<size_t> next_task_{0};
  std::atomic<bool> archive_interrupted_{false};  // an archive was left half read
  int jobs_ = 1;

  // Members read from archives for the workers (see Dispatch()).
  std::mutex member_mu_;
  std::condition_variable member_cv_;
  std::deque<MemberJob> member_queue_;
  uint64_t member_queue_bytes_ = 0;
  int archive_readers_ = 0;
  std::set<std::string> unchanged_archives_;  // skipped by PlanArchives()

  std::mutex mu_;  // guards stats_, failed_rewrites_ and the two below
  IndexStats stats_;
  std::set<std::string> failed_rewrites_;  // filing keys (see Fail())
  // Members that archives read this run no longer hold: removed with the
  // gone files (ScheduleRemovals()).
  std::vector<const std::pair<const std::string, CatalogEntry>*> lost_members_;
  // The records of the archives read this run, and their shards: written
  // last (WriteRecordsLast()).
  std::vector<std::pair<int, FileRecord>> archive_records_;
  // Accession -> rows of the EDGAR index files found in the walk, and the
  // name of the file each came from (read-only while workers run).
  std::map<std::string, std::vector<std::pair<EdgarIndexEntry, std::string>>> edgar_index_;
  std::vector<FileRecord> edgar_index_records_;  // of the new or changed ones
  std::set<std::string> index_refreshed_;  // accessions those list
  std::map<std::string, uint64_t> written_;  // filing key -> documents written
};

void IndexRun::PlanEdgarIndexes(const WalkResult& walk) {
  // An index file is known by its record (no documents). A new or changed
  // one is read even by a run with nothing else to do, and the files of the
  // accessions it lists are parsed again, so that an index added after its
  // filings still dates and names them.
  std::set<std::string> changed;
  for (const FileInfo& f : walk.edgar_indexes) {
    auto it = catalog_.find(f.path);
    const FileRecord* r = it == catalog_.end() ? nullptr : &it->second.record;
    if (r && r->size == f.size && r->mtime_ns == f.mtime_ns && r->inode == f.inode &&
        !options_.force) {
      continue;
    }
    changed.insert(f.path);
    FileRecord rec;
    rec.path = f.path;
    rec.size = f.size;
    rec.mtime_ns = f.mtime_ns;
    rec.inode = f.inode;
    rec.indexed_at_ns = WallNanos();
    rec.reason = kEdgarIndexReason;
    edgar_index_records_.push_back(rec);
  }
  // Archives are planned after this (PlanArchives()); one that will be
  // read may hold header-less members that need the rows too.
  bool archives_to_read = std::any_of(walk.archives.begin(), walk.archives.end(),
                                      [this](const FileInfo& a) {
                                        auto it = catalog_.find(a.path);
                                        const CatalogEntry* old =
                                            it == catalog_.end() ? nullptr : &it->second;
                                        return !ArchiveUnchanged(a, old) && !ArchiveKnownBad(a, old);
                                      });
  if (tasks_.empty() && changed.empty() && !archives_to_read) return;
  std::set<std::string> accessions;
  LoadEdgarIndexes(walk, changed, &accessions);
  if (accessions.empty()) return;
  // Members of archives listed by a new or changed index: read again with
  // their archives (PlanArchiveRewrites()).
  index_refreshed_ = accessions;
  std::set<std::string> queued;
  for (Task& t : tasks_) {
    queued.insert(t.info.path);
    if (t.old && accessions.count(t.old->record.filing_key)) t.refresh = true;
  }
  for (const FileInfo& f : walk.files) {
    auto it = catalog_.find(f.path);
    if (queued.count(f.path) || it == catalog_.end() || it->second.record.failed) continue;
    if (!accessions.count(it->second.record.filing_key)) continue;
    --stats_.unchanged;
    Task t = MakeTask(f, &it->second);
    t.refresh = true;
    tasks_.push_back(std::move(t));
  }
}

void IndexRun::RecordEdgarIndexes() {
  // After the filings they changed, in the same commits or later ones: a
  // run killed before this re-reads the index next time.
  if (Incomplete()) return;
  for (const FileRecord& rec : edgar_index_records_) {
    WriteOp op;
    op.kind = WriteOp::kRecord;
    op.path = rec.path;
    op.record = rec;
    writers_[ShardFor(rec.path, shard_count_)]->Push(std::move(op));
  }
}

void IndexRun::LoadEdgarIndexes(const WalkResult& walk, const std::set<std::string>& changed,
                                std::set<std::string>* changed_accessions) {
  for (const FileInfo& f : walk.edgar_indexes) {
    std::string data, error;
    std::vector<EdgarIndexEntry> rows;
    if (!ReadEdgarIndexFile(f.path, ReadLimits(), &data, &error)) {
      reporter_->Warning(f.path, "cannot read: " + error);
      continue;
    }
    if (!ParseEdgarIndex(data, &rows)) {
      reporter_->Warning(f.path, "not an EDGAR index file (no header line and dashes); ignored");
      continue;
    }
    std::string source = "edgar-index:" + f.path.substr(f.path.find_last_of('/') + 1);
    for (EdgarIndexEntry& row : rows) {
      std::string accession = row.accession;
      if (changed.count(f.path)) changed_accessions->insert(accession);
      edgar_index_[accession].emplace_back(std::move(row), source);
    }
  }
}

void IndexRun::ApplyEdgarIndexes(Filing* filing) const {
  // An SEC header outranks any index; a document's own content does not.
  if (filing->accession.empty() || PartRank(*filing) >= 2) return;
  auto it = edgar_index_.find(filing->accession);
  if (it == edgar_index_.end()) return;
  std::vector<const EdgarIndexEntry*> rows;
  for (const auto& [row, source] : it->second) rows.push_back(&row);
  ApplyEdgarIndex(rows, it->second.front().second, filing);
}

Status IndexRun::OpenShards() {
  std::string error;
  bool created = false;
  int wanted = options_.shards > 0 ? options_.shards : 1;
  if (!CreateIndexLayout(options_.db_path, wanted, &created, &error)) {
    return Status::IOError(error);
  }
  if (!ListShards(options_.db_path, &shard_paths_, &error)) return Status::NoIndex(error);
  shard_count_ = static_cast<int>(shard_paths_.size());
  if (!created && options_.shards > 0 && options_.shards != shard_count_) {
    reporter_->Notice("the index already has " + std::to_string(shard_count_) +
                      " shard(s); --shards " + std::to_string(options_.shards) +
                      " applies to new indexes only");
  }
  std::vector<Xapian::WritableDatabase> dbs;
  try {
    for (const std::string& path : shard_paths_) {
      dbs.emplace_back(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
      std::string version = dbs.back().get_metadata(schema::kMetaSchema);
      if (version.empty() && dbs.back().get_doccount() > 0) {
        return Status::NoIndex(path + " has documents but no fidx layout record: it was "
                               "not written by fidx, and fidx will not write into it");
      } else if (version.empty()) {
        dbs.back().set_metadata(schema::kMetaSchema, std::to_string(schema::kSchemaVersion));
        dbs.back().commit();
      } else if (std::string m = schema::SchemaMismatch(path, version); !m.empty()) {
        return Status::NoIndex(m);
      }
    }
  } catch (const Xapian::DatabaseLockError& e) {
    // Only "already locked" is a writer to wait for (one that does not take
    // fidx.lock, e.g. xapian-compact). "Couldn't open lockfile: Permission
    // denied", an NFS mount without locking or too many open files will not
    // go away by waiting: those are fatal (exit 4), not locked (exit 3),
    // or cron would retry a broken set-up in silence.
    bool held = e.get_msg().find("already locked") != std::string::npos;
    return held ? Status::Locked(e.get_msg())
                : Status::IOError("cannot write the index: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return Status::IOError(e.get_description());
  }
  std::vector<Xapian::Database*> readers;
  for (auto& db : dbs) readers.push_back(&db);
  LoadCatalog(readers, &catalog_);
  stats_.fresh_index = true;
  for (auto& db : dbs) stats_.fresh_index = stats_.fresh_index && db.get_doccount() == 0;
  for (const auto& [path, entry] : catalog_) {
    if (!entry.record.filing_key.empty()) catalog_keys_.insert(entry.record.filing_key);
  }
  WriterSettings settings;
  settings.commit_bytes = options_.commit_bytes;
  settings.commit_seconds = options_.commit_seconds;
  for (auto& db : dbs) {
    writers_.push_back(std::make_unique<ShardWriter>(std::move(db), settings, &abort_));
  }
  return Status::OK();
}

void IndexRun::SendDelete(const CatalogEntry& entry, const std::string& path,
                          int except_shard) {
  // A record found in two shards (a filing moved and the run was killed
  // between the two commits) is cleared from every shard.
  for (int s = 0; s < shard_count_; ++s) {
    if (s == except_shard) continue;
    if (!entry.duplicated && s != entry.shard) continue;
    WriteOp op;
    op.kind = WriteOp::kDeleteSource;
    op.path = path;
    writers_[s]->Push(std::move(op));
  }
}

void IndexRun::ScheduleRemovals() {
  // Queued after every write of the run, not before: a moved file's new
  // path replaces the filing's documents first (same unique terms), so the
  // old path's removal finds nothing left to delete, and the filing never
  // drops out of searches, not even when the run is killed half way. A run
  // that stopped early (signal, writer error) removes nothing: the writes
  // that should have preceded the removals may be missing; the next run
  // does both.
  // Nor is a filing removed whose remaining copy could not be re-read.
  if (Incomplete()) return;
  for (const auto* item : removals_) {
    const FileRecord& r = item->second.record;
    if (!r.failed && failed_rewrites_.count(r.filing_key)) continue;
    SendDelete(item->second, item->first, -1);
    if (!r.IsArchive()) ++stats_.removed;  // its members are the files
  }
  for (const auto* item : lost_members_) {
    const FileRecord& r = item->second.record;
    if (!r.failed && failed_rewrites_.count(r.filing_key)) continue;
    SendDelete(item->second, item->first, -1);
    ++stats_.removed;
  }
}

void IndexRun::WriteRecordsLast() {
  // An archive's record says "every member is indexed as the archive now
  // holds it", and an index file's "the filings I list have my rows": a
  // next run trusts them and reads neither. So they are written only once
  // every shard has committed the run's writes and removals: a kill can
  // then leave a member's filing, on another shard, behind its archive's
  // record no more. (A killed run leaves no record: the next one reads the
  // archive again and finds the members it had written unchanged.)
  if (abort_.load() || (archive_records_.empty() && edgar_index_records_.empty())) return;
  for (auto& w : writers_) {
    if (!w->Sync()) return;
  }
  for (auto& [shard, rec] : archive_records_) {
    WriteOp op;
    op.kind = WriteOp::kRecord;
    op.path = rec.path;
    op.record = rec;
    writers_[shard]->Push(std::move(op));
  }
  RecordEdgarIndexes();
}

void IndexRun::PlanRemoval() {
  // As when files vanish from under a walked folder: the files' records and
  // documents go (ScheduleRemovals()), and a filing whose documents came
  // from a removed file is first re-read from a copy that stays.
  std::vector<std::string> roots;
  for (const std::string& r : options_.roots) roots.push_back(AbsolutePath(r));
  std::set<std::string> orphaned_keys;
  std::set<std::string> removed;
  for (const auto& item : catalog_) {
    bool under = roots.empty();
    for (const std::string& root : roots) under = under || PathUnder(item.first, root);
    if (!under || (options_.remove_missing && Exists(item.first))) continue;
    removals_.push_back(&item);
    removed.insert(item.first);
    if (!item.second.record.failed && !item.second.record.IsArchive()) {
      orphaned_keys.insert(item.second.record.filing_key);
    }
  }
  for (const auto& [path, entry] : catalog_) {
    if (removed.count(path) || entry.record.failed) continue;
    if (!orphaned_keys.count(entry.record.filing_key)) continue;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    Task task = MakeTask(MakeFileInfo(path, st), &entry);
    task.rewrite = true;
    tasks_.push_back(task);
  }
  PlanArchiveRewrites(orphaned_keys, nullptr);
  stats_.files_to_process = 0;
  for (const Task& t : tasks_) stats_.files_to_process += t.archive ? 0 : 1;
}

std::set<std::string> IndexRun::PlanBrokenLinks(const WalkResult& walk) {
  // A dangling link is reported once and recorded as failed, so that cron
  // does not mail about it every 15 minutes; it is reported again when the
  // link changes. A link whose target vanished after it was indexed is a
  // removed file (the removal pass), reported on the next run.
  std::set<std::string> kept;
  for (const FileInfo& link : walk.broken_links) {
    auto it = catalog_.find(link.path);
    const CatalogEntry* old = it == catalog_.end() ? nullptr : &it->second;
    if (old && !old->record.failed) continue;
    kept.insert(link.path);
    const FileRecord* r = old ? &old->record : nullptr;
    if (r && r->size == link.size && r->mtime_ns == link.mtime_ns && r->inode == link.inode &&
        !options_.retry_failed && !options_.force) {
      ++stats_.known_bad;
      continue;
    }
    ++stats_.files_to_process;  // Fail() counts it processed
    Fail(MakeTask(link, old), "broken symbolic link (its target does not exist)", true);
  }
  return kept;
}

void IndexRun::Plan(const WalkResult& walk) {
  std::vector<const FileInfo*> unchanged;
  for (const FileInfo& f : walk.files) {
    auto it = catalog_.find(f.path);
    if (it == catalog_.end()) {
      tasks_.push_back(MakeTask(f, nullptr));
      continue;
    }
    const CatalogEntry& e = it->second;
    const FileRecord& r = e.record;
    bool same_stat = r.size == f.size && r.mtime_ns == f.mtime_ns && r.inode == f.inode;
    bool racy = r.mtime_ns + kRacyNanos >= r.indexed_at_ns;
    if (r.failed) {
      if (same_stat && !options_.retry_failed && !options_.force) {
        ++stats_.known_bad;  // reported when it failed; quiet until it changes
        continue;
      }
    } else if (same_stat && !racy && !options_.force && !e.duplicated) {
      ++stats_.unchanged;
      unchanged.push_back(&f);
      continue;
    }
    tasks_.push_back(MakeTask(f, &e));
  }
  std::set<std::string> kept_links = PlanBrokenLinks(walk);
  std::set<std::string> orphaned_keys;
  std::set<std::string> edgar_index_paths;
  for (const FileInfo& f : walk.edgar_indexes) edgar_index_paths.insert(f.path);
  std::set<std::string> archive_paths;
  // The records under a walked archive's path: its members (by path: a run
  // killed mid-archive left members but no record of the archive).
  std::unordered_set<const std::string*> members;
  for (const FileInfo& f : walk.archives) {
    archive_paths.insert(f.path);
    ForEachMember(catalog_, f.path, [&members](const auto& item) { members.insert(&item.first); });
  }
  if (options_.delete_missing) {
    // A walked folder with no files at all while the index holds files from
    // under it is an unmounted mirror far more often than a mass deletion:
    // keep its filings, and say so.
    std::vector<std::string> roots;
    for (const std::string& root : walk.roots) {
      bool any = false;
      for (const std::vector<FileInfo>* list : {&walk.files, &walk.archives}) {
        any = any || AnyUnder(root, [list](const std::string& p) -> const std::string* {
          auto it = std::lower_bound(
              list->begin(), list->end(), p,
              [](const FileInfo& f, const std::string& q) { return f.path < q; });
          return it == list->end() ? nullptr : &it->path;
        });
      }
      bool indexed = AnyUnder(root, [this](const std::string& p) -> const std::string* {
        auto it = catalog_.lower_bound(p);
        return it == catalog_.end() ? nullptr : &it->first;
      });
      if (!any && indexed) {
        reporter_->Warning(root, "is empty but indexed files were under it (not mounted?); "
                                 "keeping them. Remove them with a run over its parent folder");
        ++stats_.failed;
        continue;
      }
      roots.push_back(root);
    }
    for (const auto& item : catalog_) {
      bool seen = std::binary_search(
          walk.files.begin(), walk.files.end(), item.first,
          [](const auto& a, const auto& b) { return PathOf(a) < PathOf(b); });
      if (seen || kept_links.count(item.first) || edgar_index_paths.count(item.first)) continue;
      // Archives found, and their members: the archive's own pass (or its
      // unchanged record) accounts for them.
      if (archive_paths.count(item.first) || members.count(&item.first)) continue;
      bool under_root = false;
      for (const std::string& root : roots) {
        under_root = under_root || PathUnder(item.first, root);
      }
      // A folder that could not be read (permissions, an I/O error, a
      // mount gone stale) hides its files; it does not delete them.
      for (const std::string& dir : walk.unreadable) {
        under_root = under_root && !PathUnder(item.first, dir);
      }
      if (!under_root) continue;
      removals_.push_back(&item);
      if (!item.second.record.failed && !item.second.record.IsArchive()) {
        orphaned_keys.insert(item.second.record.filing_key);
      }
    }
  }
  AddChangedArchiveCopies(walk, &orphaned_keys);
  PlanRewrites(orphaned_keys, unchanged);
  PlanEdgarIndexes(walk);
  GroupTasks(walk);
  PlanArchives(walk);
  std::set<std::string> walked;
  for (const FileInfo& f : walk.archives) walked.insert(f.path);
  std::set<std::string> reread = orphaned_keys;
  reread.insert(index_refreshed_.begin(), index_refreshed_.end());
  PlanArchiveRewrites(reread, &walked);
  stats_.files_seen += walk.files.size();
  for (const Task& t : tasks_) {
    // An archive's members are counted as they are read.
    if (!t.archive) stats_.files_to_process += t.group.empty() ? 1 : t.group.size();
  }
}

void IndexRun::PlanRewrites(const std::set<std::string>& orphaned_keys,
                            const std::vector<const FileInfo*>& unchanged) {
  // A filing's documents belong to the file that wrote them last; a second
  // copy at another path (same accession) only has its record. When the
  // writing file is removed, the filing must be re-read from a remaining
  // copy, even an unchanged one, before the removal deletes the documents.
  // (If that re-read fails, the removal is skipped: see Fail().)
  if (orphaned_keys.empty()) return;
  std::multimap<std::string, const FileInfo*> by_key;
  for (const FileInfo* f : unchanged) by_key.emplace(catalog_.at(f->path).record.filing_key, f);
  for (const std::string& key : orphaned_keys) {
    auto [lo, hi] = by_key.equal_range(key);
    for (auto it = lo; it != hi; ++it) {
      --stats_.unchanged;
      tasks_.push_back(MakeTask(*it->second, &catalog_.at(it->second->path)));
    }
  }
  for (Task& task : tasks_) {
    if (!task.old || task.old->record.failed) continue;
    if (!orphaned_keys.count(task.old->record.filing_key)) continue;
    task.rewrite = true;
  }
}

void IndexRun::GroupTasks(const WalkResult& walk) {
  // The files of one accession by their paths (<accession>.txt, its
  // -index-headers.html, the documents of its archive folder ...) make one
  // filing: when any of them is new, changed or gone, all of them are read
  // again and assembled (fidx/assemble.h), so that neither the order they
  // arrive in nor the run they arrive in changes the filing.
  std::map<std::string, std::vector<const FileInfo*>> by_accession;
  for (const FileInfo& f : walk.files) {
    std::string accession = AccessionFromPath(f.path);
    if (!accession.empty()) by_accession[accession].push_back(&f);
  }
  std::set<std::string> queued;
  for (const Task& t : tasks_) queued.insert(t.info.path);
  std::vector<Task> out;
  std::set<std::string> done;
  for (Task& t : tasks_) {
    auto it = by_accession.find(AccessionFromPath(t.info.path));
    if (it == by_accession.end() || it->second.size() < 2) {
      out.push_back(std::move(t));
      continue;
    }
    if (!done.insert(it->first).second) continue;
    Task g;
    g.info = *it->second.front();
    for (const FileInfo* f : it->second) {
      auto c = catalog_.find(f->path);
      const CatalogEntry* old = c == catalog_.end() ? nullptr : &c->second;
      g.group.emplace_back(*f, old);
      if (!queued.count(f->path) && old && !old->record.failed) --stats_.unchanged;
    }
    out.push_back(std::move(g));
  }
  tasks_ = std::move(out);
}

void IndexRun::Fail(const Task& task, const std::string& reason, bool record) {
  reporter_->Warning(task.info.path, reason);
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.failed;
    ++stats_.files_processed;
  }
  // A copy that was to restore a filing whose other file is gone could not
  // be read: keep the gone file's documents (see ScheduleRemovals()); the
  // next run tries the copy again.
  if (task.rewrite) {
    std::lock_guard<std::mutex> lock(mu_);
    failed_rewrites_.insert(task.old->record.filing_key);
    return;
  }
  // A file that was indexed before keeps its documents: a failed re-read
  // must never lose what the index already had.
  if (!record || (task.old && !task.old->record.failed)) return;
  WriteOp op;
  op.kind = WriteOp::kRecord;
  op.path = task.info.path;
  op.record.path = task.info.path;
  op.record.size = task.info.size;
  op.record.mtime_ns = task.info.mtime_ns;
  op.record.inode = task.info.inode;
  op.record.indexed_at_ns = WallNanos();
  op.record.failed = true;
  op.record.reason = OneLine(reason);
  int shard = task.old ? task.old->shard : ShardFor(task.info.path, shard_count_);
  writers_[shard]->Push(std::move(op));
}

bool IndexRun::ReadAndParse(const Task& task, FileRecord* rec, Filing* filing) {
  const std::string& path = task.info.path;
  std::string data, error;
  bool gzipped = false;
  if (!ReadFileBytes(path, ReadLimits(), &data, &gzipped, &error)) {
    bool vanished = error == std::strerror(ENOENT);
    Fail(task, vanished ? "vanished during indexing" : "cannot read: " + error, !vanished);
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.bytes_read += task.info.size;
  }
  return ParseBytes(task, std::move(data), gzipped, rec, filing);
}

bool IndexRun::ParseBytes(const Task& task, std::string data, bool gzipped, FileRecord* rec,
                          Filing* filing) {
  const std::string& path = task.info.path;
  rec->path = path;
  rec->size = task.info.size;
  rec->mtime_ns = task.info.mtime_ns;
  rec->inode = task.info.inode;
  rec->crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
  rec->indexed_at_ns = WallNanos();
  ParseOptions popts;
  popts.path = path;
  *filing = ParseFiling(data, popts);
  filing->gzipped = gzipped;
  ApplyEdgarIndexes(filing);
  if (filing->format == Format::kUnknown) {
    Fail(task, filing->warnings.empty() ? "not an EDGAR filing or text document"
                                        : JoinWarnings(filing->warnings),
         true);
    return false;
  }
  if (!filing->warnings.empty()) reporter_->Warning(path, JoinWarnings(filing->warnings));
  return true;
}

void IndexRun::ProcessGroup(const Task& task, DocumentBuilder* builder,
                            std::vector<std::string>* data, const std::vector<char>* gzipped) {
  // `data`: the members' bytes, when the group's files are an archive's.
  std::vector<FilingPart> parts;
  std::vector<FileRecord> records;
  std::vector<const CatalogEntry*> olds;
  bool warned = false;
  for (size_t i = 0; i < task.group.size(); ++i) {
    const auto& [info, old] = task.group[i];
    Task one = MakeTask(info, old);
    one.rewrite = task.rewrite && old != nullptr;
    one.refresh = task.refresh;
    one.member = data != nullptr;
    FileRecord rec;
    Filing filing;
    bool ok = data ? ParseBytes(one, std::move((*data)[i]), (*gzipped)[i] != 0, &rec, &filing)
                   : ReadAndParse(one, &rec, &filing);
    if (!ok) continue;
    warned = warned || !filing.warnings.empty();
    parts.push_back({info.path, std::move(filing)});
    records.push_back(rec);
    olds.push_back(old);
  }
  if (parts.empty()) return;
  size_t files = parts.size();
  std::string primary;
  Filing filing = AssembleFiling(std::move(parts), &primary);
  WriteOp op;
  op.kind = WriteOp::kWrite;
  op.path = primary;
  std::vector<std::string> others;
  for (const FileRecord& r : records) {
    if (r.path != primary) others.push_back(r.path);
  }
  builder->Build(&filing, primary, &op.filing, others);
  int shard = ShardFor(op.filing.filing_key, shard_count_);
  bool fresh = !catalog_keys_.count(op.filing.filing_key);
  for (size_t i = 0; i < records.size(); ++i) {
    FileRecord& r = records[i];
    r.filing_key = op.filing.filing_key;
    r.documents = r.path == primary ? static_cast<uint32_t>(op.filing.docs.size()) : 0;
    if (olds[i]) SendDelete(*olds[i], r.path, shard);
    fresh = fresh && !olds[i];
    if (r.path == primary) {
      op.record = r;
    } else {
      op.more_records.push_back(r);
    }
  }
  op.fresh = fresh;
  uint64_t docs = op.filing.docs.size();
  std::string key = op.filing.filing_key;
  writers_[shard]->Push(std::move(op));
  std::lock_guard<std::mutex> lock(mu_);
  for (const CatalogEntry* old : olds) ++(old ? stats_.updated : stats_.added);
  written_[key] = docs;  // filings and documents are counted from written_
  stats_.files_processed += files;
  if (warned) ++stats_.warned;
}

bool IndexRun::ArchiveUnchanged(const FileInfo& a, const CatalogEntry* old) const {
  if (!old || options_.force) return false;
  const FileRecord& r = old->record;
  bool same_stat = r.size == a.size && r.mtime_ns == a.mtime_ns && r.inode == a.inode;
  bool racy = r.mtime_ns + kRacyNanos >= r.indexed_at_ns;
  uint64_t members = 0;
  bool duplicated = false;  // a member's filing moved shards in a killed run
  ForEachMember(catalog_, a.path, [&](const auto& item) {
    ++members;
    duplicated = duplicated || item.second.duplicated;
  });
  return !r.failed && r.IsArchive() && same_stat && !racy && !old->duplicated && !duplicated &&
         members == r.documents;
}

bool IndexRun::ArchiveKnownBad(const FileInfo& a, const CatalogEntry* old) const {
  if (!old || options_.force || options_.retry_failed) return false;
  const FileRecord& r = old->record;
  return r.failed && r.size == a.size && r.mtime_ns == a.mtime_ns && r.inode == a.inode;
}

void IndexRun::AddChangedArchiveCopies(const WalkResult& walk,
                                       std::set<std::string>* orphaned_keys) const {
  // A changed archive may have lost a member whose filing's documents it
  // wrote, while a copy of that filing stays elsewhere (a file, another
  // archive). Which members are gone is known only once the archive is
  // read, so every filing of a changed archive that has a copy outside it
  // is written again from all its copies, as for a removed file: the copy
  // whose path sorts first gives the documents, as in a fresh index.
  std::set<std::string> keys;
  std::unordered_set<std::string> archives;
  for (const FileInfo& a : walk.archives) {
    auto it = catalog_.find(a.path);
    if (it == catalog_.end() || ArchiveUnchanged(a, &it->second) ||
        ArchiveKnownBad(a, &it->second)) {
      continue;  // not read this run
    }
    archives.insert(a.path);
    ForEachMember(catalog_, a.path, [&keys](const auto& item) {
      if (!item.second.record.failed) keys.insert(item.second.record.filing_key);
    });
  }
  if (keys.empty()) return;
  for (const auto& [path, entry] : catalog_) {
    if (entry.record.failed || !keys.count(entry.record.filing_key)) continue;
    if (archives.count(ArchiveOfMember(catalog_, path))) continue;  // inside
    orphaned_keys->insert(entry.record.filing_key);
  }
}

void IndexRun::PlanArchives(const WalkResult& walk) {
  // An archive is one unit for change detection, like a file: the same
  // size, time and inode, and as many member records as it wrote, and it is
  // not opened. Otherwise it is read again, member by member: members whose
  // bytes are unchanged cost their decompression only (see ProcessData()).
  // The archive's record is written once its members' filings are
  // committed on every shard (WriteRecordsLast()); the member count catches
  // a run that removed members and was killed before its removals.
  for (const FileInfo& a : walk.archives) {
    ++stats_.archives;
    auto it = catalog_.find(a.path);
    const CatalogEntry* old = it == catalog_.end() ? nullptr : &it->second;
    if (ArchiveKnownBad(a, old)) {
      ++stats_.known_bad;
      continue;
    }
    if (ArchiveUnchanged(a, old)) {
      uint64_t members = 0;
      ForEachMember(catalog_, a.path, [&members](const auto&) { ++members; });
      stats_.files_seen += members;
      stats_.unchanged += members;
      ++stats_.archives_unchanged;
      unchanged_archives_.insert(a.path);
      continue;
    }
    Task t = MakeTask(a, old);
    t.archive = true;
    tasks_.push_back(std::move(t));
  }
}

void IndexRun::PlanArchiveRewrites(const std::set<std::string>& orphaned_keys,
                                   const std::set<std::string>* walked) {
  // A filing whose documents came from a removed file is re-read from a
  // copy that stays, and one that a new or changed EDGAR index file lists
  // is re-read for its rows; when such a file is a member of an archive,
  // the archive is read again, and that member parsed even though it is
  // unchanged. As
  // for files, `fidx add` looks for copies under the paths it walks
  // (`walked` archives), `fidx remove` everywhere.
  if (orphaned_keys.empty()) return;
  std::set<std::string> removed;
  for (const auto* item : removals_) removed.insert(item->first);
  std::map<std::string, std::set<std::string>> by_archive;
  for (const auto& [path, entry] : catalog_) {
    if (entry.record.failed || !orphaned_keys.count(entry.record.filing_key)) continue;
    if (removed.count(path)) continue;
    std::string archive = ArchiveOfMember(catalog_, path);
    if (archive.empty() || removed.count(archive)) continue;
    if (walked && !walked->count(archive)) continue;
    by_archive[archive].insert(path);
  }
  for (auto& [archive, members] : by_archive) {
    auto task = std::find_if(tasks_.begin(), tasks_.end(),
                             [&archive](const Task& t) { return t.archive && t.info.path == archive; });
    if (task == tasks_.end()) {
      struct stat st;
      if (::stat(archive.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      const CatalogEntry& old = catalog_.at(archive);
      if (unchanged_archives_.count(archive)) {
        // Counted unchanged by PlanArchives(): now read.
        --stats_.archives_unchanged;
        uint64_t members = 0;
        ForEachMember(catalog_, archive, [&members](const auto&) { ++members; });
        stats_.files_seen -= std::min(stats_.files_seen, members);
        stats_.unchanged -= std::min(stats_.unchanged, members);
      }
      Task t = MakeTask(MakeFileInfo(archive, st), &old);
      t.archive = true;
      tasks_.push_back(std::move(t));
      task = tasks_.end() - 1;
    }
    task->rewrite_members.insert(members.begin(), members.end());
  }
}

void IndexRun::RunMember(MemberJob& job, DocumentBuilder* builder) {
  try {
    if (job.tasks.size() == 1) {
      ProcessData(job.tasks[0], std::move(job.data[0]), job.gzipped[0], builder);
    } else {
      ProcessMemberGroup(job, builder);
    }
  } catch (const std::exception& e) {
    Fail(job.tasks[0], std::string("internal error: ") + e.what(), false);
  }
  std::lock_guard<std::mutex> lock(member_mu_);
  --*job.pending;
  member_cv_.notify_all();
}

void IndexRun::ProcessMemberGroup(MemberJob& job, DocumentBuilder* builder) {
  // Unchanged if every member is (a touched archive, a resumed run).
  bool same = !options_.force;
  for (size_t i = 0; i < job.tasks.size() && same; ++i) {
    const Task& t = job.tasks[i];
    const FileRecord* old = t.old ? &t.old->record : nullptr;
    uint32_t crc = static_cast<uint32_t>(crc32(
        0, reinterpret_cast<const Bytef*>(job.data[i].data()), static_cast<uInt>(job.data[i].size())));
    same = old && !old->failed && !t.old->duplicated && !t.rewrite && !t.refresh &&
           old->crc == crc && old->size == t.info.size;
  }
  if (same) {
    for (const Task& t : job.tasks) ++*t.unchanged_members;
    std::lock_guard<std::mutex> lock(mu_);
    stats_.unchanged += job.tasks.size();
    stats_.files_processed += job.tasks.size();
    return;
  }
  Task group = MakeTask(job.tasks[0].info, job.tasks[0].old);
  for (const Task& t : job.tasks) {
    group.group.emplace_back(t.info, t.old);
    group.rewrite = group.rewrite || t.rewrite;
  }
  ProcessGroup(group, builder, &job.data, &job.gzipped);
}

void IndexRun::Dispatch(MemberJob job, int* pending, DocumentBuilder* builder) {
  // To an idle worker through the queue; when the queue is full, the
  // reader parses the member itself, so memory stays bounded (the queue,
  // and one member per thread) and one reader never waits on the others.
  job.pending = pending;
  {
    std::lock_guard<std::mutex> lock(member_mu_);
    bool room = member_queue_.empty() ||
                (member_queue_bytes_ + job.bytes <= kMemberQueueBytes &&
                 member_queue_.size() < static_cast<size_t>(2 * jobs_));
    if (room && jobs_ > 1) {
      ++*pending;
      member_queue_bytes_ += job.bytes;
      member_queue_.push_back(std::move(job));
      member_cv_.notify_all();
      return;
    }
    ++*pending;
  }
  RunMember(job, builder);
}

void IndexRun::FinishMembers(int* pending, DocumentBuilder* builder) {
  // Until every member this reader handed over is done, take queued ones
  // (its own or another reader's) too; when stopping, drop them.
  while (true) {
    MemberJob job;
    {
      std::unique_lock<std::mutex> lock(member_mu_);
      if (*pending == 0) return;
      if (member_queue_.empty()) {
        member_cv_.wait_for(lock, std::chrono::milliseconds(100));
        continue;
      }
      job = std::move(member_queue_.front());
      member_queue_.pop_front();
      member_queue_bytes_ -= job.bytes;
      if (Stopping()) {
        --*job.pending;
        member_cv_.notify_all();
        continue;
      }
    }
    RunMember(job, builder);
  }
}

void IndexRun::ProcessArchive(const Task& task, DocumentBuilder* builder) {
  // One pass over the archive: each member is read whole (within the limit
  // for files), handed to a worker, and parsed as the file it would be
  // unpacked. Then the members that are gone are removed and the archive's
  // record is written, after its members' records: a run killed before
  // that reads the archive again, and finds the members it completed
  // unchanged.
  const std::string& path = task.info.path;
  // Idle workers wait for this reader's members until it is done, however
  // it ends.
  struct ReaderCount {
    IndexRun* run;
    explicit ReaderCount(IndexRun* r) : run(r) {
      std::lock_guard<std::mutex> lock(run->member_mu_);
      ++run->archive_readers_;
    }
    ~ReaderCount() {
      std::lock_guard<std::mutex> lock(run->member_mu_);
      --run->archive_readers_;
      run->member_cv_.notify_all();
    }
  } reader_count(this);
  std::map<std::string, const CatalogEntry*> old_members;
  ForEachMember(catalog_, path, [&old_members](const auto& item) {
    old_members[item.first] = &item.second;
  });
  ArchiveReader reader;
  std::set<std::string> seen;
  std::string problem, at_member;
  bool stopped = false;
  int pending = 0;
  std::atomic<uint64_t> unchanged_members{0};
  ReadLimits limits;
  MemberJob job;
  std::string job_accession;
  auto flush = [&] {
    if (!job.tasks.empty()) Dispatch(std::move(job), &pending, builder);
    job = MemberJob();
  };
  bool opened = reader.Open(path);
  if (!opened) {
    problem = reader.error();
  } else {
    try {
      ArchiveReader::Member m;
      while (true) {
        if (Stopping()) {
          stopped = true;
          break;
        }
        if (!reader.Next(&m)) break;
        std::string name = CleanMemberName(m.name);
        if (!m.regular || !IndexedMemberName(name)) continue;
        Task mt;
        mt.info.path = MemberPath(path, name);
        mt.info.mtime_ns = m.mtime_ns;
        mt.member = true;
        mt.unchanged_members = &unchanged_members;
        mt.rewrite = task.rewrite_members.count(mt.info.path) > 0;
        if (!seen.insert(mt.info.path).second) {
          reporter_->Warning(mt.info.path, "is in the archive twice; the first copy is indexed");
          continue;
        }
        auto o = old_members.find(mt.info.path);
        mt.old = o == old_members.end() ? nullptr : o->second;
        {
          std::lock_guard<std::mutex> lock(mu_);
          ++stats_.files_seen;
          ++stats_.files_to_process;
        }
        std::string data;
        bool too_large = false;
        if (!reader.ReadData(limits.max_bytes, &data, &too_large)) {
          if (too_large) {
            mt.info.size = m.size > 0 ? static_cast<uint64_t>(m.size) : limits.max_bytes;
            Fail(mt, "cannot read: file too large (" + std::to_string(mt.info.size >> 20) +
                         " MB)", true);
            if (reader.error().empty()) continue;
          }
          // The data broke off: this member is not read, nor any after it.
          problem = reader.error();
          at_member = name;
          seen.erase(mt.info.path);
          std::lock_guard<std::mutex> lock(mu_);
          --stats_.files_seen;
          --stats_.files_to_process;
          break;
        }
        mt.info.size = data.size();
        bool gzipped = false;
        if (LooksGzipped(data)) {
          std::string plain, error;
          if (!Gunzip(data, limits.max_bytes, &plain, &error)) {
            Fail(mt, "cannot read: " + error, true);
            continue;
          }
          data.swap(plain);
          gzipped = true;
        }
        std::string accession = AccessionFromPath(mt.info.path);
        if (!job.tasks.empty() && (accession.empty() || accession != job_accession)) flush();
        job_accession = accession;
        job.bytes += data.size();
        job.tasks.push_back(std::move(mt));
        job.data.push_back(std::move(data));
        job.gzipped.push_back(gzipped);
        if (accession.empty()) flush();
      }
      if (!stopped) flush();
      if (problem.empty() && !stopped) {
        if (!reader.error().empty()) {
          problem = reader.error();
        } else if (!reader.Drain()) {
          problem = reader.error();
        }
      }
    } catch (const std::exception& e) {
      problem = std::string("internal error: ") + e.what();
    }
  }
  FinishMembers(&pending, builder);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.bytes_read += reader.bytes_read();
  }
  if (stopped || Stopping()) {
    // No record: the next run reads the archive again.
    archive_interrupted_.store(true);
    return;
  }
  FileRecord rec;
  rec.path = path;
  rec.size = task.info.size;
  rec.mtime_ns = task.info.mtime_ns;
  rec.inode = task.info.inode;
  rec.crc = reader.crc();
  rec.indexed_at_ns = WallNanos();
  rec.filing_key = kArchiveKey;
  uint64_t removed = 0;
  if (problem.empty()) {
    // Members the archive no longer holds go, with what they alone gave.
    // With --no-delete they stay; the record counts only the members the
    // archive holds, so a later run reads it again and removes them then.
    for (const auto& [member_path, entry] : old_members) {
      if (seen.count(member_path) || !options_.delete_missing) continue;
      std::lock_guard<std::mutex> lock(mu_);
      lost_members_.push_back(&*catalog_.find(member_path));
      ++removed;
    }
    rec.documents = static_cast<uint32_t>(seen.size());
  } else {
    // What was read before the damage is indexed; members beyond it keep
    // what the index had of them. The archive is not read again until it
    // changes (or --retry-failed).
    std::string where = at_member.empty() ? "" : " at member " + at_member;
    std::string message =
        (!opened ? "cannot read archive: " : "truncated or corrupt archive" + where + ": ") +
        OneLine(problem) + "; " + std::to_string(seen.size()) +
        (seen.size() == 1 ? " member" : " members") + " read before it";
    reporter_->Warning(path, message);
    rec.failed = true;
    rec.reason = message;
    std::set<std::string> kept = seen;
    for (const auto& item : old_members) kept.insert(item.first);
    rec.documents = static_cast<uint32_t>(kept.size());
  }
  std::lock_guard<std::mutex> lock(mu_);
  archive_records_.emplace_back(task.old ? task.old->shard : ShardFor(path, shard_count_), rec);
  if (!problem.empty()) ++stats_.failed;
  if (problem.empty() && removed == 0 && unchanged_members.load() == seen.size()) {
    ++stats_.archives_unchanged;
  }
}

void IndexRun::Process(const Task& task, DocumentBuilder* builder) {
  if (!task.group.empty()) {
    ProcessGroup(task, builder);
    return;
  }
  if (task.archive) {
    ProcessArchive(task, builder);
    return;
  }
  const std::string& path = task.info.path;
  std::string data, error;
  bool gzipped = false;
  ReadLimits limits;
  if (!ReadFileBytes(path, limits, &data, &gzipped, &error)) {
    bool vanished = error == std::strerror(ENOENT);
    Fail(task, vanished ? "vanished during indexing" : "cannot read: " + error, !vanished);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.bytes_read += task.info.size;
  }
  ProcessData(task, std::move(data), gzipped, builder);
}

void IndexRun::ProcessData(const Task& task, std::string data, bool gzipped,
                           DocumentBuilder* builder) {
  const std::string& path = task.info.path;
  FileRecord rec;
  rec.path = path;
  rec.size = task.info.size;
  rec.mtime_ns = task.info.mtime_ns;
  rec.inode = task.info.inode;
  rec.crc = static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
  rec.indexed_at_ns = WallNanos();

  const FileRecord* old = task.old ? &task.old->record : nullptr;
  if (task.member && old && !old->failed && !task.old->duplicated && old->crc == rec.crc &&
      old->size == rec.size && !task.rewrite && !task.refresh && !options_.force) {
    // A member as it was (a touched archive, or one a killed run had begun):
    // nothing to write. Its archive's record is refreshed.
    ++*task.unchanged_members;
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.unchanged;
    ++stats_.files_processed;
    return;
  }
  if (task.member && old && old->failed && old->size == rec.size &&
      old->mtime_ns == rec.mtime_ns && !options_.retry_failed && !options_.force) {
    // Failed before, as it is now: quiet until it changes, like a file.
    ++*task.unchanged_members;
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.known_bad;
    ++stats_.files_processed;
    return;
  }
  if (old && !old->failed && !task.old->duplicated && !task.rewrite &&
      !task.refresh && old->crc == rec.crc && old->size == rec.size && !options_.force) {
    // Touched but not changed (a re-download, a restore): refresh the record.
    rec.filing_key = old->filing_key;
    rec.documents = old->documents;
    WriteOp op;
    op.kind = WriteOp::kRecord;
    op.path = path;
    op.record = rec;
    writers_[task.old->shard]->Push(std::move(op));
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.unchanged;
    ++stats_.files_processed;
    return;
  }

  ParseOptions popts;
  popts.path = path;
  Filing filing = ParseFiling(data, popts);
  filing.gzipped = gzipped;
  ApplyEdgarIndexes(&filing);
  std::string().swap(data);
  if (filing.format == Format::kUnknown) {
    Fail(task, filing.warnings.empty() ? "not an EDGAR filing or text document"
                                       : JoinWarnings(filing.warnings),
         true);
    return;
  }
  if (!filing.warnings.empty()) {
    reporter_->Warning(path, JoinWarnings(filing.warnings));
  }
  WriteOp op;
  op.kind = WriteOp::kWrite;
  op.path = path;
  builder->Build(&filing, path, &op.filing);
  rec.filing_key = op.filing.filing_key;
  rec.documents = static_cast<uint32_t>(op.filing.docs.size());
  op.record = rec;
  int shard = ShardFor(rec.filing_key, shard_count_);
  if (task.old) SendDelete(*task.old, path, shard);
  // catalog_keys_ is read-only while workers run. Two new copies of one
  // filing in this run are both "fresh" here; the shard writer, which
  // applies them in order, adds the first and replaces with the second.
  op.fresh = !task.old && !catalog_keys_.count(rec.filing_key);
  uint64_t docs = op.filing.docs.size();
  writers_[shard]->Push(std::move(op));
  std::lock_guard<std::mutex> lock(mu_);
  // Counted by filing, not by copy: a second copy, or a moved mirror's
  // files at their new paths, add no filing.
  bool known = catalog_keys_.count(rec.filing_key) || written_.count(rec.filing_key);
  ++(task.old ? stats_.updated : known ? stats_.moved : stats_.added);
  written_[rec.filing_key] = docs;
  ++stats_.files_processed;
  if (!filing.warnings.empty()) ++stats_.warned;
}

namespace {

// Workers run at a lower priority than the shard writers. A writer is the
// one serial stage: with three threads on two cores it got two thirds of a
// core while the workers ran, fell behind, and then worked alone for seconds
// at the end of the run (measured: 2 s of 5 on the shared corpus; 5.3
// instead of 5.5 s with the workers niced, median of 3). Niced
// workers still take every cycle a writer leaves. Linux gives each thread
// its own nice value; elsewhere this may renice the process, so only Linux.
void LowerThreadPriority() {
#ifdef __linux__
  int tid = static_cast<int>(gettid());
  errno = 0;
  int nice = getpriority(PRIO_PROCESS, tid);
  if (errno == 0) setpriority(PRIO_PROCESS, tid, std::min(nice + 5, 19));
#endif
}

}  // namespace

void IndexRun::ProcessAll() {
  if (tasks_.empty()) return;  // a no-op run: a walk and a stat per file
  int jobs = options_.jobs > 0 ? options_.jobs
                               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool archives = std::any_of(tasks_.begin(), tasks_.end(), [](const Task& t) { return t.archive; });
  // An archive's members keep every worker busy, however few the tasks.
  if (!archives) jobs = static_cast<int>(std::min<size_t>(jobs, tasks_.size()));
  jobs_ = jobs;
  std::vector<std::thread> workers;
  std::mutex done_mu;
  std::condition_variable done_cv;
  int running = jobs;  // guarded by done_mu
  for (int j = 0; j < jobs; ++j) {
    workers.emplace_back([this, &running, &done_mu, &done_cv] {
      LowerThreadPriority();
      DocumentBuilder builder;
      while (!Stopping()) {
        // Members an archive's reader handed over first: it waits for them.
        MemberJob job;
        bool got = false;
        {
          std::lock_guard<std::mutex> lock(member_mu_);
          if (!member_queue_.empty()) {
            job = std::move(member_queue_.front());
            member_queue_.pop_front();
            member_queue_bytes_ -= job.bytes;
            got = true;
          }
        }
        if (got) {
          RunMember(job, &builder);
          continue;
        }
        size_t i = next_task_.fetch_add(1);
        if (i < tasks_.size()) {
          try {
            Process(tasks_[i], &builder);
          } catch (const std::exception& e) {
            // A parser or tokeniser bug must cost one file, not the run.
            Fail(tasks_[i], std::string("internal error: ") + e.what(), false);
          }
          continue;
        }
        // Nothing left to start: help with the archives still being read.
        // (A signal sets the stop flag without a notify: wake up to look.)
        std::unique_lock<std::mutex> lock(member_mu_);
        member_cv_.wait_for(lock, std::chrono::milliseconds(100), [this] {
          return !member_queue_.empty() || archive_readers_ == 0;
        });
        if (member_queue_.empty() && (archive_readers_ == 0 || Stopping())) break;
      }
      std::lock_guard<std::mutex> lock(done_mu);
      --running;
      done_cv.notify_all();
    });
  }
  bool done = false;
  while (!done) {
    {
      // Progress five times a second; awake at once when the last worker
      // ends, so that a run with little to do ends as soon as it is done.
      std::unique_lock<std::mutex> lock(done_mu);
      done = done_cv.wait_for(lock, std::chrono::milliseconds(200),
                              [&running] { return running == 0; });
    }
    IndexStats snapshot;
    {
      std::lock_guard<std::mutex> lock(mu_);
      snapshot = stats_;
    }
    reporter_->Progress(snapshot);
  }
  for (std::thread& t : workers) t.join();
}

IndexResult IndexRun::Finish(double started) {
  IndexResult result;
  bool interrupted =
      (next_task_.load() < tasks_.size() || archive_interrupted_.load()) && !abort_.load();
  std::string last_run = "finished " + std::to_string(WallNanos() / 1000000000) +
                         " added " + std::to_string(stats_.added) + " updated " +
                         std::to_string(stats_.updated) + " removed " +
                         std::to_string(stats_.removed) + " failed " +
                         std::to_string(stats_.failed);
  bool changed = stats_.files_to_process > 0 || stats_.removed > 0;
  // A run that changed nothing writes nothing: no commit, no fsync.
  // Every shard records the run, so that each one served or replicated on
  // its own tells when its index was last written (fidx health).
  if (!abort_.load() && changed) {
    for (auto& w : writers_) {
      WriteOp op;
      op.kind = WriteOp::kMetadata;
      op.key = schema::kMetaLastRun;
      op.value = last_run;
      w->Push(std::move(op));
    }
  }
  std::string errors;
  for (auto& w : writers_) {
    std::string error;
    if (!w->Finish(&error)) errors += (errors.empty() ? "" : "; ") + error;
    stats_.commits += w->commits();
  }
  stats_.filings = written_.size();
  for (const auto& [key, docs] : written_) stats_.documents += docs;
  stats_.seconds = NowSeconds() - started;
  result.stats = stats_;
  if (!errors.empty()) {
    result.status = Status::IOError("writing the index failed: " + errors +
                                    "; the index is as of its last commit");
  } else if (interrupted) {
    result.status = Status::Interrupted("interrupted; work up to the last commit is kept, "
                                        "the next run completes it");
  } else if (stats_.failed > 0 || stats_.warned > 0) {
    result.partial = true;
  }
  return result;
}

IndexResult IndexRun::Run() {
  double started = NowSeconds();
  IndexResult result;
  WriterLock lock;
  std::string holder, error;
  auto on_wait = [this](const std::string& who) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", options_.wait_seconds);
    reporter_->Notice(std::string("waiting up to ") + seconds +
                      " s for the index lock held by " + who);
  };
  // Checked before the lock, which would create a file in the folder.
  if (std::string why = ForeignIndexReason(options_.db_path, options_.remove_only);
      !why.empty()) {
    result.status = Status::NoIndex(why);
    return result;
  }
  if (!lock.Acquire(options_.db_path, options_.wait_seconds, on_wait, &holder, &error,
                    options_.stop)) {
    result.status = holder.empty()
        ? Status::IOError(error)
        : Status::Locked("index " + options_.db_path + " is locked by " + holder);
    return result;
  }
  if (Status s = OpenShards(); !s.ok()) {
    result.status = s;
    return result;
  }
  // A first run killed while compacting its new index left a full copy
  // behind, which no later `fidx add` would ever look at.
  RemoveCompactionLeftovers(options_.db_path);
  if (options_.remove_only) {
    PlanRemoval();
    ProcessAll();
    ScheduleRemovals();
    WriteRecordsLast();
    return Finish(started);
  }
  // An index kept under a walked folder (fidx add /srv --db /srv/index)
  // must not index its own database files: they change at every run, so
  // each run warned about them again (binary, empty) and exited 1.
  WalkResult walk = Walk(
      options_.roots,
      [this](const std::string& p, const std::string& m) { reporter_->Warning(p, m); },
      {options_.db_path});
  stats_.failed += walk.failures;
  Plan(walk);
  ProcessAll();
  ScheduleRemovals();
  WriteRecordsLast();
  return Finish(started);
}

}  // namespace

bool IndexedMemberName(const std::string& name) {
  // As in a folder: nothing under a hidden folder (.git/), no hidden files,
  // PDFs, images, index files, nested archives (nor macOS's ._ forks).
  if (name.empty() || name[0] == '.' || name.find("/.") != std::string::npos) return false;
  std::string base = name.substr(name.find_last_of('/') + 1);
  return !SkippedName(base) && !IsArchiveName(base) && !IsEdgarIndexName(base);
}

IndexResult RunIndex(const IndexOptions& options, IndexReporter* reporter) {
  try {
    IndexRun run(options, reporter);
    return run.Run();
  } catch (const Xapian::Error& e) {
    IndexResult r;
    r.status = Status::IOError(e.get_description());
    return r;
  } catch (const std::exception& e) {
    IndexResult r;
    r.status = Status::IOError(e.what());
    return r;
  }
}

}  // namespace fidx

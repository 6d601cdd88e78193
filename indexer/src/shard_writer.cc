#include "shard_writer.h"

#include <algorithm>
#include <chrono>

#include "fidx/index_layout.h"
#include "fidx/schema.h"

namespace fidx {

ShardWriter::ShardWriter(Xapian::WritableDatabase db, const WriterSettings& settings,
                         std::atomic<bool>* abort)
    : db_(std::move(db)), settings_(settings), abort_(abort) {
  thread_ = std::thread([this] { Loop(); });
}

ShardWriter::~ShardWriter() {
  std::string ignored;
  if (thread_.joinable()) Finish(&ignored);
}

uint64_t ShardWriter::OpBytes(const WriteOp& op) {
  // Rough memory cost of a queued filing: a prepared Xapian::Document with
  // positions and stems is several times its text (measured: 3x let the
  // queue hold far more than its cap, docs/benchmarks.md).
  return 4096 + op.filing.text_bytes * 8;
}

uint64_t ShardWriter::BatchBytes(uint64_t base, Xapian::doccount documents) {
  constexpr uint64_t kDocumentsPerStep = 40000;  // +base per this many
  constexpr uint64_t kMaxSteps = 8;
  return base * (1 + std::min<uint64_t>(documents / kDocumentsPerStep, kMaxSteps - 1));
}

void ShardWriter::Push(WriteOp op) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] {
    return queued_bytes_ < settings_.queue_bytes || queue_.empty() || !error_.empty();
  });
  if (!error_.empty()) return;
  queued_bytes_ += OpBytes(op);
  queue_.push_back(std::move(op));
  cv_.notify_all();
}

bool ShardWriter::Sync() {
  WriteOp op;
  op.kind = WriteOp::kSync;
  uint64_t ticket;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ticket = ++syncs_pushed_;
  }
  Push(std::move(op));
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return syncs_done_ >= ticket || !error_.empty(); });
  return error_.empty();
}

bool ShardWriter::Finish(std::string* error) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  *error = error_;
  return error_.empty();
}

void ShardWriter::Loop() {
  try {
    while (true) {
      WriteOp op;
      bool got = false;
      {
        std::unique_lock<std::mutex> lock(mu_);
        auto ready = [this] { return !queue_.empty() || closing_; };
        if (in_transaction_) {
          // Wake up when the batch is due even if nothing more arrives: the
          // workers may spend minutes on one huge filing, and what is
          // pending must not wait for them (a kill would lose it).
          double left = batch_started_ + settings_.commit_seconds - NowSeconds();
          cv_.wait_for(lock, std::chrono::duration<double>(left > 0 ? left : 0), ready);
        } else {
          cv_.wait(lock, ready);
        }
        if (!queue_.empty()) {
          op = std::move(queue_.front());
          queue_.pop_front();
          queued_bytes_ -= OpBytes(op);
          cv_.notify_all();
          got = true;
        } else if (closing_) {
          break;
        }
      }
      if (got && op.kind == WriteOp::kSync) {
        if (in_transaction_) Commit();
        std::lock_guard<std::mutex> lock(mu_);
        ++syncs_done_;
        cv_.notify_all();
        continue;
      }
      if (got) Apply(op);
      if (in_transaction_ &&
          (pending_bytes_ >= batch_bytes_ ||
           NowSeconds() - batch_started_ >= settings_.commit_seconds)) {
        Commit();
      }
    }
    if (in_transaction_) Commit();
    db_.close();
  } catch (const Xapian::Error& e) {
    std::lock_guard<std::mutex> lock(mu_);
    error_ = e.get_description();
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(mu_);
    error_ = e.what();
  }
  if (!error_.empty()) {
    abort_->store(true);
    // Drop the uncommitted batch: the shard stays at its last commit.
    try {
      if (in_transaction_) db_.cancel_transaction();
    } catch (const Xapian::Error&) {
    }
    try {
      db_.close();
    } catch (const Xapian::Error&) {
    }
    std::lock_guard<std::mutex> lock(mu_);
    queue_.clear();
    cv_.notify_all();
  }
}

void ShardWriter::Apply(WriteOp& op) {
  if (!in_transaction_) {
    // Unflushed: atomic grouping only; we commit() ourselves after it.
    db_.begin_transaction(false);
    in_transaction_ = true;
    batch_started_ = NowSeconds();
    pending_bytes_ = 0;
    batch_bytes_ = BatchBytes(settings_.commit_bytes, db_.get_doccount());
  }
  switch (op.kind) {
    case WriteOp::kWrite: {
      // Decided here, in apply order: two workers finishing two new copies
      // of one filing at once both saw it as new, and adding both made
      // every document of the filing twice.
      auto [written, first] = written_keys_.try_emplace(op.filing.filing_key, op.path);
      if (!first && op.path > written->second) {
        // Two copies of one filing in one run: the documents come from the
        // one whose path sorts first, not from whichever worker finished
        // last, so that one database and shards built from the same files
        // show the same copy. This one keeps its record, and loses any
        // documents of its own left from an earlier run.
        db_.delete_document(schema::SourceTerm(op.path));
        db_.set_metadata(RecordKey(op.path), op.record.Encode());
        for (const FileRecord& r : op.more_records) {
          db_.delete_document(schema::SourceTerm(r.path));
          db_.set_metadata(RecordKey(r.path), r.Encode());
        }
        pending_bytes_ += 4096;
        break;
      }
      if (!first) {
        // The copy written before goes whole, or its extra documents (a
        // copy with more of them) would stay behind.
        db_.delete_document(schema::SourceTerm(written->second));
        written->second = op.path;
      }
      bool fresh = op.fresh && first;
      if (!fresh) {
        db_.delete_document(schema::SourceTerm(op.path));
        for (const FileRecord& r : op.more_records) db_.delete_document(schema::SourceTerm(r.path));
      }
      for (PreparedDoc& d : op.filing.docs) {
        if (fresh) {
          db_.add_document(d.doc);
        } else {
          db_.replace_document(d.unique_term, d.doc);
        }
      }
      db_.set_metadata(RecordKey(op.path), op.record.Encode());
      for (const FileRecord& r : op.more_records) db_.set_metadata(RecordKey(r.path), r.Encode());
      pending_bytes_ += op.filing.text_bytes + 4096;
      break;
    }
    case WriteOp::kDeleteSource:
      db_.delete_document(schema::SourceTerm(op.path));
      db_.set_metadata(RecordKey(op.path), std::string());
      pending_bytes_ += 4096;
      break;
    case WriteOp::kRecord:
      db_.set_metadata(RecordKey(op.path), op.record.Encode());
      pending_bytes_ += 256;
      break;
    case WriteOp::kMetadata:
      db_.set_metadata(op.key, op.value);
      break;
    case WriteOp::kSync:  // handled by Loop()
      break;
  }
}

void ShardWriter::Commit() {
  db_.commit_transaction();
  in_transaction_ = false;
  db_.commit();
  ++commits_;
}

}  // namespace fidx

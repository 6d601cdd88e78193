#include "fidx/stored_doc.h"

#include <zlib.h>

namespace fidx {

namespace {

// Version byte leading every blob; bump with the layout.
// 2: fields, then the text's chunks, each deflated.
// 3: the fields deflated too. Every byte of the blob is then deflated
//    already, so Xapian's own deflate of document data (glass keeps the
//    result only if it is at least a byte shorter) fails, the record is
//    stored as it is and reading it inflates nothing: at 100,000 filings
//    inflating records was 8% of fidx serve's CPU (docs/benchmarks.md).
constexpr char kVersion = 3;
constexpr char kVersionPlainFields = 2;

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutString(std::string_view s, std::string* out) {
  PutVarint(s.size(), out);
  out->append(s);
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (in_.empty()) return false;
      unsigned char c = static_cast<unsigned char>(in_.front());
      in_.remove_prefix(1);
      *v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return true;
    }
    return false;
  }
  bool String(std::string* s) {
    uint64_t n;
    if (!Varint(&n) || n > in_.size()) return false;
    s->assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  bool Int(int* v) {
    uint64_t n;
    if (!Varint(&n)) return false;
    *v = static_cast<int>(n);
    return true;
  }
  std::string_view rest() const { return in_; }
  void Skip(size_t n) { in_.remove_prefix(n); }

 private:
  std::string_view in_;
};

bool Compress(std::string_view text, std::string* out) {
  uLongf bound = compressBound(text.size());
  size_t start = out->size();
  out->resize(start + bound);
  // Level 1: most of zlib's ratio on prose at several times level 6's speed.
  int rc = compress2(reinterpret_cast<Bytef*>(&(*out)[start]), &bound,
                     reinterpret_cast<const Bytef*>(text.data()), text.size(), 1);
  if (rc != Z_OK) return false;
  out->resize(start + bound);
  return true;
}

// The most bytes `packed` deflated bytes can hold (deflate's best ratio is
// about 1032:1): a damaged size beyond it is refused, not allocated.
uint64_t MaxInflated(uint64_t packed) { return packed * 1040 + 64; }

bool Decompress(std::string_view in, uint64_t size, std::string* text) {
  text->resize(size);
  if (size == 0) return true;
  uLongf len = size;
  int rc = uncompress(reinterpret_cast<Bytef*>(&(*text)[0]), &len,
                      reinterpret_cast<const Bytef*>(in.data()), in.size());
  if (rc != Z_OK || len != size) {
    text->clear();
    return false;
  }
  return true;
}

void EncodeFields(const StoredDoc& d, std::string* out) {
  PutString(d.path, out);
  PutString(d.accession, out);
  PutString(d.form, out);
  PutString(d.filed, out);
  PutString(d.period, out);
  PutString(d.company, out);
  PutVarint(d.cik, out);
  PutVarint(d.ciks.size(), out);
  for (size_t i = 0; i < d.ciks.size(); ++i) {
    PutVarint(d.ciks[i], out);
    PutString(i < d.names.size() ? d.names[i] : std::string(), out);
  }
  PutVarint(static_cast<uint64_t>(d.sic), out);
  PutString(d.format, out);
  PutVarint(static_cast<uint64_t>(d.sequence), out);
  PutString(d.type, out);
  PutString(d.filename, out);
  PutString(d.description, out);
  PutString(d.kind, out);
  PutString(d.header_json, out);
  PutString(d.header_text, out);
}

bool DecodeFields(Reader* r, StoredDoc* d, size_t blob_size) {
  uint64_t n = 0;
  if (!r->String(&d->path) || !r->String(&d->accession) || !r->String(&d->form) ||
      !r->String(&d->filed) || !r->String(&d->period) || !r->String(&d->company) ||
      !r->Varint(&d->cik) || !r->Varint(&n) || n > blob_size) {
    return false;
  }
  d->ciks.resize(n);
  d->names.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    if (!r->Varint(&d->ciks[i]) || !r->String(&d->names[i])) return false;
  }
  return r->Int(&d->sic) && r->String(&d->format) && r->Int(&d->sequence) &&
         r->String(&d->type) && r->String(&d->filename) && r->String(&d->description) &&
         r->String(&d->kind) && r->String(&d->header_json) && r->String(&d->header_text);
}

}  // namespace

std::string EncodeStoredDoc(const StoredDoc& d, const std::vector<TextChunk>& chunks) {
  // Version, fields' raw and packed size, the packed fields, total text
  // size, chunk count, then per chunk: first term position, raw size,
  // packed size, zlib bytes.
  std::string fields;
  EncodeFields(d, &fields);
  std::string packed_fields;
  if (!Compress(fields, &packed_fields)) packed_fields.clear();
  std::string out(1, kVersion);
  PutVarint(fields.size(), &out);
  PutVarint(packed_fields.size(), &out);
  out += packed_fields;
  uint64_t total = 0;
  for (const TextChunk& c : chunks) total += c.text.size();
  PutVarint(total, &out);
  PutVarint(chunks.size(), &out);
  std::string packed;
  for (const TextChunk& c : chunks) {
    packed.clear();
    std::string_view text = c.text;
    // Cannot fail with compressBound(); store an empty chunk rather than garbage.
    if (!Compress(text, &packed)) text = {};
    PutVarint(c.first_termpos, &out);
    PutVarint(text.size(), &out);
    PutVarint(text.empty() ? 0 : packed.size(), &out);
    if (!text.empty()) out += packed;
  }
  return out;
}

bool StoredText::Parse(std::string_view blob, StoredDoc* d) {
  chunks_.clear();
  if (blob.empty() || (blob[0] != kVersion && blob[0] != kVersionPlainFields)) return false;
  Reader r(blob.substr(1));
  if (blob[0] == kVersion) {
    uint64_t raw = 0, packed = 0;
    // Fields are a few KB at most (a filing's header on its first document).
    if (!r.Varint(&raw) || !r.Varint(&packed) || packed > r.rest().size() ||
        raw > MaxInflated(packed)) {
      return false;
    }
    std::string fields;
    if (!Decompress(r.rest().substr(0, packed), raw, &fields)) return false;
    r.Skip(packed);
    Reader fr(fields);
    if (!DecodeFields(&fr, d, fields.size()) || !fr.rest().empty()) return false;
  } else if (!DecodeFields(&r, d, blob.size())) {
    return false;
  }
  uint64_t n = 0;
  if (!r.Varint(&d->text_bytes) || !r.Varint(&n) || n > blob.size()) return false;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t termpos, raw, packed;
    if (!r.Varint(&termpos) || !r.Varint(&raw) || !r.Varint(&packed) ||
        packed > r.rest().size() || raw > MaxInflated(packed)) {
      return false;
    }
    chunks_.push_back({static_cast<uint32_t>(termpos), raw, r.rest().substr(0, packed)});
    r.Skip(packed);
  }
  return true;
}

size_t StoredText::ChunkForTermpos(uint32_t termpos) const {
  size_t lo = 0, hi = chunks_.size();
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (chunks_[mid].first_termpos < termpos) lo = mid; else hi = mid;
  }
  return lo;
}

bool StoredText::Chunk(size_t i, std::string* out) const {
  if (i >= chunks_.size()) return false;
  return Decompress(chunks_[i].packed, chunks_[i].raw_size, out);
}

bool DecodeStoredDoc(std::string_view blob, StoredDoc* d, std::string* text) {
  StoredText st;
  if (!st.Parse(blob, d)) return false;
  if (text == nullptr) return true;
  text->clear();
  std::string chunk;
  for (size_t i = 0; i < st.chunk_count(); ++i) {
    if (!st.Chunk(i, &chunk)) return false;
    *text += chunk;
  }
  return true;
}

}  // namespace fidx

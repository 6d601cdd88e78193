#include "document_builder.h"
#include "fidx/strings.h"

#include <algorithm>
#include <cstdio>

#include "fidx/edgar_items.h"
#include "fidx/filing_json.h"
#include "fidx/fold.h"
#include "fidx/schema.h"
#include "fidx/stored_doc.h"

namespace fidx {

namespace {

// Gap between fields so phrases never match across them (Omega uses 100).
constexpr Xapian::termpos kFieldGap = 100;

// Stored text is compressed in chunks of about this size (see stored_doc.h):
// small enough that an exhaustive snippet over two of them costs about a
// millisecond, large enough for zlib to find repeats.
constexpr size_t kChunkBytes = 4 * 1024;

std::string CompactDate(const std::string& iso) {
  // "2017-03-08" -> "20170308"
  std::string out;
  for (char c : iso) {
    if (c != '-') out.push_back(c);
  }
  return out.size() == 8 ? out : std::string();
}


// The party a hit is named after: the filer, else the subject company, else
// the issuer (Forms 3/4/5 list the reporting owner first), else the first.
const Party* DisplayParty(const Filing& f) {
  for (const char* role : {"FILER", "SUBJECT COMPANY", "ISSUER"}) {
    for (const Party& p : f.parties) {
      if (p.role == role && !p.name.empty()) return &p;
    }
  }
  return f.PrimaryParty();
}

// Xapian's glass backend keeps each term in a B-tree key of at most 255
// bytes, writing every zero byte as two. A longer key is noticed only when
// the batch is flushed, so one bad term failed the whole commit, and every
// later run on the same file. schema::SafeTerm() counts plain bytes: a
// header value full of NULs (FORM TYPE "8-K\0\0\0...", see
// tests/hostile_corpus.py) got through. Such terms keep a prefix and a hash.
constexpr size_t kMaxStoredTermBytes = 240;

size_t StoredTermBytes(const std::string& term) {
  size_t n = term.size();
  for (char c : term) n += c == '\0';
  return n;
}

std::string StorableTerm(std::string term) {
  if (StoredTermBytes(term) <= kMaxStoredTermBytes) return term;
  char hash[20];
  std::snprintf(hash, sizeof hash, "#%016llx",
                static_cast<unsigned long long>(Fnv1a64(term)));
  size_t cut = 0, bytes = 0;
  while (cut < term.size() && bytes + 1 + (term[cut] == '\0') <= kMaxStoredTermBytes - 17) {
    bytes += 1 + (term[cut] == '\0');
    ++cut;
  }
  while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
  term.resize(cut);
  return term + hash;
}

void AddBooleanTerm(const std::string& term, Xapian::Document* doc) {
  doc->add_boolean_term(StorableTerm(term));
}

std::string DocKey(const Document& d, size_t index) {
  // The ordinal, not <SEQUENCE>: sequences repeat or are missing in broken
  // submissions, and two copies of one filing must still get the same keys.
  std::string key = std::to_string(index + 1);
  key.push_back(':');
  key += d.filename;
  return key;
}

schema::Facets FilingFacets(const Filing& f) {
  schema::Facets facets;
  facets.filed = CompactDate(f.filed);
  facets.form = schema::CanonicalForm(f.form);
  facets.ciks = f.Ciks();
  facets.sics = f.Sics();
  auto add = [](std::string v, std::vector<std::string>* list) {
    // Commas separate a packed list's items (schema::PackFacets()).
    v.erase(std::remove(v.begin(), v.end(), ','), v.end());
    if (v.empty()) return;
    if (std::find(list->begin(), list->end(), v) == list->end()) list->push_back(std::move(v));
  };
  for (const Party& p : f.parties) {
    add(schema::CanonicalForm(p.state_of_incorporation), &facets.states);
    add(schema::CanonicalForm(p.business_address.state), &facets.locations);
  }
  for (const Document& d : f.documents) add(schema::CanonicalDocType(d.type), &facets.types);
  return facets;
}

StoredDoc FilingRecord(const Filing& f, const std::string& path) {
  StoredDoc s;
  s.path = path;
  s.accession = f.accession;
  s.form = f.form;
  s.filed = f.filed;
  s.period = f.period;
  if (const Party* p = DisplayParty(f)) {
    s.company = p->name;
    s.cik = p->cik;
    s.sic = p->sic;
  }
  s.ciks = f.Ciks();
  // A header-less file may know its CIK (EDGAR path, file name) but no
  // name: still enough for a sec.gov link.
  if (s.cik == 0 && !s.ciks.empty()) s.cik = s.ciks.front();
  for (uint64_t cik : s.ciks) {
    for (const Party& p : f.parties) {
      if (p.cik == cik) {
        s.names.push_back(p.name);
        break;
      }
    }
  }
  if (s.sic == 0) {
    std::vector<int> sics = f.Sics();
    if (!sics.empty()) s.sic = sics.front();
  }
  s.format = FormatName(f.format);
  return s;
}

}  // namespace

std::string FilingKey(const Filing& filing, const std::string& path) {
  if (!filing.accession.empty()) return filing.accession;
  char buf[32];
  std::snprintf(buf, sizeof buf, "path:%016llx",
                static_cast<unsigned long long>(Fnv1a64(path)));
  return buf;
}

DocumentBuilder::DocumentBuilder() : stemmer_("english") {
  // Unstemmed terms with positions (phrases, exact words); AddStems() adds
  // the Z-prefixed stems without positions (the default word search).
  tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  tg_.set_max_word_length(64);
}

// The terms TermGenerator's STEM_SOME would add ("Z" + prefix + stem, no
// positions, wdf summed over the words with that stem, words starting with a
// letter only), made once per distinct word of a document instead of once
// per occurrence, with the stems cached across documents. The index is the
// same term for term; under perf, Stem::operator() and the per-occurrence
// Document::add_term() were 19% of the CPU of indexing the shared corpus.
void DocumentBuilder::AddStems(Xapian::Document* doc) {
  static const std::string kStemmedPrefixes[] = {schema::kPrefixCompany,
                                                 schema::kPrefixDescription};
  stems_.clear();
  for (Xapian::TermIterator t = doc->termlist_begin(); t != doc->termlist_end(); ++t) {
    const std::string& term = *t;
    size_t prefix = 0;
    if (term[0] >= 'A' && term[0] <= 'Z') {  // words are lower-cased: a prefix
      for (const std::string& p : kStemmedPrefixes) {
        if (term.compare(0, p.size(), p) == 0) prefix = p.size();
      }
      if (prefix == 0 || prefix == term.size()) continue;
    }
    bool letter = schema::StartsWithLetter(std::string_view(term).substr(prefix));
    if (!letter) continue;
    const std::string& stem = Stem(term.substr(prefix));
    if (stem.empty()) continue;
    std::string stemmed = "Z";
    stemmed.append(term, 0, prefix);
    stemmed += stem;
    stems_.emplace_back(std::move(stemmed), t.get_wdf());
  }
  for (const auto& [term, wdf] : stems_) doc->add_term(term, wdf);
}

const std::string& DocumentBuilder::Stem(const std::string& word) {
  // Bounded: EDGAR's vocabulary is large (names, typos, run-together words).
  constexpr size_t kMaxCachedStems = 1 << 18;
  auto it = stem_cache_.find(word);
  if (it != stem_cache_.end()) return it->second;
  if (stem_cache_.size() >= kMaxCachedStems) stem_cache_.clear();
  return stem_cache_.emplace(word, stemmer_(word)).first->second;
}

std::vector<TextChunk> DocumentBuilder::IndexBody(const std::string& text) {
  // Indexed chunk by chunk (term positions run on, so phrases still match
  // across chunks), noting where each chunk starts for snippets.
  std::vector<TextChunk> chunks;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = std::min(text.size(), pos + kChunkBytes);
    if (end < text.size()) {
      size_t space = text.find_first_of(" \n\t", end);
      if (space != std::string::npos && space - end < 512) {
        end = space;
      } else {
        while (end > pos && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
      }
    }
    std::string_view chunk = std::string_view(text).substr(pos, end - pos);
    chunks.push_back({static_cast<uint32_t>(tg_.get_termpos()), chunk});
    // Words are indexed with their accents folded (fold.h); the text kept
    // for snippets is the original.
    if (FoldAccents(chunk, &folded_)) chunk = folded_;
    tg_.index_text(Xapian::Utf8Iterator(chunk.data(), chunk.size()));
    pos = end;
  }
  return chunks;
}

void DocumentBuilder::IndexHeaderText(const Filing& f, const Document& d) {
  auto field = [this](const std::string& text, const char* prefix) {
    tg_.increase_termpos(kFieldGap);
    const std::string folded = FoldAccents(text);
    tg_.index_text(folded);
    tg_.index_text(folded, 1, prefix);
  };
  for (const Party& p : f.parties) {
    field(p.name, schema::kPrefixCompany);
    for (const FormerName& former : p.former_names) field(former.name, schema::kPrefixCompany);
  }
  if (!d.description.empty()) field(d.description, schema::kPrefixDescription);
}

void DocumentBuilder::AddFilterTerms(const Filing& f, const Document& d,
                                     const std::string& path, const std::string& key,
                                     Xapian::Document* doc) {
  AddBooleanTerm(schema::FilingKeyTerm(key), doc);
  AddBooleanTerm(schema::SourceTerm(path), doc);
  // Every term field of the query language, from its row of the field table.
  std::vector<std::string> values;
  for (const schema::Field& field : schema::Fields()) {
    if (!field.values) continue;
    values.clear();
    field.values(f, d, &values);
    for (const std::string& v : values) {
      std::string term = field.term(v);
      if (!term.empty()) AddBooleanTerm(term, doc);
    }
  }
}

void DocumentBuilder::Build(Filing* f, const std::string& path, PreparedFiling* out,
                            const std::vector<std::string>& also_from) {
  out->filing_key = FilingKey(*f, path);
  out->docs.clear();
  out->text_bytes = 0;
  const std::string filed = CompactDate(f->filed);
  const std::string period = CompactDate(f->period);
  schema::Facets facet_values = FilingFacets(*f);
  facet_values.filing_key = out->filing_key;
  const std::string facets = schema::PackFacets(facet_values);
  StoredDoc stored = FilingRecord(*f, path);
  const std::string party_names = schema::PackPartyNames(stored.ciks, stored.names);
  std::string header_json;
  JsonWriter w(&header_json);
  WriteFilingJson(*f, path, /*with_documents=*/false, &w);

  // A header-only file still becomes one (text-less) document, so that its
  // filing can be found by company name and filters.
  std::vector<Document> placeholder;
  std::vector<Document>& docs = f->documents.empty() ? placeholder : f->documents;
  if (docs.empty()) placeholder.emplace_back();

  for (size_t i = 0; i < docs.size(); ++i) {
    Document& d = docs[i];
    PreparedDoc pd;
    tg_.set_document(pd.doc);
    tg_.set_termpos(0);
    std::vector<TextChunk> chunks = IndexBody(d.text);
    IndexHeaderText(*f, d);
    AddStems(&pd.doc);
    AddFilterTerms(*f, d, path, out->filing_key, &pd.doc);
    for (const std::string& other : also_from) {
      AddBooleanTerm(schema::SourceTerm(other), &pd.doc);
    }
    if (i == 0) pd.doc.add_boolean_term(schema::kTermFirstDocument);
    pd.unique_term = StorableTerm(schema::UniqueTerm(out->filing_key, DocKey(d, i)));
    pd.doc.add_boolean_term(pd.unique_term);

    pd.doc.add_value(schema::kSlotFiled, filed);
    if (!period.empty()) pd.doc.add_value(schema::kSlotPeriod, period);
    pd.doc.add_value(schema::kSlotFilingKey, out->filing_key);
    pd.doc.add_value(schema::kSlotFacets, facets);
    pd.doc.add_value(schema::kSlotSequence, Xapian::sortable_serialise(d.sequence));
    pd.doc.add_value(schema::kSlotPartyNames, party_names);

    stored.path = d.source_path.empty() ? path : d.source_path;
    stored.sequence = d.sequence;
    stored.type = d.type;
    stored.filename = d.filename;
    stored.description = d.description;
    stored.kind = DocumentKindName(d.kind);
    stored.header_json = i == 0 ? header_json : std::string();
    stored.header_text = i == 0 ? DescribeFilingHeader(*f) : std::string();
    pd.doc.set_data(EncodeStoredDoc(stored, chunks));
    out->text_bytes += d.text.size();
    std::string().swap(d.text);  // release as we go: filings can be large
    out->docs.push_back(std::move(pd));
  }
}

}  // namespace fidx

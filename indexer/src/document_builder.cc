#include "document_builder.h"

#include <cstdio>

#include "fidx/filing_json.h"
#include "fidx/schema.h"
#include "fidx/stored_doc.h"

namespace fidx {

namespace {

// Gap between fields so phrases never match across them (Omega uses 100).
constexpr Xapian::termpos kFieldGap = 100;

std::string CompactDate(const std::string& iso) {
  // "2017-03-08" -> "20170308"
  std::string out;
  for (char c : iso) {
    if (c != '-') out.push_back(c);
  }
  return out.size() == 8 ? out : std::string();
}

uint64_t Fnv1a64(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
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

int FiledYear(const std::string& filed) {
  if (filed.size() < 4) return 0;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (filed[i] < '0' || filed[i] > '9') return 0;
    year = year * 10 + (filed[i] - '0');
  }
  return year;
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
  for (const Party& p : f.parties) {
    if (p.state_of_incorporation.empty()) continue;
    std::string st = schema::CanonicalForm(p.state_of_incorporation);
    bool seen = false;
    for (const std::string& s : facets.states) seen = seen || s == st;
    if (!seen) facets.states.push_back(st);
  }
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
  for (uint64_t cik : s.ciks) {
    for (const Party& p : f.parties) {
      if (p.cik == cik) {
        s.names.push_back(p.name);
        break;
      }
    }
  }
  if (s.sic == 0 && !f.Sics().empty()) s.sic = f.Sics().front();
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

DocumentBuilder::DocumentBuilder() {
  tg_.set_stemmer(Xapian::Stem("english"));
  // Unstemmed terms with positions (phrases, exact words) plus Z-prefixed
  // stems without positions (the default word search).
  tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  tg_.set_max_word_length(64);
}

void DocumentBuilder::IndexHeaderText(const Filing& f, const Document& d) {
  for (const Party& p : f.parties) {
    tg_.increase_termpos(kFieldGap);
    tg_.index_text(p.name);
    tg_.index_text(p.name, 1, schema::kPrefixCompany);
    for (const FormerName& former : p.former_names) {
      tg_.increase_termpos(kFieldGap);
      tg_.index_text(former.name);
      tg_.index_text(former.name, 1, schema::kPrefixCompany);
    }
  }
  if (!d.description.empty()) {
    tg_.increase_termpos(kFieldGap);
    tg_.index_text(d.description);
    tg_.index_text(d.description, 1, schema::kPrefixDescription);
  }
}

void DocumentBuilder::AddFilterTerms(const Filing& f, const std::string& path,
                                     const std::string& key, Xapian::Document* doc) {
  doc->add_boolean_term(schema::FilingKeyTerm(key));
  doc->add_boolean_term(schema::SourceTerm(path));
  if (!f.accession.empty()) doc->add_boolean_term(schema::AccessionTerm(f.accession));
  if (!f.form.empty()) doc->add_boolean_term(schema::FormTerm(f.form));
  for (const Party& p : f.parties) {
    if (p.cik) doc->add_boolean_term(schema::CikTerm(p.cik));
    if (p.sic) doc->add_boolean_term(schema::SicTerm(p.sic));
    if (!p.state_of_incorporation.empty()) {
      doc->add_boolean_term(schema::StateTerm(p.state_of_incorporation));
    }
    for (const std::string& n : p.file_numbers) {
      doc->add_boolean_term(schema::FileNumberTerm(n));
    }
  }
  for (const std::string& item : f.items) doc->add_boolean_term(schema::ItemTerm(item));
  if (int year = FiledYear(f.filed)) doc->add_boolean_term(schema::YearTerm(year));
}

void DocumentBuilder::Build(Filing* f, const std::string& path, PreparedFiling* out) {
  out->filing_key = FilingKey(*f, path);
  out->docs.clear();
  out->text_bytes = 0;
  const std::string filed = CompactDate(f->filed);
  const std::string facets = schema::PackFacets(FilingFacets(*f));
  StoredDoc stored = FilingRecord(*f, path);
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
    if (!d.text.empty()) tg_.index_text(d.text);
    IndexHeaderText(*f, d);
    AddFilterTerms(*f, path, out->filing_key, &pd.doc);
    if (!d.type.empty()) pd.doc.add_boolean_term(schema::DocTypeTerm(d.type));
    pd.unique_term = schema::UniqueTerm(out->filing_key, DocKey(d, i));
    pd.doc.add_boolean_term(pd.unique_term);

    pd.doc.add_value(schema::kSlotFiled, filed);
    pd.doc.add_value(schema::kSlotFilingKey, out->filing_key);
    pd.doc.add_value(schema::kSlotFacets, facets);
    pd.doc.add_value(schema::kSlotSequence, Xapian::sortable_serialise(d.sequence));

    stored.sequence = d.sequence;
    stored.type = d.type;
    stored.filename = d.filename;
    stored.description = d.description;
    stored.kind = DocumentKindName(d.kind);
    stored.header_json = i == 0 ? header_json : std::string();
    pd.doc.set_data(EncodeStoredDoc(stored, d.text));
    out->text_bytes += d.text.size();
    std::string().swap(d.text);  // release as we go: filings can be large
    out->docs.push_back(std::move(pd));
  }
}

}  // namespace fidx

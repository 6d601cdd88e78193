#include "query_builder.h"

#include <cctype>
#include <functional>
#include <memory>

#include "fidx/parser.h"
#include "fidx/schema.h"

namespace fidx {

namespace {

using TermFn = std::function<std::string(const std::string&)>;

// The first error met by a field or range processor. Xapian 1.4 leaks when a
// FieldProcessor throws QueryParserError through parse_query() (ASan sees 72
// bytes per bad query), so processors record the error here and return
// MatchNothing, and BuildQuery throws it once parsing is over.
// State the field processors share with BuildQuery(): the first error, and
// how many filter wildcards (form:10-K*) they made, to tell them from
// wildcards over words.
struct ParseErrors {
  std::string first;
  int filter_wildcards = 0;
  bool document_filter = false;  // a filter on documents, not filings (type:)
  Xapian::Query Fail(const std::string& message) {
    if (first.empty()) first = message;
    return Xapian::Query::MatchNothing;
  }
};
using ErrorSlot = std::shared_ptr<ParseErrors>;

// A boolean filter field: normalises the value into a term; a trailing '*'
// matches every value with that start (form:10-K* finds 10-K/A, 10-K405).
class FilterField : public Xapian::FieldProcessor {
 public:
  FilterField(std::string field, TermFn to_term, bool per_document, ErrorSlot errors)
      : field_(std::move(field)),
        to_term_(std::move(to_term)),
        per_document_(per_document),
        errors_(std::move(errors)) {}

  Xapian::Query operator()(const std::string& raw) override {
    if (per_document_) errors_->document_filter = true;
    std::string value = Trim(raw);
    if (value.empty()) return errors_->Fail(field_ + ": needs a value");
    if (value.size() > 1 && value.back() == '*') {
      std::string prefix = to_term_(value.substr(0, value.size() - 1));
      ++errors_->filter_wildcards;
      return Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, 0,
                           Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_OR);
    }
    std::string term = to_term_(value);
    if (term.empty()) {
      return errors_->Fail("'" + field_ + ":" + value + "' is not a valid " + field_);
    }
    return Xapian::Query(term);
  }

 private:
  static std::string Trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
  }

  std::string field_;
  TermFn to_term_;
  bool per_document_;
  ErrorSlot errors_;
};

int CountWildcards(const Xapian::Query& q) {
  int n = q.get_type() == Xapian::Query::OP_WILDCARD;
  for (size_t i = 0; i < q.get_num_subqueries(); ++i) n += CountWildcards(q.get_subquery(i));
  return n;
}

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "2017", "2017-03", "2017-03-08" or "20170308" -> first (or last) day as
// YYYYMMDD; "" if unreadable.
std::string DateBound(std::string s, bool end) {
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != '-' && c != '/') {
      return "";
    }
  }
  if (digits.size() == 4) return digits + (end ? "1231" : "0101");
  if (digits.size() == 6) return digits + (end ? "31" : "01");
  if (digits.size() == 8) return digits;
  return "";
}

// filed:A..B, filed:A.., filed:..B over the YYYYMMDD value slot.
class FiledRange : public Xapian::RangeProcessor {
 public:
  explicit FiledRange(ErrorSlot errors)
      : Xapian::RangeProcessor(schema::kSlotFiled, "filed:"), errors_(std::move(errors)) {}

  Xapian::Query operator()(const std::string& begin, const std::string& end) override {
    std::string b = begin.empty() ? "" : DateBound(begin, false);
    std::string e = end.empty() ? "" : DateBound(end, true);
    if ((!begin.empty() && b.empty()) || (!end.empty() && e.empty())) {
      return errors_->Fail("filed: expects dates like 2017-01-31 or 20170131");
    }
    return Range(b, e);
  }

  ErrorSlot errors_;

  static Xapian::Query Range(const std::string& b, const std::string& e) {
    if (b.empty() && e.empty()) return Xapian::Query::MatchAll;
    if (b.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_LE, schema::kSlotFiled, e);
    if (e.empty()) return Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kSlotFiled, b);
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotFiled, b, e);
  }
};

// filed:2017-03-08 (one day, month or year) without "..".
class FiledField : public Xapian::FieldProcessor {
 public:
  explicit FiledField(ErrorSlot errors) : errors_(std::move(errors)) {}
  ErrorSlot errors_;
  Xapian::Query operator()(const std::string& value) override {
    std::string b = DateBound(value, false), e = DateBound(value, true);
    if (b.empty()) return errors_->Fail("filed: expects dates like 2017-01-31 or 20170131");
    return FiledRange::Range(b, e);
  }
};

// year:2017 or year:2015..2017 (the latter arrives through FiledRange-like
// parsing below, so accept both forms here).
class YearField : public Xapian::FieldProcessor {
 public:
  explicit YearField(ErrorSlot errors) : errors_(std::move(errors)) {}
  ErrorSlot errors_;
  Xapian::Query operator()(const std::string& value) override {
    size_t dots = value.find("..");
    std::string a = dots == std::string::npos ? value : value.substr(0, dots);
    std::string b = dots == std::string::npos ? value : value.substr(dots + 2);
    if (!AllDigits(a) || !AllDigits(b) || a.size() != 4 || b.size() != 4) {
      return errors_->Fail("year: expects a year like 2017 or 2015..2017");
    }
    std::vector<Xapian::Query> years;
    for (int y = std::stoi(a); y <= std::stoi(b); ++y) years.emplace_back(schema::YearTerm(y));
    return Xapian::Query(Xapian::Query::OP_OR, years.begin(), years.end());
  }
};

// `per_document`: the field describes a document of a filing (type:), not
// the filing itself.
void AddFilter(Xapian::QueryParser* qp, const std::string& field, TermFn fn,
               const ErrorSlot& errors, bool per_document = false) {
  qp->add_boolean_prefix(
      field, (new FilterField(field, std::move(fn), per_document, errors))->release());
}

// Removes free-standing "*" tokens ("*", "* form:8-K"): they mean "all".
std::string WithoutMatchAll(const std::string& text, bool* had_star) {
  std::string out;
  *had_star = false;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    if (j - i == 1 && text[i] == '*') {
      *had_star = true;
    } else {
      out.append(text, i, j - i);
    }
    while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j]))) out.push_back(text[j++]);
    i = j;
  }
  return out;
}

bool IsFilterTerm(const std::string& t) {
  for (const char* p : {schema::kPrefixCik, schema::kPrefixForm, schema::kPrefixSic,
                        schema::kPrefixDocType, schema::kPrefixState, schema::kPrefixYear,
                        schema::kPrefixItem, schema::kPrefixFileNumber,
                        schema::kPrefixAccession, schema::kPrefixFilingKey}) {
    if (t.rfind(p, 0) == 0) return true;
  }
  return false;
}

}  // namespace

Xapian::Stem QueryStemmer() { return Xapian::Stem("english"); }

namespace {

// Unprefixed, unstemmed terms: the ones indexed with positions.
std::vector<std::string> ExactTerms(Xapian::QueryParser* qp, const std::string& text,
                                    unsigned flags) {
  qp->set_stemming_strategy(Xapian::QueryParser::STEM_NONE);
  Xapian::Query q = qp->parse_query(text, flags & ~Xapian::QueryParser::FLAG_WILDCARD);
  std::vector<std::string> out;
  for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
    const std::string& term = *t;
    if (!term.empty() && !std::isupper(static_cast<unsigned char>(term[0]))) out.push_back(term);
  }
  return out;
}

}  // namespace

BuiltQuery BuildQuery(const std::string& text, const Xapian::Database& db) {
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(QueryStemmer());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_default_op(Xapian::Query::OP_AND);
  qp.set_max_expansion(1000, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                       Xapian::QueryParser::FLAG_WILDCARD);
  qp.add_prefix("company", schema::kPrefixCompany);
  qp.add_prefix("description", schema::kPrefixDescription);
  ErrorSlot errors = std::make_shared<ParseErrors>();
  AddFilter(&qp, "cik", [](const std::string& v) {
    uint64_t cik = schema::ParseCik(v);
    return cik ? schema::CikTerm(cik) : std::string();
  }, errors);
  AddFilter(&qp, "form", [](const std::string& v) { return schema::FormTerm(v); }, errors);
  AddFilter(&qp, "sic", [](const std::string& v) {
    uint64_t sic = schema::ParseCik(v);
    return sic && sic < 10000 ? schema::SicTerm(static_cast<int>(sic)) : std::string();
  }, errors);
  AddFilter(&qp, "type", [](const std::string& v) { return schema::DocTypeTerm(v); }, errors,
            /*per_document=*/true);
  AddFilter(&qp, "state", [](const std::string& v) { return schema::StateTerm(v); }, errors);
  AddFilter(&qp, "item", [](const std::string& v) { return schema::ItemTerm(v); }, errors);
  AddFilter(&qp, "file", [](const std::string& v) { return schema::FileNumberTerm(v); }, errors);
  AddFilter(&qp, "accession", [](const std::string& v) {
    std::string acc = NormalizeAccession(v);
    return acc.empty() ? std::string() : schema::AccessionTerm(acc);
  }, errors);
  qp.add_boolean_prefix("year", (new YearField(errors))->release());
  qp.add_boolean_prefix("filed", (new FiledField(errors))->release());
  qp.add_rangeprocessor((new FiledRange(errors))->release());

  bool had_star = false;
  std::string rest = WithoutMatchAll(text, &had_star);
  unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                   Xapian::QueryParser::FLAG_PURE_NOT;
  BuiltQuery built;
  built.query = qp.parse_query(rest, flags);
  if (!errors->first.empty()) throw Xapian::QueryParserError(errors->first);
  // A wildcard's terms are only known when the match runs: "pharma*" has
  // none to list, yet it is text.
  built.has_text = CountWildcards(built.query) > errors->filter_wildcards;
  for (auto t = built.query.get_unique_terms_begin(); t != built.query.get_unique_terms_end(); ++t) {
    if (!IsFilterTerm(*t)) built.has_text = true;
  }
  built.filing_level = !built.has_text && !errors->document_filter;
  if (built.has_text) built.exact_terms = ExactTerms(&qp, rest, flags);
  if (built.query.empty()) {
    built.query = Xapian::Query::MatchAll;
  } else if (had_star) {
    built.query = Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll, built.query);
  }
  return built;
}

}  // namespace fidx

// The EDGAR submission header grammar (see header.h).
//
// A Scanner cuts the header into tokens, each either a text-form line
// ("KEY:<tabs>value") or a tag ("<TAG>value", "</TAG>"); tables map both
// spellings of a field to one Field; a Builder applies them to the Filing,
// tracking the current party and section. No regex, no per-line allocation
// beyond the values kept.

#include "header.h"
#include "fidx/strings.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <vector>

#include "fidx/parser.h"
#include "fidx/schema.h"
#include "fidx/text_extract.h"

namespace fidx {
namespace internal {
namespace {

enum class Field : uint8_t {
  // Submission level.
  kAccession, kForm, kDocumentCount, kPeriod, kItem, kFiled, kDateOfChange,
  kEffectiveness, kAcceptance, kGroupMember, kDocumentLine, kMultiAccession,
  // Party sections.
  kParty, kCompanyData, kFilingValues, kBusinessAddress, kMailAddress,
  kFormer,
  // Party leaves.
  kName, kCik, kSic, kIrsNumber, kStateOfIncorporation, kFiscalYearEnd,
  kFormType, kSecAct, kFileNumber, kFilmNumber, kStreet1, kStreet2, kCity,
  kState, kZip, kPhone, kFormerName, kFormerDate,
};

struct Key {
  std::string_view name;
  Field field;
  const char* role = nullptr;  // for kParty: the role as the text form spells it
};

// Text form: "KEY:<tabs>value" (edgar.md 3.2). "EIN" replaced "IRS NUMBER" in
// recent headers (deanshelton913__sec-edgar-parser/test/test-fixtures/8.txt).
// "FORMER NAME" is the individual's variant of FORMER COMPANY
// (stefanoamorelli__sec-edgar-toolkit/.../8-K/nvidia_8k_2023.txt).
constexpr Key kTextKeys[] = {
    {"ACCESSION NUMBER", Field::kAccession},
    {"CONFORMED SUBMISSION TYPE", Field::kForm},
    {"PUBLIC DOCUMENT COUNT", Field::kDocumentCount},
    {"CONFORMED PERIOD OF REPORT", Field::kPeriod},
    {"ITEM INFORMATION", Field::kItem},
    {"FILED AS OF DATE", Field::kFiled},
    {"DATE AS OF CHANGE", Field::kDateOfChange},
    {"EFFECTIVENESS DATE", Field::kEffectiveness},
    {"GROUP MEMBERS", Field::kGroupMember},
    {"FILER", Field::kParty, "FILER"},
    {"SUBJECT COMPANY", Field::kParty, "SUBJECT COMPANY"},
    {"FILED BY", Field::kParty, "FILED BY"},
    {"REPORTING-OWNER", Field::kParty, "REPORTING-OWNER"},
    {"REPORTING OWNER", Field::kParty, "REPORTING-OWNER"},
    {"ISSUER", Field::kParty, "ISSUER"},
    {"SERIAL COMPANY", Field::kParty, "SERIAL COMPANY"},
    {"FILED FOR", Field::kParty, "FILED FOR"},
    {"DEPOSITOR", Field::kParty, "DEPOSITOR"},
    {"SECURITIZER", Field::kParty, "SECURITIZER"},
    {"ISSUING ENTITY", Field::kParty, "ISSUING ENTITY"},
    {"COMPANY DATA", Field::kCompanyData},
    {"OWNER DATA", Field::kCompanyData},
    {"FILING VALUES", Field::kFilingValues},
    {"BUSINESS ADDRESS", Field::kBusinessAddress},
    {"MAIL ADDRESS", Field::kMailAddress},
    {"FORMER COMPANY", Field::kFormer},
    {"FORMER NAME", Field::kFormer},
    {"COMPANY CONFORMED NAME", Field::kName},
    {"CENTRAL INDEX KEY", Field::kCik},
    {"STANDARD INDUSTRIAL CLASSIFICATION", Field::kSic},
    {"IRS NUMBER", Field::kIrsNumber},
    {"EIN", Field::kIrsNumber},
    {"STATE OF INCORPORATION", Field::kStateOfIncorporation},
    {"FISCAL YEAR END", Field::kFiscalYearEnd},
    {"FORM TYPE", Field::kFormType},
    {"SEC ACT", Field::kSecAct},
    {"SEC FILE NUMBER", Field::kFileNumber},
    {"FILM NUMBER", Field::kFilmNumber},
    {"STREET 1", Field::kStreet1},
    {"STREET 2", Field::kStreet2},
    {"CITY", Field::kCity},
    {"STATE", Field::kState},
    {"ZIP", Field::kZip},
    {"BUSINESS PHONE", Field::kPhone},
    {"FORMER CONFORMED NAME", Field::kFormerName},
    {"DATE OF NAME CHANGE", Field::kFormerDate},
};

// Tagged form of .nc files and -index-headers.html (edgar.md 3.3). Text
// headers carry some tags too: <ACCEPTANCE-DATETIME> always, and old ones a
// <REPORTING-OWNER> wrapper around text-form lines
// (dgunning__edgartools/data/1990sheader.txt).
constexpr Key kTags[] = {
    {"ACCESSION-NUMBER", Field::kAccession},
    {"TYPE", Field::kForm},
    {"PUBLIC-DOCUMENT-COUNT", Field::kDocumentCount},
    {"PERIOD", Field::kPeriod},
    {"ITEMS", Field::kItem},
    {"FILING-DATE", Field::kFiled},
    {"DATE-OF-FILING-DATE-CHANGE", Field::kDateOfChange},
    {"EFFECTIVENESS-DATE", Field::kEffectiveness},
    {"ACCEPTANCE-DATETIME", Field::kAcceptance},
    {"GROUP-MEMBERS", Field::kGroupMember},
    {"SEC-DOCUMENT", Field::kDocumentLine},
    {"SEC-HEADER", Field::kDocumentLine},
    {"IMS-DOCUMENT", Field::kDocumentLine},
    {"IMS-HEADER", Field::kDocumentLine},
    {"MULTI-ACCESSION-NUMBERS", Field::kMultiAccession},
    {"FILER", Field::kParty, "FILER"},
    {"SUBJECT-COMPANY", Field::kParty, "SUBJECT COMPANY"},
    {"FILED-BY", Field::kParty, "FILED BY"},
    {"REPORTING-OWNER", Field::kParty, "REPORTING-OWNER"},
    {"ISSUER", Field::kParty, "ISSUER"},
    {"SERIAL-COMPANY", Field::kParty, "SERIAL COMPANY"},
    {"FILED-FOR", Field::kParty, "FILED FOR"},
    {"DEPOSITOR", Field::kParty, "DEPOSITOR"},
    {"SECURITIZER", Field::kParty, "SECURITIZER"},
    // With an underscore in dgunning__edgartools/data/sgml/0000929638-25-000114.nc.
    {"ISSUING_ENTITY", Field::kParty, "ISSUING ENTITY"},
    {"ISSUING-ENTITY", Field::kParty, "ISSUING ENTITY"},
    {"COMPANY-DATA", Field::kCompanyData},
    {"OWNER-DATA", Field::kCompanyData},
    {"FILING-VALUES", Field::kFilingValues},
    {"BUSINESS-ADDRESS", Field::kBusinessAddress},
    {"MAIL-ADDRESS", Field::kMailAddress},
    {"FORMER-COMPANY", Field::kFormer},
    {"FORMER-NAME", Field::kFormer},
    {"CONFORMED-NAME", Field::kName},
    {"CIK", Field::kCik},
    {"ASSIGNED-SIC", Field::kSic},
    {"IRS-NUMBER", Field::kIrsNumber},
    {"STATE-OF-INCORPORATION", Field::kStateOfIncorporation},
    {"FISCAL-YEAR-END", Field::kFiscalYearEnd},
    {"FORM-TYPE", Field::kFormType},
    {"ACT", Field::kSecAct},
    {"FILE-NUMBER", Field::kFileNumber},
    {"FILM-NUMBER", Field::kFilmNumber},
    {"STREET1", Field::kStreet1},
    {"STREET2", Field::kStreet2},
    {"CITY", Field::kCity},
    {"STATE", Field::kState},
    {"ZIP", Field::kZip},
    {"PHONE", Field::kPhone},
    {"FORMER-CONFORMED-NAME", Field::kFormerName},
    {"DATE-CHANGED", Field::kFormerDate},
};

// Looks `name` up case-insensitively; nullptr if unknown.
template <size_t N>
const Key* Lookup(const Key (&table)[N], std::string_view name) {
  char buf[48];
  if (name.empty() || name.size() > sizeof buf) return nullptr;
  for (size_t i = 0; i < name.size(); ++i) {
    buf[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[i])));
  }
  std::string_view upper(buf, name.size());
  for (const Key& k : table) {
    if (k.name == upper) return &k;
  }
  return nullptr;
}

// One token of a header.
struct Token {
  enum Kind { kLine, kOpenTag, kCloseTag } kind = kLine;
  std::string_view name;   // text key (before the colon) or tag name
  std::string_view value;  // rest of the line; for a tag, up to the next tag
};

// Cuts a header region into tokens. Line ends may be LF, CRLF or CR alone
// (dgunning__edgartools/data/sgml/0001127602-25-004598.nc), and a tagged
// header may have no line ends at all, so a tag's value also stops at the
// next tag.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool Next(Token* t) {
    while (pos_ < s_.size() && IsAsciiSpace(s_[pos_])) ++pos_;
    if (pos_ >= s_.size()) return false;
    size_t tag_end = s_[pos_] == '<' ? TagEnd(pos_) : std::string_view::npos;
    if (tag_end != std::string_view::npos) return ReadTag(tag_end, t);
    size_t end = LineEnd(pos_);
    std::string_view line = s_.substr(pos_, end - pos_);
    pos_ = end;
    size_t colon = line.find(':');
    t->kind = Token::kLine;
    t->name = colon == line.npos ? std::string_view() : TrimAsciiSpace(line.substr(0, colon));
    t->value = colon == line.npos ? line : line.substr(colon + 1);
    return true;
  }

 private:
  size_t TagEnd(size_t lt) const { return internal::TagEnd(s_, lt); }

  size_t LineEnd(size_t from) const {
    while (from < s_.size() && s_[from] != '\n' && s_[from] != '\r') ++from;
    return from;
  }

  size_t ValueEnd(size_t from) const {
    while (from < s_.size()) {
      char c = s_[from];
      if (c == '\n' || c == '\r') break;
      if (c == '<' && TagEnd(from) != std::string_view::npos) break;
      ++from;
    }
    return from;
  }

  bool ReadTag(size_t tag_end, Token* t) {
    bool closing = s_[pos_ + 1] == '/';
    size_t name_begin = pos_ + (closing ? 2 : 1);
    t->name = s_.substr(name_begin, tag_end - 1 - name_begin);
    t->kind = closing ? Token::kCloseTag : Token::kOpenTag;
    size_t value_end = closing ? tag_end : ValueEnd(tag_end);
    t->value = s_.substr(tag_end, value_end - tag_end);
    pos_ = value_end;
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

std::string CleanValue(std::string_view v) {
  v = TrimAsciiSpace(v);
  if (v.size() > kMaxValueBytes) {
    size_t cut = kMaxValueBytes;
    while (cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
    v = v.substr(0, cut);
  }
  for (char c : v) {
    if (static_cast<unsigned char>(c) >= 0x80) return ToUtf8(v);
  }
  return std::string(v);
}

size_t TagEnd(std::string_view s, size_t lt) {
  size_t i = lt + 1;
  if (i < s.size() && s[i] == '/') ++i;
  size_t name_begin = i;
  while (i < s.size() && i - name_begin <= 64) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c) && c != '-' && c != '_') break;
    ++i;
  }
  if (i == name_begin || i >= s.size() || s[i] != '>') return std::string_view::npos;
  return i + 1;
}

namespace {

int ParseSmallInt(std::string_view s) {
  s = TrimAsciiSpace(s);
  if (s.empty() || s.size() > 9) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Applies tokens to a Filing: which party and which section of it a leaf
// line belongs to.
class Builder {
 public:
  explicit Builder(Filing* filing) : f_(filing) {}

  // An unknown tag with no value may be a party type this parser does not
  // know yet; if a <COMPANY-DATA> follows, the party takes its name.
  void Unknown(std::string_view name, std::string_view value) {
    unknown_container_ = TrimAsciiSpace(value).empty() ? name : std::string_view();
  }

  void UnknownClose(std::string_view name) {
    if (!unknown_party_.empty() && name == unknown_party_) Close(Field::kParty);
  }

  void Open(const Key& key, std::string_view value) {
    found_ = true;
    std::string_view container = unknown_container_;
    unknown_container_ = {};
    if (key.field == Field::kCompanyData && party_ == kNone && !container.empty()) {
      StartParty(RoleFromTag(container));
      unknown_party_ = container;
    }
    if (key.field <= Field::kMultiAccession) {
      SubmissionField(key.field, value);
    } else if (key.field <= Field::kFormer) {
      Section(key, value);
    } else {
      PartyField(key.field, value);
    }
  }

  void Close(Field field) {
    if (field == Field::kParty) {
      party_ = kNone;
      section_ = Field::kParty;
      unknown_party_ = {};
    } else if (field > Field::kParty && field <= Field::kFormer) {
      section_ = Field::kParty;
    } else if (field == Field::kMultiAccession) {
      in_multi_accession_ = false;
    }
  }

  bool Finish() {
    if (f_->accession.empty()) f_->accession = fallback_accession_;
    for (Party& p : f_->parties) {  // a FORMER COMPANY: with nothing under it
      auto& names = p.former_names;
      names.erase(std::remove_if(names.begin(), names.end(),
                                 [](const FormerName& n) { return n.name.empty(); }),
                  names.end());
    }
    return found_;
  }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);

  void SubmissionField(Field field, std::string_view value) {
    switch (field) {
      case Field::kAccession:
        // Only the first: <MULTI-ACCESSION-NUMBERS> repeats the key for the
        // other filings this one was also filed under
        // (deanshelton913__sec-edgar-parser/test/test-fixtures/3.txt).
        if (!in_multi_accession_ && f_->accession.empty()) {
          f_->accession = NormalizeAccession(value);
        }
        break;
      case Field::kForm:
        if (f_->form.empty()) f_->form = CleanValue(value);
        break;
      case Field::kDocumentCount:
        if (f_->public_document_count < 0) f_->public_document_count = ParseSmallInt(value);
        break;
      case Field::kPeriod: SetOnce(&f_->period, NormalizeDate(value)); break;
      case Field::kFiled: SetOnce(&f_->filed, NormalizeDate(value)); break;
      case Field::kDateOfChange: SetOnce(&f_->date_of_change, NormalizeDate(value)); break;
      case Field::kEffectiveness: SetOnce(&f_->effectiveness, NormalizeDate(value)); break;
      case Field::kAcceptance: SetOnce(&f_->acceptance, NormalizeDateTime(value)); break;
      case Field::kItem:
        if (!TrimAsciiSpace(value).empty() && f_->items.size() < kMaxListItems) {
          f_->items.push_back(CleanValue(value));
        }
        break;
      case Field::kGroupMember: AddGroupMember(value); break;
      case Field::kDocumentLine: DocumentLine(value); break;
      case Field::kMultiAccession: in_multi_accession_ = true; break;
      default: break;
    }
  }

  static void SetOnce(std::string* out, std::string value) {
    if (out->empty()) *out = std::move(value);
  }

  // "<SEC-DOCUMENT>0001144204-17-013452.txt : 20170308": the accession, used
  // only if no ACCESSION NUMBER line is found.
  void DocumentLine(std::string_view value) {
    value = TrimAsciiSpace(value);
    if (!fallback_accession_.empty() || value.size() < 20) return;
    if (value.size() > 20 && std::isdigit(static_cast<unsigned char>(value[20]))) return;
    fallback_accession_ = NormalizeAccession(value.substr(0, 20));
  }

  // GROUP MEMBERS lines carry a name only (SC 13D/G, SC TO-T:
  // dgunning__edgartools/data/sgml/0001104659-25-002604.txt).
  void AddGroupMember(std::string_view value) {
    if (TrimAsciiSpace(value).empty() || !Room()) return;
    Party p;
    p.role = "GROUP MEMBER";
    p.name = CleanValue(value);
    f_->parties.push_back(std::move(p));
    party_ = kNone;
    section_ = Field::kParty;
  }

  bool Room() {
    if (f_->parties.size() < kMaxParties) return true;
    if (!too_many_parties_) {
      f_->warnings.push_back("more than " + std::to_string(kMaxParties) +
                             " parties in header; the rest ignored");
      too_many_parties_ = true;
    }
    return false;
  }

  void Section(const Key& key, std::string_view value) {
    if (key.field == Field::kParty) {
      StartParty(key.role);
      return;
    }
    Party* p = CurrentParty();
    if (!p) return;
    section_ = key.field;
    if (key.field == Field::kFormer && p->former_names.size() < kMaxListItems) {
      p->former_names.emplace_back();
    }
  }

  void StartParty(std::string role) {
    if (!Room()) {
      party_ = kNone;
      ignoring_party_ = true;
      return;
    }
    ignoring_party_ = false;
    f_->parties.emplace_back();
    f_->parties.back().role = std::move(role);
    party_ = f_->parties.size() - 1;
    section_ = Field::kParty;
  }

  // "SOME_NEW-ROLE" -> "SOME NEW ROLE", as the text form would spell it.
  static std::string RoleFromTag(std::string_view tag) {
    std::string role;
    for (char c : tag) {
      role.push_back(c == '_' || c == '-' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    return role;
  }

  // The party a leaf line belongs to. A leaf before any party section
  // (hostile or cut input) gets an implicit FILER.
  Party* CurrentParty() {
    if (ignoring_party_) return nullptr;
    if (party_ == kNone) {
      if (!Room()) return nullptr;
      f_->parties.emplace_back();
      f_->parties.back().role = "FILER";
      party_ = f_->parties.size() - 1;
    }
    return &f_->parties[party_];
  }

  void PartyField(Field field, std::string_view value) {
    Party* p = CurrentParty();
    if (!p) return;
    switch (field) {
      case Field::kName: p->name = CleanValue(value); break;
      case Field::kCik: p->cik = schema::ParseCik(value); break;
      case Field::kSic: ParseSic(value, &p->sic, &p->sic_title); break;
      case Field::kIrsNumber: p->irs_number = CleanValue(value); break;
      case Field::kStateOfIncorporation: p->state_of_incorporation = CleanValue(value); break;
      case Field::kFiscalYearEnd: p->fiscal_year_end = CleanValue(value); break;
      case Field::kFormType: p->form_type = CleanValue(value); break;
      case Field::kSecAct: p->sec_act = CleanValue(value); break;
      case Field::kFileNumber:
        if (!TrimAsciiSpace(value).empty() && p->file_numbers.size() < kMaxListItems) {
          p->file_numbers.push_back(CleanValue(value));
        }
        break;
      case Field::kFilmNumber: p->film_number = CleanValue(value); break;
      case Field::kFormerName:
      case Field::kFormerDate: FormerField(p, field, value); break;
      default: AddressField(p, field, value); break;
    }
  }

  void FormerField(Party* p, Field field, std::string_view value) {
    if (section_ != Field::kFormer || p->former_names.empty()) {
      if (p->former_names.size() >= kMaxListItems) return;
      p->former_names.emplace_back();
      section_ = Field::kFormer;
    }
    FormerName& former = p->former_names.back();
    if (field == Field::kFormerName) {
      if (!former.name.empty() && p->former_names.size() < kMaxListItems) {
        p->former_names.emplace_back();  // two names under one section
      }
      p->former_names.back().name = CleanValue(value);
    } else {
      former.date_changed = NormalizeDate(value);
    }
  }

  void AddressField(Party* p, Field field, std::string_view value) {
    Address* a = section_ == Field::kBusinessAddress ? &p->business_address
                 : section_ == Field::kMailAddress   ? &p->mail_address
                                                     : nullptr;
    if (!a) return;
    switch (field) {
      case Field::kStreet1: a->street1 = CleanValue(value); break;
      case Field::kStreet2: a->street2 = CleanValue(value); break;
      case Field::kCity: a->city = CleanValue(value); break;
      case Field::kState: a->state = CleanValue(value); break;
      case Field::kZip: a->zip = CleanValue(value); break;
      case Field::kPhone: a->phone = CleanValue(value); break;
      default: break;
    }
  }

  Filing* f_;
  size_t party_ = kNone;
  Field section_ = Field::kParty;  // kParty: directly under the party
  bool in_multi_accession_ = false;
  bool ignoring_party_ = false;
  bool too_many_parties_ = false;
  bool found_ = false;
  std::string fallback_accession_;
  std::string_view unknown_container_;
  std::string_view unknown_party_;  // tag of a party opened via Unknown()
};

}  // namespace

bool ParseHeaderFields(std::string_view text, Filing* filing) {
  Builder builder(filing);
  Scanner scanner(text);
  Token t;
  while (scanner.Next(&t)) {
    if (t.kind == Token::kLine) {
      if (t.name.empty()) continue;
      if (const Key* k = Lookup(kTextKeys, t.name)) builder.Open(*k, t.value);
    } else if (const Key* k = Lookup(kTags, t.name)) {
      if (t.kind == Token::kOpenTag) {
        builder.Open(*k, t.value);
      } else {
        builder.Close(k->field);
      }
    } else if (t.kind == Token::kOpenTag) {
      builder.Unknown(t.name, t.value);
    } else {
      builder.UnknownClose(t.name);
    }
  }
  return builder.Finish();
}

void ParseSic(std::string_view value, int* sic, std::string* title) {
  value = TrimAsciiSpace(value);
  *sic = 0;
  title->clear();
  size_t bracket = value.find('[');
  std::string_view code = value;
  if (bracket != value.npos) {
    // "NAME [2834]", " [2834" with the bracket lost (1001136_8K_2000_*.txt
    // in nlpaueb__edgar-crawler), or " []" (0000950129-95-001652.txt).
    *title = CleanValue(value.substr(0, bracket));
    code = TrimAsciiSpace(value.substr(bracket + 1));
    size_t end = 0;
    while (end < code.size() && std::isdigit(static_cast<unsigned char>(code[end]))) ++end;
    code = code.substr(0, end);
  } else if (!IsAsciiDigits(value)) {
    *title = CleanValue(value);  // a title with no code
    return;
  }
  // A bare "3711" in 1993-95 IMS headers and in .nc <ASSIGNED-SIC>.
  if (!code.empty() && code.size() <= 4 && IsAsciiDigits(code)) *sic = ParseSmallInt(code);
}

}  // namespace internal
}  // namespace fidx

#include "fidx/filing_json.h"

namespace fidx {

namespace {

void WriteStrings(const std::vector<std::string>& v, JsonWriter* w) {
  w->BeginArray();
  for (const std::string& s : v) w->String(s);
  w->EndArray();
}

void WriteParty(const Party& p, JsonWriter* w) {
  w->BeginObject();
  w->Key("role"); w->String(p.role);
  w->Key("name"); w->String(p.name);
  w->Key("cik");
  if (p.cik) w->Uint(p.cik); else w->Null();
  w->Key("sic");
  if (p.sic) w->Int(p.sic); else w->Null();
  w->Key("sic_title"); w->StringOrNull(p.sic_title);
  w->Key("irs_number"); w->StringOrNull(p.irs_number);
  w->Key("state_of_incorporation"); w->StringOrNull(p.state_of_incorporation);
  w->Key("fiscal_year_end"); w->StringOrNull(p.fiscal_year_end);
  w->Key("form_type"); w->StringOrNull(p.form_type);
  w->Key("file_numbers"); WriteStrings(p.file_numbers, w);
  w->Key("business_address");
  w->BeginObject();
  w->Key("city"); w->StringOrNull(p.business_address.city);
  w->Key("state"); w->StringOrNull(p.business_address.state);
  w->EndObject();
  w->Key("former_names");
  w->BeginArray();
  for (const FormerName& f : p.former_names) {
    w->BeginObject();
    w->Key("name"); w->String(f.name);
    w->Key("date"); w->StringOrNull(f.date_changed);
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
}

void WriteDocument(const Document& d, JsonWriter* w) {
  w->BeginObject();
  w->Key("sequence"); w->Int(d.sequence);
  w->Key("type"); w->StringOrNull(d.type);
  w->Key("filename"); w->StringOrNull(d.filename);
  w->Key("description"); w->StringOrNull(d.description);
  w->Key("kind"); w->String(DocumentKindName(d.kind));
  w->Key("raw_bytes"); w->Uint(d.raw_bytes);
  w->Key("text_bytes"); w->Uint(d.text.size());
  w->EndObject();
}

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

std::string PartyLine(const Party& p) {
  std::string s = "    " + p.role + ": " + OrDash(p.name);
  if (p.cik) s += "  CIK " + std::to_string(p.cik);
  if (p.sic) s += "  SIC " + std::to_string(p.sic);
  if (!p.sic_title.empty()) s += " (" + p.sic_title + ")";
  if (!p.state_of_incorporation.empty()) s += "  inc. " + p.state_of_incorporation;
  if (!p.fiscal_year_end.empty()) s += "  FYE " + p.fiscal_year_end;
  s += "\n";
  const Address& a = p.business_address;
  if (!a.city.empty() || !a.state.empty()) {
    s += "      business address: " + a.city + (a.state.empty() ? "" : ", " + a.state) + "\n";
  }
  for (const FormerName& f : p.former_names) {
    s += "      formerly: " + f.name +
         (f.date_changed.empty() ? "" : " (until " + f.date_changed + ")") + "\n";
  }
  return s;
}

}  // namespace

std::string DescribeFilingHeader(const Filing& f) {
  std::string s = "  format:      " + std::string(FormatName(f.format));
  if (f.pem_wrapped) s += ", PEM-wrapped";
  if (f.gzipped) s += ", gzipped";
  s += "\n  accession:   " + OrDash(f.accession);
  s += "\n  form:        " + OrDash(f.form);
  s += "\n  filed:       " + OrDash(f.filed);
  if (!f.period.empty()) s += "\n  period:      " + f.period;
  if (!f.acceptance.empty()) s += "\n  acceptance:  " + f.acceptance;
  for (const std::string& item : f.items) s += "\n  item:        " + item;
  bool from_header = true;
  for (const auto& [field, source] : f.sources) from_header = from_header && source == "sec-header";
  if (!from_header) {
    s += "\n  sources:    ";
    for (const auto& [field, source] : f.sources) s += " " + field + "=" + source;
  }
  s += "\n  parties:     " + std::to_string(f.parties.size()) + "\n";
  for (const Party& p : f.parties) s += PartyLine(p);
  return s;
}

std::string DescribeDocument(const Document& d) {
  std::string s = "    " + std::to_string(d.sequence) + "  " + OrDash(d.type) + "  " +
                  OrDash(d.filename) + "  " + DocumentKindName(d.kind) + "  " +
                  std::to_string(d.raw_bytes) + " bytes";
  if (d.kind != DocumentKind::kBinary && d.kind != DocumentKind::kGenerated) s += ", " + std::to_string(d.text.size()) + " bytes of text";
  if (!d.description.empty()) s += "  \"" + d.description + "\"";
  return s + "\n";
}

void WriteFilingJson(const Filing& f, const std::string& path,
                     bool with_documents, JsonWriter* w) {
  w->BeginObject();
  w->Key("path"); w->String(path);
  w->Key("format"); w->String(FormatName(f.format));
  w->Key("pem_wrapped"); w->Bool(f.pem_wrapped);
  w->Key("gzipped"); w->Bool(f.gzipped);
  w->Key("accession"); w->StringOrNull(f.accession);
  w->Key("form"); w->StringOrNull(f.form);
  w->Key("filed"); w->StringOrNull(f.filed);
  w->Key("period"); w->StringOrNull(f.period);
  w->Key("acceptance"); w->StringOrNull(f.acceptance);
  w->Key("items"); WriteStrings(f.items, w);
  w->Key("public_document_count");
  if (f.public_document_count >= 0) w->Int(f.public_document_count); else w->Null();
  w->Key("parties");
  w->BeginArray();
  for (const Party& p : f.parties) WriteParty(p, w);
  w->EndArray();
  w->Key("sources");
  w->BeginObject();
  for (const auto& [field, source] : f.sources) {
    w->Key(field);
    w->String(source);
  }
  w->EndObject();
  if (with_documents) {
    w->Key("documents");
    w->BeginArray();
    for (const Document& d : f.documents) WriteDocument(d, w);
    w->EndArray();
    w->Key("warnings"); WriteStrings(f.warnings, w);
  }
  w->EndObject();
}

}  // namespace fidx

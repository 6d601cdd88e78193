// fidx inspect FILE...: what fidx understands of EDGAR files, without an
// index. Human-readable by default, one JSON object per line with --json.

#include <iostream>
#include <string>
#include <vector>

#include "command.h"
#include "fidx/file_io.h"
#include "fidx/filing.h"
#include "fidx/json.h"
#include "fidx/parser.h"
#include "output.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {
namespace {

// ---- JSON ----

void WriteParty(const Party& p, JsonWriter* w) {
  w->BeginObject();
  w->Key("role"); w->String(p.role);
  w->Key("name"); w->String(p.name);
  w->Key("cik"); w->Uint(p.cik);
  w->Key("sic");
  if (p.sic) w->Int(p.sic); else w->Null();
  w->Key("sic_title"); w->StringOrNull(p.sic_title);
  w->Key("irs_number"); w->StringOrNull(p.irs_number);
  w->Key("state_of_incorporation"); w->StringOrNull(p.state_of_incorporation);
  w->Key("fiscal_year_end"); w->StringOrNull(p.fiscal_year_end);
  w->Key("form_type"); w->StringOrNull(p.form_type);
  w->Key("file_numbers");
  w->BeginArray();
  for (const std::string& n : p.file_numbers) w->String(n);
  w->EndArray();
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

void WriteDocument(const Document& d, bool with_text, JsonWriter* w) {
  w->BeginObject();
  w->Key("sequence"); w->Int(d.sequence);
  w->Key("type"); w->StringOrNull(d.type);
  w->Key("filename"); w->StringOrNull(d.filename);
  w->Key("description"); w->StringOrNull(d.description);
  w->Key("kind"); w->String(DocumentKindName(d.kind));
  w->Key("raw_bytes"); w->Uint(d.raw_bytes);
  w->Key("text_bytes"); w->Uint(d.text.size());
  if (with_text) {
    w->Key("text"); w->String(d.text);
  }
  w->EndObject();
}

std::string FilingJson(const std::string& path, const Filing& f, bool with_text) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("path"); w.String(path);
  w.Key("format"); w.String(FormatName(f.format));
  w.Key("pem_wrapped"); w.Bool(f.pem_wrapped);
  w.Key("gzipped"); w.Bool(f.gzipped);
  w.Key("accession"); w.StringOrNull(f.accession);
  w.Key("form"); w.StringOrNull(f.form);
  w.Key("filed"); w.StringOrNull(f.filed);
  w.Key("period"); w.StringOrNull(f.period);
  w.Key("acceptance"); w.StringOrNull(f.acceptance);
  w.Key("items");
  w.BeginArray();
  for (const std::string& i : f.items) w.String(i);
  w.EndArray();
  w.Key("parties");
  w.BeginArray();
  for (const Party& p : f.parties) WriteParty(p, &w);
  w.EndArray();
  w.Key("documents");
  w.BeginArray();
  for (const Document& d : f.documents) WriteDocument(d, with_text, &w);
  w.EndArray();
  w.Key("warnings");
  w.BeginArray();
  for (const std::string& s : f.warnings) w.String(s);
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return out;
}

// ---- Human-readable ----

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
    s += "      formerly: " + f.name + (f.date_changed.empty() ? "" : " (until " + f.date_changed + ")") + "\n";
  }
  return s;
}

std::string DocumentLine(const Document& d) {
  std::string s = "    " + std::to_string(d.sequence) + "  " + OrDash(d.type) + "  " +
                  OrDash(d.filename) + "  " + DocumentKindName(d.kind) + "  " +
                  std::to_string(d.raw_bytes) + " bytes";
  if (d.kind != DocumentKind::kBinary) s += ", " + std::to_string(d.text.size()) + " bytes of text";
  if (!d.description.empty()) s += "  \"" + d.description + "\"";
  return s + "\n";
}

std::string FilingText(const std::string& path, const Filing& f, bool with_text) {
  std::string s = path + "\n";
  s += "  format:      " + std::string(FormatName(f.format));
  if (f.pem_wrapped) s += ", PEM-wrapped";
  if (f.gzipped) s += ", gzipped";
  s += "\n  accession:   " + OrDash(f.accession);
  s += "\n  form:        " + OrDash(f.form);
  s += "\n  filed:       " + OrDash(f.filed);
  if (!f.period.empty()) s += "\n  period:      " + f.period;
  if (!f.acceptance.empty()) s += "\n  acceptance:  " + f.acceptance;
  for (const std::string& item : f.items) s += "\n  item:        " + item;
  s += "\n  parties:     " + std::to_string(f.parties.size()) + "\n";
  for (const Party& p : f.parties) s += PartyLine(p);
  s += "  documents:   " + std::to_string(f.documents.size()) + "\n";
  for (const Document& d : f.documents) {
    s += DocumentLine(d);
    if (with_text && !d.text.empty()) s += d.text + "\n";
  }
  s += "  warnings:    " + std::to_string(f.warnings.size()) + "\n";
  for (const std::string& w : f.warnings) s += "    " + w + "\n";
  return s + "\n";
}

class InspectCommand : public Command {
 public:
  const char* Name() const override { return "inspect"; }
  const char* Summary() const override {
    return "show how fidx reads EDGAR files (header, parties, documents)";
  }
  std::string Usage() const override { return "fidx inspect [options] FILE..."; }
  std::string Epilog() const override {
    return "Reads each FILE (gzipped or not) and prints its format, header fields,\n"
           "parties, documents and any problems found. Needs no index.\n"
           "Exit status: 0 if every file could be read, 1 if some could not.\n";
  }

  int Run() override {
    bool failed = false;
    for (const std::string& path : files_) {
      if (!InspectOne(path)) failed = true;
    }
    std::cout << std::flush;
    return failed ? kExitPartial : kExitOk;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description* pos,
                  po::options_description* hidden) override {
    opts->add_options()
        ("json", po::bool_switch(&json_), "one JSON object per file and line")
        ("text", po::bool_switch(&text_), "also print each document's extracted text");
    hidden->add_options()("file", po::value<std::vector<std::string>>(&files_));
    pos->add("file", -1);
  }

  void Validate(const po::variables_map& vm) override {
    if (files_.empty()) throw UsageError("no FILE given");
  }

 private:
  bool InspectOne(const std::string& path) {
    std::string bytes, error;
    bool gzipped = false;
    if (!ReadFileBytes(path, ReadLimits(), &bytes, &gzipped, &error)) {
      Warn(path, error);
      return false;
    }
    ParseOptions options;
    options.path = path;
    Filing filing = ParseFiling(bytes, options);
    filing.gzipped = gzipped;
    std::cout << (json_ ? FilingJson(path, filing, text_) : FilingText(path, filing, text_));
    return true;
  }

  bool json_ = false;
  bool text_ = false;
  std::vector<std::string> files_;
};

}  // namespace

std::unique_ptr<Command> MakeInspectCommand() { return std::make_unique<InspectCommand>(); }

}  // namespace cli
}  // namespace fidx

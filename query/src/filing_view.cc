#include "fidx/filing_view.h"

#include "fidx/search.h"

#include "fidx/edgar_items.h"
#include "fidx/json.h"

namespace fidx {
namespace cli {

namespace {

constexpr char kItemLabel[] = "  item:        ";

}  // namespace

std::string FilingIndexUrl(uint64_t cik, const std::string& accession) {
  if (cik == 0 || accession.empty()) return "";
  std::string bare;
  for (char c : accession) {
    if (c != '-') bare.push_back(c);
  }
  return "https://www.sec.gov/Archives/edgar/data/" + std::to_string(cik) + "/" + bare + "/" +
         accession + "-index.htm";
}

std::string ItemWithTitle(const std::string& item) {
  std::string number = EightKItemNumber(item);
  if (number.empty()) return item;
  return number + " " + EightKItemTitle(number);
}

std::vector<std::string> ItemsOfHeaderText(const std::string& header_text) {
  std::vector<std::string> items;
  size_t at = 0;
  while (at < header_text.size()) {
    size_t end = header_text.find('\n', at);
    if (end == std::string::npos) end = header_text.size();
    std::string line = header_text.substr(at, end - at);
    if (line.rfind(kItemLabel, 0) == 0) items.push_back(line.substr(sizeof kItemLabel - 1));
    at = end + 1;
  }
  return items;
}

std::string HeaderTextView(const std::string& header_text, const std::string& index_url) {
  std::string out;
  size_t at = 0;
  while (at < header_text.size()) {
    size_t end = header_text.find('\n', at);
    if (end == std::string::npos) end = header_text.size();
    std::string line = header_text.substr(at, end - at);
    if (line.rfind(kItemLabel, 0) == 0) {
      line = kItemLabel + ItemWithTitle(line.substr(sizeof kItemLabel - 1));
    }
    out += line + "\n";
    if (line.rfind("  filed:", 0) == 0 && !index_url.empty()) {
      out += "  index:       " + index_url + "\n";
    }
    at = end + 1;
  }
  return out;
}

std::string FilingViewJson(const std::string& header_json, const std::vector<std::string>& items,
                           const std::string& index_url, const std::vector<DocumentView>& docs,
                           const std::vector<std::string>* warnings,
                           const std::vector<std::string>* texts) {
  std::string out = header_json;
  while (!out.empty() && out.back() != '}') out.pop_back();
  if (out.empty()) out = "{}";
  out.pop_back();  // the object's closing brace
  std::string tail;
  JsonWriter w(&tail);
  w.BeginObject();
  w.Key("item_numbers");
  w.BeginArray();
  for (const std::string& item : items) {
    std::string number = EightKItemNumber(item);
    if (number.empty()) continue;
    w.BeginObject();
    w.Key("number"); w.String(number);
    w.Key("title"); w.String(EightKItemTitle(number));
    w.EndObject();
  }
  w.EndArray();
  w.Key("index_url"); w.StringOrNull(index_url);
  w.Key("documents");
  w.BeginArray();
  for (const DocumentView& d : docs) {
    w.BeginObject();
    w.Key("sequence"); w.Int(d.sequence);
    w.Key("type"); w.StringOrNull(d.type);
    w.Key("filename"); w.StringOrNull(d.filename);
    w.Key("description"); w.StringOrNull(d.description);
    w.Key("kind"); w.StringOrNull(d.kind);
    w.Key("raw_bytes"); if (d.raw_bytes >= 0) w.Uint(static_cast<uint64_t>(d.raw_bytes)); else w.Null();
    w.Key("text_bytes"); w.Uint(d.text_bytes);
    w.Key("url"); w.StringOrNull(d.url);
    w.EndObject();
  }
  w.EndArray();
  w.Key("warnings");
  if (warnings) {
    w.BeginArray();
    for (const std::string& s : *warnings) w.String(s);
    w.EndArray();
  } else {
    w.Null();
  }
  if (texts) {
    w.Key("texts");
    w.BeginArray();
    for (const std::string& t : *texts) w.String(t);
    w.EndArray();
  }
  w.EndObject();
  // Splice: drop the tail's opening brace, join with a comma.
  bool empty_head = out.size() == 1;  // "{"
  out += (empty_head ? "" : ",") + tail.substr(1);
  return out;
}

std::string DocumentLines(const std::vector<DocumentView>& docs) {
  std::string s;
  for (const DocumentView& d : docs) {
    s += "    " + std::to_string(d.sequence) + "  " + (d.type.empty() ? "-" : d.type) + "  " +
         (d.filename.empty() ? "-" : d.filename) + "  " + std::to_string(d.text_bytes) +
         " bytes of text";
    if (!d.description.empty()) s += "  \"" + d.description + "\"";
    s += "\n";
    if (!d.url.empty()) s += "       " + d.url + "\n";
  }
  return s;
}


std::string ShowJson(const Searcher::FilingDocuments& filing, bool with_text) {
  std::vector<DocumentView> docs;
  std::vector<std::string> texts;
  for (size_t i = 0; i < filing.documents.size(); ++i) {
    const HitDocument& d = filing.documents[i];
    DocumentView v;
    v.sequence = d.sequence;
    v.type = d.type;
    v.filename = d.filename;
    v.description = d.description;
    v.kind = i < filing.kinds.size() ? filing.kinds[i] : "";
    v.text_bytes = i < filing.text_bytes.size() ? filing.text_bytes[i] : 0;
    v.url = SecUrl(filing.cik, filing.accession, d.filename);
    docs.push_back(v);
    if (with_text) texts.push_back(i < filing.texts.size() ? filing.texts[i] : "");
  }
  std::string head = filing.header_json;
  if (head.empty()) {
    JsonWriter w(&head);
    w.BeginObject();
    w.Key("path"); w.String(filing.path);
    w.Key("accession"); w.Null();
    w.EndObject();
  }
  return FilingViewJson(head, ItemsOfHeaderText(filing.header_text),
                        FilingIndexUrl(filing.cik, filing.accession), docs, nullptr,
                        with_text ? &texts : nullptr);
}

}  // namespace cli
}  // namespace fidx

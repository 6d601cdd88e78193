// fidx search: ranked hits with snippets, facets, JSON.

#include <algorithm>
#include <iostream>

#include "command.h"
#include "fidx/json.h"
#include "fidx/search.h"
#include "output.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

constexpr char kQueryHelp[] =
    "Query language:\n"
    "  orphan drug            both words, anywhere in a filing (stemmed: drugs, drug)\n"
    "  \"orphan drug\"          the exact phrase (unstemmed)\n"
    "  licence OR license     either word; AND, NOT and brackets work too\n"
    "  drug -placebo          exclude a word;  NEAR, as in: orphan NEAR drug\n"
    "  pharma*                words starting with pharma\n"
    "  cik:1279704            any party of the filing (leading zeros optional)\n"
    "  form:8-K               exact form (form:10-K does not match 10-K/A; form:10-K* does)\n"
    "  sic:2834  state:DE  year:2017  year:2015..2017  item:2.02  file:001-36598\n"
    "  type:EX-99.1           filings with a document of that type (type:EX-10* too)\n"
    "  company:cellectar      words in a party's current or former name\n"
    "  filed:2017-01-01..2017-06-30   also 20170101, open ends (filed:2017..), filed:2017-03\n"
    "  accession:0001144204-17-013452\n"
    "  *                      every filing (alone or with filters)\n";

std::string Bold(const std::string& snippet, bool terminal) {
  std::string out;
  for (char c : snippet) {
    if (c == '\x02') {
      if (terminal) out += "\033[1m";
    } else if (c == '\x03') {
      if (terminal) out += "\033[0m";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string MarkHtml(const std::string& snippet) {
  std::string out;
  for (char c : snippet) {
    switch (c) {
      case '\x02': out += "<mark>"; break;
      case '\x03': out += "</mark>"; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

void WriteHitJson(const Hit& h, JsonWriter* w) {
  w->BeginObject();
  w->Key("rank"); w->Uint(h.rank);
  w->Key("score"); w->Double(h.score);
  w->Key("accession"); w->StringOrNull(h.accession);
  w->Key("form"); w->StringOrNull(h.form);
  w->Key("filed"); w->StringOrNull(h.filed);
  w->Key("company"); w->StringOrNull(h.company);
  w->Key("cik"); if (h.cik) w->Uint(h.cik); else w->Null();
  w->Key("ciks"); w->BeginArray(); for (uint64_t c : h.ciks) w->Uint(c); w->EndArray();
  w->Key("sic"); if (h.sic) w->Int(h.sic); else w->Null();
  w->Key("path"); w->String(h.path);
  w->Key("document");
  w->BeginObject();
  w->Key("sequence"); w->Int(h.document.sequence);
  w->Key("type"); w->StringOrNull(h.document.type);
  w->Key("filename"); w->StringOrNull(h.document.filename);
  w->Key("description"); w->StringOrNull(h.document.description);
  w->EndObject();
  w->Key("matching_documents"); w->Uint(h.matching_documents);
  w->Key("snippet"); w->String(MarkHtml(h.snippet));
  w->Key("url"); w->StringOrNull(h.url);
  w->EndObject();
}

std::string ResultJson(const SearchResult& r, bool facets) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("total"); w.Uint(r.total);
  w.Key("hits");
  w.BeginArray();
  for (const Hit& h : r.hits) WriteHitJson(h, &w);
  w.EndArray();
  if (facets) {
    w.Key("facets");
    w.BeginObject();
    for (const std::string& name : FacetNames()) {
      w.Key(name);
      w.BeginObject();
      auto it = r.facets.find(name);
      if (it != r.facets.end()) {
        for (const auto& [value, n] : it->second) {
          w.Key(value);
          w.Uint(n);
        }
      }
      w.EndObject();
    }
    w.EndObject();
    // Names for the codes above: CIK -> company, SIC -> industry title.
    w.Key("facet_labels");
    w.BeginObject();
    for (const auto& [facet, labels] : r.facet_labels) {
      w.Key(facet);
      w.BeginObject();
      for (const auto& [value, label] : labels) {
        w.Key(value);
        w.String(label);
      }
      w.EndObject();
    }
    w.EndObject();
  }
  w.Key("warnings");
  w.BeginArray();
  for (const std::string& s : r.warnings) w.String(s);
  w.EndArray();
  w.EndObject();
  return out;
}

void PrintHit(const Hit& h, bool terminal, size_t width) {
  std::string company = h.company.empty() ? "(no company)" : h.company;
  std::cout << h.rank << ". " << (h.form.empty() ? "?" : h.form) << "  "
            << (h.filed.empty() ? "----------" : h.filed) << "  " << company;
  if (h.cik) std::cout << " (CIK " << h.cik << ")";
  std::cout << "\n   ";
  if (!h.accession.empty()) std::cout << h.accession << "  ";
  std::cout << (h.document.type.empty() ? "document" : h.document.type);
  if (!h.document.filename.empty()) std::cout << " " << h.document.filename;
  if (!h.document.description.empty() && h.document.description != h.document.type) {
    std::cout << " (" << h.document.description << ")";
  }
  if (h.matching_documents > 1) std::cout << "  +" << h.matching_documents - 1 << " more";
  std::cout << "\n";
  if (!h.snippet.empty()) std::cout << WrapWords(Bold(h.snippet, terminal), width, "   ");
  std::cout << "   " << (h.url.empty() ? h.path : h.url) << "\n\n";
}

void PrintFacets(const SearchResult& r, size_t width) {
  const FacetCounts& facets = r.facets;
  for (const std::string& name : FacetNames()) {
    auto it = facets.find(name);
    if (it == facets.end() || it->second.empty()) continue;
    std::vector<std::pair<std::string, uint64_t>> values(it->second.begin(), it->second.end());
    if (name == "year") {
      // Years in year order, newest first; "(unknown)" last.
      std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
        return (a.first[0] == '(') != (b.first[0] == '(') ? b.first[0] == '(' : a.first > b.first;
      });
    } else {
      std::stable_sort(values.begin(), values.end(),
                       [](const auto& a, const auto& b) { return a.second > b.second; });
    }
    // Wrapped between values, never inside "8-K (3)" or a company's name.
    std::vector<std::string> pieces;
    for (const auto& [value, n] : values) {
      if (pieces.size() == 10) {
        pieces.push_back("(+" + std::to_string(values.size() - 10) + " more)");
        break;
      }
      std::string piece = value;
      auto labels = r.facet_labels.find(name);
      if (labels != r.facet_labels.end()) {
        auto label = labels->second.find(value);
        if (label != labels->second.end()) piece += " " + label->second;
      }
      pieces.push_back(piece + " (" + std::to_string(n) + ")");
    }
    std::string first = std::string(name) + ":  ";
    std::cout << WrapPieces(pieces, "  ", width, first, std::string(first.size(), ' '));
  }
  std::cout << "\n";
}

class SearchCommand : public Command {
 public:
  const char* Name() const override { return "search"; }
  const char* Summary() const override { return "search the index; one hit per filing"; }
  std::string Usage() const override { return "fidx search [options] QUERY..."; }
  std::string Epilog() const override {
    return std::string(kQueryHelp) +
           "\nExit status: 0 hits found; 1 no hits; 2 bad arguments or query;\n"
           "4 no index, or the index could not be read.\n";
  }

  int Run() override {
    std::string error;
    std::vector<std::string> warnings;
    auto searcher = Searcher::Open(DbPath(), allow_partial_, &error, &warnings);
    for (const std::string& w : warnings) std::cerr << "fidx: warning: " << w << "\n";
    if (!searcher) return ReportError(Status::NoIndex(error));
    SearchResult result;
    Status status = SearchStatus(searcher->Search(options_, &result, &error), error);
    if (status.code() == Status::Code::kInvalidArgument) {
      std::cerr << "fidx search: " << error << "\n";  // a usage error, as for options
      return ExitStatusFor(status);
    }
    if (!status.ok()) return ReportError(status);
    for (const std::string& w : result.warnings) std::cerr << "fidx: warning: " << w << "\n";
    // Shards skipped when opening (--allow-partial) belong in the JSON too:
    // a script reading only stdout must know the answer is partial.
    result.warnings.insert(result.warnings.begin(), warnings.begin(), warnings.end());
    if (json_) {
      std::cout << ResultJson(result, options_.facets) << "\n";
    } else {
      bool terminal = UseColor(1);
      std::cout << result.total << " "
                << Plural(result.total, options_.per_document ? "document" : "filing")
                << (result.total == 1 ? " matches" : " match");
      if (!result.hits.empty()) {
        std::cout << "; showing " << result.hits.front().rank << "-" << result.hits.back().rank;
      }
      std::cout << "\n\n";
      if (options_.facets) PrintFacets(result, static_cast<size_t>(TerminalWidth(1)));
      size_t width = static_cast<size_t>(TerminalWidth(1));
      for (const Hit& h : result.hits) PrintHit(h, terminal, width);
    }
    return result.total > 0 ? kExitOk : kExitPartial;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description* pos,
                  po::options_description* hidden) override {
    AddDbOption(opts);
    AddColorOption(opts);
    opts->add_options()
        ("limit,n", po::value<std::string>(&limit_)->value_name("N")->default_value("10"),
         "hits to show")
        ("offset", po::value<std::string>(&offset_)->value_name("N")->default_value("0"),
         "hits to skip")
        ("sort", po::value<std::string>(&sort_)->value_name("ORDER")->default_value("relevance"),
         "relevance, newest or oldest")
        ("per-document", po::bool_switch(&options_.per_document),
         "list every matching document, not one hit per filing")
        ("facets", po::bool_switch(&options_.facets),
         "count matching filings by form, CIK, SIC, year and state")
        ("no-snippets", po::bool_switch(&no_snippets_), "do not print snippets")
        ("allow-partial", po::bool_switch(&allow_partial_),
         "if a remote shard is down, search the others (with a warning)")
        ("json", po::bool_switch(&json_), "print one JSON object");
    hidden->add_options()("query", po::value<std::vector<std::string>>(&words_)
                              ->value_name("QUERY"));
    pos->add("query", -1);
  }

  std::string UsageHint(const std::string& error) const override {
    if (error.find("unrecognised option '-") == std::string::npos &&
        error.find("unrecognized option '-") == std::string::npos) {
      return "";
    }
    return "\n(to search for a term starting with '-', put '--' before the query: "
           "fidx search -- '-term')";
  }

  // A count option: digits only ("-1" is not 18446744073709551615).
  static uint64_t Count(const std::string& value, const char* name) {
    bool digits = !value.empty() && value.size() <= 18 &&
                  value.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) throw UsageError(std::string(name) + " must be a number >= 0, not '" + value + "'");
    return std::stoull(value);
  }

  void Validate(const po::variables_map&) override {
    if (words_.empty()) throw UsageError("no QUERY given (use '*' for every filing)");
    for (const std::string& w : words_) {
      if (!options_.query.empty()) options_.query.push_back(' ');
      options_.query += w;
    }
    options_.limit = Count(limit_, "--limit");
    options_.offset = Count(offset_, "--offset");
    std::string sort = LowerAscii(sort_);
    if (sort == "relevance") options_.sort = SortOrder::kRelevance;
    else if (sort == "newest") options_.sort = SortOrder::kNewest;
    else if (sort == "oldest") options_.sort = SortOrder::kOldest;
    else throw UsageError("--sort must be relevance, newest or oldest");
    options_.snippets = !no_snippets_;
  }

 private:
  SearchOptions options_;
  std::vector<std::string> words_;
  std::string sort_;
  std::string limit_;
  std::string offset_;
  bool json_ = false;
  bool no_snippets_ = false;
  bool allow_partial_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeSearchCommand() { return std::make_unique<SearchCommand>(); }

}  // namespace cli
}  // namespace fidx

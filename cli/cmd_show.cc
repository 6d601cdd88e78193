// fidx show: one filing's header, parties and documents, from the index;
// with --text or --document N, the extracted text.

#include <stdlib.h>

#include <climits>
#include <iostream>

#include "command.h"
#include "fidx/json.h"
#include "fidx/parser.h"
#include "fidx/search.h"
#include "fidx/filing_view.h"
#include "output.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

// The filing key of a header-less file is its absolute path. A member of
// an archive (ARCHIVE/member) is resolved through its archive's path.
std::string AbsoluteFile(const std::string& path) {
  char resolved[PATH_MAX];
  for (size_t end = path.size(); end != std::string::npos && end > 0;
       end = path.rfind('/', end - 1)) {
    if (::realpath(path.substr(0, end).c_str(), resolved) != nullptr) {
      return resolved + path.substr(end);
    }
  }
  return path;
}

class ShowCommand : public Command {
 public:
  const char* Name() const override { return "show"; }
  const char* Summary() const override {
    return "print one indexed filing's header, documents, links and text";
  }
  std::string Usage() const override { return "fidx show [options] ACCESSION|PATH"; }
  std::string Epilog() const override {
    return "A filing without an accession number (a loose document) is shown by its path.\n"
           "--json prints the same shape as 'fidx inspect --json' (raw_bytes and warnings\n"
           "are null: the index does not keep them).\n"
           "Exit status: 0 shown; 1 not in the index (or no document N); 2 usage;\n"
           "4 no index.\n";
  }

  int Run() override {
    std::string error;
    std::vector<std::string> warnings;
    auto searcher = Searcher::Open(DbPath(), false, &error, &warnings);
    if (!searcher) return ReportError(Status::NoIndex(error));
    Searcher::FilingDocuments filing;
    std::string key = NormalizeAccession(accession_);
    if (key.empty()) key = AbsoluteFile(accession_);
    bool with_text = text_ || document_ >= 0;
    if (!searcher->GetFiling(key, &filing, &error, with_text)) {
      if (!error.empty()) return ReportError(Status::IOError(error));
      std::cerr << "fidx show: " << accession_ << " is not in the index\n";
      return ExitStatusFor(Status::NotFound(accession_));
    }
    std::vector<DocumentView> docs;
    std::vector<std::string> texts;
    for (size_t i = 0; i < filing.documents.size(); ++i) {
      const HitDocument& d = filing.documents[i];
      if (document_ >= 0 && d.sequence != document_) continue;
      DocumentView v;
      v.sequence = d.sequence;
      v.type = d.type;
      v.filename = d.filename;
      v.description = d.description;
      v.kind = filing.kinds[i];
      v.text_bytes = filing.text_bytes[i];
      v.url = SecUrl(filing.cik, filing.accession, d.filename);
      docs.push_back(v);
      if (with_text) texts.push_back(filing.texts[i]);
    }
    if (document_ >= 0 && docs.empty()) {
      std::cerr << "fidx show: " << accession_ << " has no document " << document_ << " (it has "
                << filing.documents.size() << ")\n";
      return ExitStatusFor(Status::NotFound(accession_));
    }
    std::string index_url = FilingIndexUrl(filing.cik, filing.accession);
    if (json_ && document_ < 0) {
      std::cout << ShowJson(filing, with_text) << "\n";  // as /api/filing of fidx serve
    } else if (json_) {
      std::string head = filing.header_json;
      if (head.empty()) {
        JsonWriter w(&head);
        w.BeginObject();
        w.Key("path"); w.String(filing.path);
        w.Key("accession"); w.Null();
        w.EndObject();
      }
      std::cout << FilingViewJson(head, ItemsOfHeaderText(filing.header_text), index_url, docs,
                                  nullptr, with_text ? &texts : nullptr)
                << "\n";
    } else if (document_ >= 0) {
      std::cout << texts[0];
      if (!texts[0].empty() && texts[0].back() != '\n') std::cout << "\n";
    } else {
      std::cout << filing.path << "\n" << HeaderTextView(filing.header_text, index_url);
      std::cout << "  documents:   " << filing.documents.size() << "\n";
      for (size_t i = 0; i < docs.size(); ++i) {
        std::cout << DocumentLines({docs[i]});
        if (text_ && !texts[i].empty()) std::cout << texts[i] << "\n";
      }
    }
    return kExitOk;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description* pos,
                  po::options_description* hidden) override {
    AddDbOption(opts);
    opts->add_options()
        ("text", po::bool_switch(&text_), "also print each document's extracted text")
        ("document,d", po::value<int>(&document_)->value_name("N"),
         "print only document N's extracted text (its sequence number)")
        ("json", po::bool_switch(&json_), "print one JSON object (with --text: a \"texts\" array)");
    hidden->add_options()("accession", po::value<std::string>(&accession_)
                                           ->value_name("ACCESSION"));
    pos->add("accession", 1);
  }

  void Validate(const po::variables_map& vm) override {
    if (accession_.empty()) throw UsageError("no ACCESSION or PATH given");
    if (vm.count("document") && document_ < 0) throw UsageError("--document must be >= 0");
  }

 private:
  std::string accession_;
  bool json_ = false;
  bool text_ = false;
  int document_ = -1;
};

}  // namespace

std::unique_ptr<Command> MakeShowCommand() { return std::make_unique<ShowCommand>(); }

}  // namespace cli
}  // namespace fidx

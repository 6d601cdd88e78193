// fidx show: one filing's header, parties and documents, from the index.

#include <iostream>

#include "command.h"
#include "fidx/json.h"
#include "fidx/parser.h"
#include "fidx/search.h"
#include "output.h"

namespace po = boost::program_options;

namespace fidx {
namespace cli {

namespace {

class ShowCommand : public Command {
 public:
  const char* Name() const override { return "show"; }
  const char* Summary() const override { return "print one indexed filing's header and documents"; }
  std::string Usage() const override { return "fidx show [options] ACCESSION"; }
  std::string Epilog() const override {
    return "Exit status: 0 shown; 1 not in the index; 2 usage; 4 no index.\n";
  }

  int Run() override {
    std::string error;
    std::vector<std::string> warnings;
    auto searcher = Searcher::Open(DbPath(), false, &error, &warnings);
    if (!searcher) {
      Error(error);
      return kExitFatal;
    }
    Searcher::FilingDocuments filing;
    std::string key = NormalizeAccession(accession_);
    if (key.empty()) key = accession_;
    if (!searcher->GetFiling(key, &filing, &error)) {
      if (!error.empty()) {
        Error(error);
        return kExitFatal;
      }
      std::cerr << "fidx show: " << accession_ << " is not in the index\n";
      return kExitPartial;
    }
    std::string out;
    JsonWriter w(&out);
    w.BeginObject();
    w.Key("header");
    if (filing.header_json.empty()) w.Null(); else w.Raw(filing.header_json);
    w.Key("path"); w.String(filing.path);
    w.Key("documents");
    w.BeginArray();
    for (size_t i = 0; i < filing.documents.size(); ++i) {
      const HitDocument& d = filing.documents[i];
      w.BeginObject();
      w.Key("sequence"); w.Int(d.sequence);
      w.Key("type"); w.StringOrNull(d.type);
      w.Key("filename"); w.StringOrNull(d.filename);
      w.Key("description"); w.StringOrNull(d.description);
      w.Key("text_bytes"); w.Uint(filing.text_bytes[i]);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    if (json_) {
      std::cout << out << "\n";
    } else {
      PrintHuman(filing);
    }
    return kExitOk;
  }

 protected:
  void AddOptions(po::options_description* opts, po::positional_options_description* pos,
                  po::options_description* hidden) override {
    AddDbOption(opts);
    opts->add_options()("json", po::bool_switch(&json_), "print one JSON object");
    hidden->add_options()("accession", po::value<std::string>(&accession_)
                              ->value_name("ACCESSION"));
    pos->add("accession", 1);
  }

  void Validate(const po::variables_map&) override {
    if (accession_.empty()) throw UsageError("no ACCESSION given");
  }

 private:
  static void PrintHuman(const Searcher::FilingDocuments& f) {
    std::cout << f.path << "\n" << f.header_text;
    std::cout << "  documents:   " << f.documents.size() << "\n";
    for (size_t i = 0; i < f.documents.size(); ++i) {
      const HitDocument& d = f.documents[i];
      std::cout << "    " << d.sequence << "  " << (d.type.empty() ? "-" : d.type) << "  "
                << (d.filename.empty() ? "-" : d.filename) << "  " << f.text_bytes[i]
                << " bytes of text";
      if (!d.description.empty()) std::cout << "  \"" << d.description << "\"";
      std::cout << "\n";
    }
  }

  std::string accession_;
  bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeShowCommand() { return std::make_unique<ShowCommand>(); }

}  // namespace cli
}  // namespace fidx

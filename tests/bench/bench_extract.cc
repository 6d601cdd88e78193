// bench_extract: how fast HtmlToText turns HTML into text, single-threaded,
// against a naive DOM baseline (htmlReadMemory + a walk over the tree).
//
//   bench_extract [--runs N] [--mode sax|dom|both] PATH...
//
// PATHs are files or directories (searched recursively for *.htm, *.html).
// All documents are read into memory first; each mode then converts all of
// them N times and reports the best run in MB/s of input HTML and docs/s,
// per CPU second of the one thread doing the work.
// Run one mode at a time under /usr/bin/time -v to compare peak memory.
// The DOM baseline needs libxml2's headers on the include path
// (PkgConfig::LIBXML2 on the target); without them only "sax" runs.

#if __has_include(<libxml/HTMLparser.h>)
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#define FIDX_BENCH_HAVE_DOM 1
#endif

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "fidx/text_extract.h"

namespace {

namespace fs = std::filesystem;

struct Options {
  int runs = 3;
  std::string mode = "both";
  std::vector<std::string> paths;
};

bool IsHtmlName(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  return ext == ".htm" || ext == ".html";
}

// Reads straight into a string of the right size, so that peak memory under
// /usr/bin/time is the documents plus what the conversion itself uses.
std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes(fs::file_size(path), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  return bytes;
}

std::vector<std::string> LoadDocuments(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const std::string& arg : paths) {
    if (fs::is_directory(arg)) {
      for (const auto& entry : fs::recursive_directory_iterator(arg)) {
        if (entry.is_regular_file() && IsHtmlName(entry.path()))
          files.push_back(entry.path());
      }
    } else {
      files.emplace_back(arg);
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> docs;
  for (const fs::path& file : files) docs.push_back(ReadFile(file));
  return docs;
}

#ifdef FIDX_BENCH_HAVE_DOM
// The naive approach: build the tree, then walk it, skipping script and
// style and putting a newline after block elements.
bool IsBlock(const xmlChar* name) {
  static const char* const kBlocks[] = {
      "p",  "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6",
      "table", "pre", "hr", "title", "blockquote", "dd", "dt", "ul", "ol"};
  for (const char* block : kBlocks) {
    if (xmlStrEqual(name, reinterpret_cast<const xmlChar*>(block))) return true;
  }
  return false;
}

void WalkTree(xmlNodePtr root, std::string* out) {
  std::vector<xmlNodePtr> stack = {root};  // iterative: trees can be deep
  while (!stack.empty()) {
    xmlNodePtr node = stack.back();
    stack.pop_back();
    if (node == nullptr) {
      out->push_back('\n');  // marker pushed after a block's children
      continue;
    }
    if (node->type == XML_TEXT_NODE && node->content != nullptr) {
      out->append(reinterpret_cast<const char*>(node->content));
    } else if (node->type == XML_ELEMENT_NODE) {
      const xmlChar* name = node->name;
      if (xmlStrEqual(name, BAD_CAST "script") ||
          xmlStrEqual(name, BAD_CAST "style"))
        continue;
      if (IsBlock(name)) stack.push_back(nullptr);
      std::vector<xmlNodePtr> children;
      for (xmlNodePtr c = node->children; c != nullptr; c = c->next)
        children.push_back(c);
      stack.insert(stack.end(), children.rbegin(), children.rend());
    }
  }
}

std::string DomToText(const std::string& html) {
  const char* encoding = fidx::IsValidUtf8(html) ? "UTF-8" : "windows-1252";
  htmlDocPtr doc = htmlReadMemory(
      html.data(), static_cast<int>(html.size()), nullptr, encoding,
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
          HTML_PARSE_NONET | HTML_PARSE_COMPACT);
  std::string out;
  if (doc != nullptr) {
    WalkTree(xmlDocGetRootElement(doc), &out);
    xmlFreeDoc(doc);
  }
  return out;
}
#endif  // FIDX_BENCH_HAVE_DOM

std::string SaxToText(const std::string& html) {
  std::vector<std::string> warnings;
  return fidx::HtmlToText(html, &warnings);
}

// Converts every document `runs` times and prints the best run. Rates are
// per CPU second of this (single) thread, which stays meaningful when other
// work shares the machine; wall-clock seconds are shown beside them.
void RunMode(const char* label, const std::vector<std::string>& docs,
             uint64_t input_bytes, int runs,
             const std::function<std::string(const std::string&)>& convert) {
  double best_cpu = 1e300;
  double best_wall = 1e300;
  uint64_t output_bytes = 0;
  for (int run = 0; run < runs; ++run) {
    output_bytes = 0;
    std::clock_t cpu_start = std::clock();
    auto wall_start = std::chrono::steady_clock::now();
    for (const std::string& doc : docs) output_bytes += convert(doc).size();
    std::chrono::duration<double> wall =
        std::chrono::steady_clock::now() - wall_start;
    double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    best_cpu = std::min(best_cpu, cpu);
    best_wall = std::min(best_wall, wall.count());
  }
  std::printf("%-4s best of %d: %6.2f MB/s  %7.1f docs/s  (%.3f s CPU, "
              "%.3f s wall)  text %.1f MB\n",
              label, runs, input_bytes / 1e6 / best_cpu, docs.size() / best_cpu,
              best_cpu, best_wall, output_bytes / 1e6);
}

bool ParseArgs(int argc, char** argv, Options* options) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      options->runs = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--mode" && i + 1 < argc) {
      options->mode = argv[++i];
    } else if (arg.rfind("--", 0) == 0) {
      return false;
    } else {
      options->paths.push_back(arg);
    }
  }
  return !options->paths.empty() &&
         (options->mode == "sax" || options->mode == "dom" ||
          options->mode == "both");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseArgs(argc, argv, &options)) {
    std::fprintf(stderr,
                 "usage: bench_extract [--runs N] [--mode sax|dom|both] "
                 "PATH...\n");
    return 2;
  }
  std::vector<std::string> docs = LoadDocuments(options.paths);
  uint64_t input_bytes = 0;
  for (const std::string& doc : docs) input_bytes += doc.size();
  if (docs.empty()) {
    std::fprintf(stderr, "bench_extract: no HTML documents found\n");
    return 1;
  }
  std::printf("%zu HTML documents, %.1f MB\n", docs.size(), input_bytes / 1e6);
  if (options.mode != "dom")
    RunMode("sax", docs, input_bytes, options.runs, SaxToText);
  if (options.mode != "sax") {
#ifdef FIDX_BENCH_HAVE_DOM
    RunMode("dom", docs, input_bytes, options.runs, DomToText);
#else
    std::printf("dom   skipped: built without libxml2 headers\n");
#endif
  }
  return 0;
}

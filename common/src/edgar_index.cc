#include "fidx/edgar_index.h"

#include <cctype>

#include "fidx/archive_reader.h"
#include "fidx/assemble.h"
#include "fidx/file_io.h"
#include "fidx/parser.h"
#include "fidx/schema.h"
#include "header.h"

namespace fidx {

namespace {

constexpr size_t kNpos = std::string_view::npos;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (true) {
    size_t j = s.find(sep, i);
    out.push_back(s.substr(i, j == kNpos ? kNpos : j - i));
    if (j == kNpos) break;
    i = j + 1;
  }
  return out;
}

bool AddRow(std::string_view cik, std::string_view company, std::string_view form,
            std::string_view date, std::string_view file, std::vector<EdgarIndexEntry>* out) {
  EdgarIndexEntry e;
  e.accession = AccessionFromPath(Trim(file));
  if (e.accession.empty()) return false;
  e.cik = schema::ParseCik(Trim(cik));
  e.company = internal::CleanValue(Trim(company));
  e.form = schema::CanonicalForm(Trim(form));
  e.filed = NormalizeDate(Trim(date));
  out->push_back(std::move(e));
  return true;
}

// Fixed width: the last three blank-separated fields are CIK, date and file
// name (or URL); the rest is split at the column where the header line puts
// its second label ("Company Name" in form.idx, "Form Type" otherwise).
void ParseFixedWidth(std::string_view header, std::string_view rows,
                     std::vector<EdgarIndexEntry>* out) {
  bool form_first = header.find("Form Type") < header.find("Company Name");
  size_t split = form_first ? header.find("Company Name") : header.find("Form Type");
  for (std::string_view line : Split(rows, '\n')) {
    std::string_view s = Trim(line);
    std::string_view fields[3];
    for (int k = 2; k >= 0; --k) {
      size_t blank = s.find_last_of(" \t");
      if (blank == kNpos) return;
      fields[k] = s.substr(blank + 1);
      s = Trim(s.substr(0, blank));
    }
    std::string_view left = line.substr(0, std::min(line.size(), static_cast<size_t>(s.data() - line.data()) + s.size()));
    std::string_view first = left.substr(0, std::min(split, left.size()));
    std::string_view second = split < left.size() ? left.substr(split) : std::string_view();
    AddRow(fields[0], form_first ? second : first, form_first ? first : second, fields[1],
           fields[2], out);
  }
}

}  // namespace

bool IsEdgarIndexName(std::string_view name) {
  std::string lower;
  for (char c : name) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto strip = [&lower](std::string_view e) {
    bool ends = lower.size() > e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0;
    if (ends) lower.resize(lower.size() - e.size());
    return ends;
  };
  bool packed = strip(".gz") || strip(".zip");
  bool idx = strip(".idx");
  for (std::string_view kind : {"master", "form", "company", "crawler"}) {
    // "master.gz", "master.zip": the SEC's own packed copies of master.idx.
    if (lower == kind && (idx || packed)) return true;
    // "master.20181231.idx", "form.20200318-trimmed.idx.gz".
    if (idx && lower.size() > kind.size() && lower.compare(0, kind.size(), kind) == 0 &&
        lower[kind.size()] == '.') {
      return true;
    }
  }
  return false;
}

bool ReadEdgarIndexFile(const std::string& path, const ReadLimits& limits, std::string* out,
                        std::string* error) {
  std::string lower = path.substr(path.find_last_of('/') + 1);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.size() < 4 || lower.compare(lower.size() - 4, 4, ".zip") != 0) {
    bool gzipped = false;
    return ReadFileBytes(path, limits, out, &gzipped, error);
  }
  // The SEC's master.zip holds master.idx.
  ArchiveReader reader;
  if (!reader.Open(path)) {
    *error = reader.error();
    return false;
  }
  ArchiveReader::Member m;
  while (reader.Next(&m)) {
    std::string member = CleanMemberName(m.name);
    if (!m.regular || !IsEdgarIndexName(member.substr(member.find_last_of('/') + 1))) continue;
    bool too_large = false;
    if (reader.ReadData(limits.max_bytes, out, &too_large)) {
      if (!LooksGzipped(*out)) return true;
      std::string plain;
      if (!Gunzip(*out, limits.max_bytes, &plain, error)) return false;
      out->swap(plain);
      return true;
    }
    *error = too_large ? "file too large" : reader.error();
    return false;
  }
  *error = reader.error().empty() ? "holds no EDGAR index file" : reader.error();
  return false;
}

bool ParseEdgarIndex(std::string_view bytes, std::vector<EdgarIndexEntry>* out) {
  // The preamble, a header line, a line of dashes, the rows.
  size_t dashes = bytes.find("\n----");
  if (dashes == kNpos) return false;
  // The header names the columns; company.idx wraps it onto two lines
  // ("Company Name  Form Type  CIK" / "Date Filed  File Name").
  size_t label = bytes.rfind("Company Name", dashes);
  if (label == kNpos) return false;
  size_t header_begin = bytes.rfind('\n', label);
  header_begin = header_begin == kNpos ? 0 : header_begin + 1;
  size_t header_end = bytes.find('\n', label);
  std::string_view header = bytes.substr(header_begin, header_end - header_begin);
  size_t rows_begin = bytes.find('\n', dashes + 1);
  std::string_view rows = rows_begin == kNpos ? std::string_view() : bytes.substr(rows_begin + 1);
  if (header.find("CIK|") != kNpos) {  // master.idx
    for (std::string_view line : Split(rows, '\n')) {
      std::vector<std::string_view> f = Split(line, '|');
      if (f.size() == 5) AddRow(f[0], f[1], f[2], f[3], f[4], out);
    }
    return true;
  }
  if (header.find("Company Name") == kNpos || header.find("Form Type") == kNpos) return false;
  ParseFixedWidth(header, rows, out);
  return true;
}

void ApplyEdgarIndex(const std::vector<const EdgarIndexEntry*>& rows, const std::string& source,
                     Filing* f) {
  if (rows.empty()) return;
  const EdgarIndexEntry& first = *rows.front();
  if (!first.form.empty()) {
    f->form = first.form;
    f->sources["form"] = source;
  }
  if (!first.filed.empty()) {
    f->filed = first.filed;
    f->sources["filed"] = source;
  }
  for (const EdgarIndexEntry* row : rows) {
    Party* party = nullptr;
    for (Party& p : f->parties) {
      if (row->cik != 0 && p.cik == row->cik) party = &p;
    }
    if (!party && f->parties.size() == 1 && f->parties[0].cik == 0) party = &f->parties[0];
    if (!party) {
      f->parties.emplace_back();
      party = &f->parties.back();
      party->role = "FILER";
      f->sources["cik"] = source;
    }
    if (party->cik == 0 && row->cik != 0) {
      party->cik = row->cik;
      f->sources["cik"] = source;
    }
    if (party->name.empty() && !row->company.empty()) {
      party->name = row->company;
      f->sources["company"] = source;
    }
  }
}

}  // namespace fidx

// EDGAR's index files (full-index/ and daily-index/: master.idx, form.idx,
// company.idx, crawler.idx; edgar.md 3.7) as a source of metadata for files
// that carry no SEC header: each row maps an accession to a CIK, company,
// form and filing date.

#ifndef FIDX_EDGAR_INDEX_H_
#define FIDX_EDGAR_INDEX_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fidx/file_io.h"
#include "fidx/filing.h"

namespace fidx {

struct EdgarIndexEntry {
  uint64_t cik = 0;
  std::string company;
  std::string form;
  std::string filed;      // "YYYY-MM-DD"
  std::string accession;  // from the row's file name or URL
};

// True if a file of this name is one of EDGAR's index files: master, form,
// company or crawler, ".idx" with a date or not, gzipped or not
// ("master.idx", "form.20200318.idx", "company.idx.gz"), and the SEC's own
// packed copies of full-index ("master.gz", "master.zip"). Not "form4.xml.gz".
bool IsEdgarIndexName(std::string_view filename);

// Reads the index file at `path` into *out: plain, gzipped, or the index
// file a .zip holds. False with *error (without the path) if it cannot.
bool ReadEdgarIndexFile(const std::string& path, const ReadLimits& limits, std::string* out,
                        std::string* error);

// Appends the rows of an index file (already decompressed) to *out: pipe-
// delimited master.idx, fixed-width form/company/crawler.idx (columns found
// from the header line). Rows without an accession are skipped. Returns
// false if `bytes` is not an EDGAR index.
bool ParseEdgarIndex(std::string_view bytes, std::vector<EdgarIndexEntry>* out);

// Gives a header-less `filing` what the index rows of its accession say
// (an index outranks the document's own content, never an SEC header): form
// and filing date, and a party per CIK (its name if the party has none).
// `source` names the index file in Filing::sources ("edgar-index:master.idx").
void ApplyEdgarIndex(const std::vector<const EdgarIndexEntry*>& rows,
                     const std::string& source, Filing* filing);

}  // namespace fidx

#endif  // FIDX_EDGAR_INDEX_H_

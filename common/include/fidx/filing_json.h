// The JSON and human-readable renderings of a Filing, shared by
// `fidx inspect` and the header record `fidx show` prints from the index.

#ifndef FIDX_FILING_JSON_H_
#define FIDX_FILING_JSON_H_

#include <string>

#include "fidx/filing.h"
#include "fidx/json.h"

namespace fidx {

// Writes one JSON object: path, format, accession, form, filed, period,
// acceptance, items, public_document_count, parties (role, name, cik, sic,
// sic_title, state_of_incorporation, fiscal_year_end, file_numbers,
// business_address, former_names), sources (field -> where it came from,
// see Filing::sources), and, if `with_documents`, documents
// (sequence, type, filename, description, kind, text_bytes) and warnings.
void WriteFilingJson(const Filing& filing, const std::string& path,
                     bool with_documents, JsonWriter* w);

// The human-readable rendering `fidx inspect` and `fidx show` print: format,
// accession, form, dates, items and one block per party, indented by two
// spaces, each line ending in a newline.
std::string DescribeFilingHeader(const Filing& filing);

// One line for a document: sequence, type, filename, kind, sizes.
std::string DescribeDocument(const Document& document);

}  // namespace fidx

#endif  // FIDX_FILING_JSON_H_

// What a hit says about its filing beyond the stored document record: the
// parties by role and the 8-K items, read from the filing's stored header.

#ifndef FIDX_QUERY_HIT_PARTIES_H_
#define FIDX_QUERY_HIT_PARTIES_H_

#include <xapian.h>

#include <string>

#include "fidx/search.h"
#include "fidx/stored_doc.h"

namespace fidx {

// The header JSON stored with the first document of the filing whose key is
// `filing_key` (kSlotFilingKey), or "" when there is none.
std::string FirstDocumentHeader(const Xapian::Database& db, const std::string& filing_key);

// Fills h->filers, h->subjects and h->items from `header_json` (`fidx
// inspect --json`'s header); without one, the stored parties are filers.
void DescribeParties(const std::string& header_json, const StoredDoc& stored, Hit* h);

}  // namespace fidx

#endif  // FIDX_QUERY_HIT_PARTIES_H_

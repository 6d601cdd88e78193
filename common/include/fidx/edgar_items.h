// Form 8-K item numbers. Text headers name items by description ("ITEM
// INFORMATION: Regulation FD Disclosure"), .nc files by number
// ("<ITEMS>7.01"); fidx indexes both so that `item:7.01` finds either.

#ifndef FIDX_EDGAR_ITEMS_H_
#define FIDX_EDGAR_ITEMS_H_

#include <string>
#include <string_view>

namespace fidx {

// The item number ("7.01") for an 8-K item as written in a header: a number
// already, or a description (case and punctuation ignored, truncated ones
// accepted). Returns "" if it is not a known item.
std::string EightKItemNumber(std::string_view item);

// The title of 8-K item `number` ("7.01" -> "Regulation FD Disclosure"),
// or "" if it is not a known item.
std::string EightKItemTitle(std::string_view number);

}  // namespace fidx

#endif  // FIDX_EDGAR_ITEMS_H_

// The SEC's industry titles by SIC code (generated table).
#ifndef FIDX_QUERY_SIC_TITLES_H_
#define FIDX_QUERY_SIC_TITLES_H_
namespace fidx {
// "PHARMACEUTICAL PREPARATIONS" for 2834; "" for unknown codes.
const char* LookupSicTitle(int sic);
}  // namespace fidx
#endif

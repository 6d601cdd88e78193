// Accent folding: the Latin letters of U+00C0..U+024F written as plain
// ASCII ("Société" -> "Societe", "naïve" -> "naive", "ß" -> "ss"), the
// compatibility decomposition without its combining marks plus a few
// letters that have none (æ, ø, ł, þ ...). The indexer folds the text it
// tokenises and the query parser folds the query, so either spelling finds
// both. The table was generated with Python's unicodedata (NFKD).

#include "fidx/fold.h"

namespace fidx {

namespace {

constexpr unsigned kFirst = 0xC0, kLast = 0x24F;

const char* const kFolded[kLast - kFirst + 1] = {
    "A", "A", "A", "A", "A", "A", "AE", "C",  // U+00C0
    "E", "E", "E", "E", "I", "I", "I", "I",  // U+00C8
    "D", "N", "O", "O", "O", "O", "O", nullptr,  // U+00D0
    "O", "U", "U", "U", "U", "Y", "TH", "ss",  // U+00D8
    "a", "a", "a", "a", "a", "a", "ae", "c",  // U+00E0
    "e", "e", "e", "e", "i", "i", "i", "i",  // U+00E8
    "d", "n", "o", "o", "o", "o", "o", nullptr,  // U+00F0
    "o", "u", "u", "u", "u", "y", "th", "y",  // U+00F8
    "A", "a", "A", "a", "A", "a", "C", "c",  // U+0100
    "C", "c", "C", "c", "C", "c", "D", "d",  // U+0108
    "D", "d", "E", "e", "E", "e", "E", "e",  // U+0110
    "E", "e", "E", "e", "G", "g", "G", "g",  // U+0118
    "G", "g", "G", "g", "H", "h", "H", "h",  // U+0120
    "I", "i", "I", "i", "I", "i", "I", "i",  // U+0128
    "I", "i", "IJ", "ij", "J", "j", "K", "k",  // U+0130
    "q", "L", "l", "L", "l", "L", "l", nullptr,  // U+0138
    nullptr, "L", "l", "N", "n", "N", "n", "N",  // U+0140
    "n", nullptr, "N", "n", "O", "o", "O", "o",  // U+0148
    "O", "o", "OE", "oe", "R", "r", "R", "r",  // U+0150
    "R", "r", "S", "s", "S", "s", "S", "s",  // U+0158
    "S", "s", "T", "t", "T", "t", "T", "t",  // U+0160
    "U", "u", "U", "u", "U", "u", "U", "u",  // U+0168
    "U", "u", "U", "u", "W", "w", "Y", "y",  // U+0170
    "Y", "Z", "z", "Z", "z", "Z", "z", "s",  // U+0178
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+0180
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+0188
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+0190
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+0198
    "O", "o", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+01A0
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "U",  // U+01A8
    "u", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+01B0
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+01B8
    nullptr, nullptr, nullptr, nullptr, "DZ", "Dz", "dz", "LJ",  // U+01C0
    "Lj", "lj", "NJ", "Nj", "nj", "A", "a", "I",  // U+01C8
    "i", "O", "o", "U", "u", "U", "u", "U",  // U+01D0
    "u", "U", "u", "U", "u", nullptr, "A", "a",  // U+01D8
    "A", "a", nullptr, nullptr, nullptr, nullptr, "G", "g",  // U+01E0
    "K", "k", "O", "o", "O", "o", nullptr, nullptr,  // U+01E8
    "j", "DZ", "Dz", "dz", "G", "g", nullptr, nullptr,  // U+01F0
    "N", "n", "A", "a", nullptr, nullptr, nullptr, nullptr,  // U+01F8
    "A", "a", "A", "a", "E", "e", "E", "e",  // U+0200
    "I", "i", "I", "i", "O", "o", "O", "o",  // U+0208
    "R", "r", "R", "r", "U", "u", "U", "u",  // U+0210
    "S", "s", "T", "t", nullptr, nullptr, "H", "h",  // U+0218
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "A", "a",  // U+0220
    "E", "e", "O", "o", "O", "o", "O", "o",  // U+0228
    "O", "o", "Y", "y", nullptr, nullptr, nullptr, nullptr,  // U+0230
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+0238
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+0240
    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,  // U+0248
};

}  // namespace

bool FoldAccents(std::string_view in, std::string* out) {
  // The letters folded are 2-byte UTF-8 sequences led by 0xC3..0xC9.
  size_t i = 0;
  while (i < in.size() && !(static_cast<unsigned char>(in[i]) >= 0xC3 &&
                            static_cast<unsigned char>(in[i]) <= 0xC9)) {
    ++i;
  }
  if (i == in.size()) return false;
  bool changed = false;
  out->assign(in.data(), i);
  while (i < in.size()) {
    unsigned char b = static_cast<unsigned char>(in[i]);
    if (b >= 0xC3 && b <= 0xC9 && i + 1 < in.size() &&
        (static_cast<unsigned char>(in[i + 1]) & 0xC0) == 0x80) {
      unsigned cp = ((b & 0x1Fu) << 6) | (static_cast<unsigned char>(in[i + 1]) & 0x3Fu);
      if (cp >= kFirst && cp <= kLast && kFolded[cp - kFirst]) {
        out->append(kFolded[cp - kFirst]);
        changed = true;
        i += 2;
        continue;
      }
    }
    out->push_back(in[i++]);
  }
  return changed;
}

std::string FoldAccents(std::string_view in) {
  std::string out;
  if (!FoldAccents(in, &out)) return std::string(in);
  return out;
}

}  // namespace fidx

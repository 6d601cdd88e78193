// Byte-level text handling: UTF-8 validation, Windows-1252 decoding, and the
// cleanup of EDGAR plain-text bodies (<PAGE> markers, PEM armour, uuencode).

#include <cstdint>
#include <cstring>
#include <strings.h>
#include <string>
#include <string_view>
#include <vector>

#include "fidx/text_extract.h"
#include "fidx/strings.h"

namespace fidx {
namespace {

// Windows-1252 0x80-0x9F. The five bytes the code page leaves undefined
// (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the Latin-1 code point of the same
// value, as the WHATWG decoder browsers use does (glibc's iconv and Python's
// cp1252 codec reject them instead).
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

std::string_view LineAt(std::string_view text, size_t pos, size_t* next) {
  size_t eol = text.find('\n', pos);
  if (eol == std::string_view::npos) eol = text.size();
  *next = eol == text.size() ? eol : eol + 1;
  std::string_view line = text.substr(pos, eol - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// "begin 644 ex99.pdf": mode of three or four octal digits, then a name.
bool IsUuBeginLine(std::string_view line) {
  if (line.substr(0, 6) != "begin ") return false;
  size_t i = 6;
  while (i < line.size() && IsOctal(line[i])) ++i;
  size_t digits = i - 6;
  return (digits == 3 || digits == 4) && i + 1 < line.size() &&
         line[i] == ' ' && line[i + 1] != ' ';
}

bool IsUuEndLine(std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  return line == "end";
}

// A full uuencode data line: 'M' (45 bytes) then 60 characters from the
// uuencode alphabet (0x20-0x60), sometimes with one checksum character.
// Prose starting with "M" always has lower-case letters, which the alphabet
// lacks.
bool IsUuFullDataLine(std::string_view line) {
  if ((line.size() != 61 && line.size() != 62) || line[0] != 'M') return false;
  for (char c : line) {
    if (c < 0x20 || c > 0x60) return false;
  }
  return true;
}

// Any data line, including the short last line and the "`" terminator.
bool IsUuDataLine(std::string_view line) {
  if (line.empty() || line.size() > 62) return false;
  for (char c : line) {
    if (c < 0x20 || c > 0x60) return false;
  }
  return true;
}

// Data lines run this long without a "begin" are taken as a truncated or
// headerless uuencoded block (24 lines = about 1 KB of binary).
constexpr int kMinHeaderlessUuLines = 24;

// Finds the end (offset after the last removed line) of a uuencoded block
// whose begin line ends at `pos`: the "end" line, or the last data line when
// the file was cut before it.
size_t UuBlockEnd(std::string_view text, size_t pos) {
  size_t last_data_end = pos;
  while (pos < text.size()) {
    size_t next;
    std::string_view line = LineAt(text, pos, &next);
    if (IsUuEndLine(line)) return next;
    if (!IsUuDataLine(line)) break;
    last_data_end = next;
    pos = next;
  }
  return last_data_end;
}

// If a headerless run of full data lines starts at `pos`, returns the offset
// after the run (plus its short last line, "`" and "end"); else `pos`.
size_t HeaderlessUuRunEnd(std::string_view text, size_t pos) {
  int count = 0;
  size_t end = pos;
  size_t next;
  while (end < text.size() && IsUuFullDataLine(LineAt(text, end, &next))) {
    ++count;
    end = next;
  }
  if (count < kMinHeaderlessUuLines) return pos;
  return UuBlockEnd(text, end);
}

// PEM armour EDGAR wraps around public submissions (pre-2010 and .nc feed).
bool IsPemHeaderLine(std::string_view line) {
  static constexpr std::string_view kPrefixes[] = {
      "-----BEGIN PRIVACY-ENHANCED MESSAGE-----",
      "-----END PRIVACY-ENHANCED MESSAGE-----",
      "Proc-Type:",
      "Originator-Name:",
      "Originator-Key-Asymmetric:",
      "MIC-Info:",
  };
  for (std::string_view prefix : kPrefixes) {
    if (line.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// "<PAGE>", optionally followed by a page number, alone on its line.
bool IsPageMarkerLine(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsAsciiSpace(line[i])) ++i;
  if (line.size() - i < 6 || strncasecmp(line.data() + i, "<PAGE>", 6) != 0)
    return false;
  for (i += 6; i < line.size(); ++i) {
    if (!IsAsciiSpace(line[i]) && !(line[i] >= '0' && line[i] <= '9'))
      return false;
  }
  return true;
}

// Drops PEM armour (with the base64 continuation lines of its header fields)
// and <PAGE> marker lines, compacting *text in place.
void DropMarkupLines(std::string* text) {
  std::string& s = *text;
  bool in_pem_field = false;
  size_t out = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t next;
    std::string_view line = LineAt(s, pos, &next);
    bool continuation = in_pem_field && !line.empty() && line[0] == ' ';
    in_pem_field = continuation || IsPemHeaderLine(line);
    if (!in_pem_field && !IsPageMarkerLine(line)) {
      if (out != pos) std::memmove(&s[out], &s[pos], next - pos);
      out += next - pos;
    }
    pos = next;
  }
  s.resize(out);
}

// EDGAR's ASCII-document table tags. Replaced by as many spaces so that the
// columns of old plain-text tables stay aligned. <PAGE> is here for markers
// that share a line with text.
bool AsciiMarkupTagLength(std::string_view s, size_t* length) {
  static constexpr std::string_view kTags[] = {
      "<PAGE>", "<TABLE>", "</TABLE>", "<CAPTION>", "</CAPTION>",
      "<S>",    "<C>",     "<FN>",     "</FN>",
  };
  for (std::string_view tag : kTags) {
    if (s.size() >= tag.size() &&
        strncasecmp(s.data(), tag.data(), tag.size()) == 0) {
      *length = tag.size();
      return true;
    }
  }
  return false;
}

// Blanks ASCII markup tags; turns CR, CRLF and form feeds into newlines (old
// filings use bare CR and FF between pages, and words must not run
// together), drops NUL and the other C0 controls except tab and newline.
void CleanControlsAndTags(std::string* text) {
  std::string& s = *text;
  size_t out = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t tag_length;
    if (c >= 0x20 && c != '<') {
      s[out++] = static_cast<char>(c);
    } else if (c == '<') {
      if (AsciiMarkupTagLength(std::string_view(s).substr(i), &tag_length)) {
        for (size_t k = 0; k < tag_length; ++k) s[out++] = ' ';
        i += tag_length - 1;
      } else {
        s[out++] = '<';
      }
    } else if (c == '\n' || c == '\t') {
      s[out++] = static_cast<char>(c);
    } else if (c == '\r') {
      if (i + 1 < s.size() && s[i + 1] == '\n') continue;
      s[out++] = '\n';
    } else if (c == '\f' || c == '\v') {
      s[out++] = '\n';
    }
  }
  s.resize(out);
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII fast path: eight bytes at a time while none has the high bit.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    size_t len = Utf8SequenceLength(p + i, n - i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string ToUtf8(std::string_view bytes, bool* was_valid) {
  bool valid = IsValidUtf8(bytes);
  if (was_valid != nullptr) *was_valid = valid;
  if (valid) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  AppendWindows1252AsUtf8(bytes, &out);
  return out;
}

void AppendWindows1252AsUtf8(std::string_view bytes, std::string* out) {
  size_t run = 0;  // start of the pending run of ASCII bytes
  for (size_t i = 0; i < bytes.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) continue;
    out->append(bytes.data() + run, i - run);
    run = i + 1;
    AppendUtf8(c < 0xA0 ? kCp1252High[c - 0x80] : c, out);
  }
  out->append(bytes.data() + run, bytes.size() - run);
}

size_t StripUuencoded(std::string* text) {
  std::string_view in(*text);
  std::string out;
  size_t removed = 0;
  size_t kept_from = 0;  // start of the text not yet copied to `out`
  size_t pos = 0;
  while (pos < in.size()) {
    size_t next;
    std::string_view line = LineAt(in, pos, &next);
    size_t block_end = pos;
    if (IsUuBeginLine(line)) {
      block_end = UuBlockEnd(in, next);
    } else if (line.size() >= 61 && line[0] == 'M') {
      block_end = HeaderlessUuRunEnd(in, pos);
    }
    if (block_end == pos) {
      pos = next;
      continue;
    }
    if (removed == 0) out.reserve(in.size());
    out.append(in.data() + kept_from, pos - kept_from);
    kept_from = pos = block_end;
    ++removed;
  }
  if (removed == 0) return 0;
  out.append(in.data() + kept_from, in.size() - kept_from);
  text->swap(out);
  return removed;
}

std::string PlainText(std::string_view text,
                      std::vector<std::string>* /*warnings*/) {
  std::string stripped(text);
  StripUuencoded(&stripped);
  DropMarkupLines(&stripped);
  if (IsValidUtf8(stripped)) {
    CleanControlsAndTags(&stripped);
    return stripped;
  }
  std::string out;
  out.reserve(stripped.size() + stripped.size() / 8);
  AppendWindows1252AsUtf8(stripped, &out);
  stripped = std::string();  // free it before the last pass
  CleanControlsAndTags(&out);
  return out;
}

}  // namespace fidx

// The document record (stored_doc.h): what goes in comes out, records of
// the previous layout still read, damaged ones are refused, and a record
// cannot be shrunk by deflate, so Xapian stores it as it is and never
// inflates it on reading.

#include "fidx/stored_doc.h"

#include <zlib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fidx/parser.h"
#include "test_paths.h"

namespace {

using fidx::StoredDoc;
using fidx::StoredText;
using fidx::TextChunk;

std::string ReadCorpusFile(const std::string& relative) {
  std::ifstream in(std::string(fidx_test::kSourceDir) + "/" + relative, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The documents of a real filing in the bundled corpus (an 8-K and its
// press release, 2017), as the indexer stores them.
fidx::Filing CorpusFiling() {
  fidx::Filing f = fidx::ParseFiling(ReadCorpusFile("corpus/2017/0001144204-17-013452.txt"), {});
  REQUIRE(f.documents.size() >= 2);
  return f;
}

StoredDoc FieldsOf(const fidx::Filing& f, size_t i) {
  StoredDoc d;
  d.path = "/mirror/edgar/data/1279704/0001144204-17-013452.txt";
  d.accession = f.accession;
  d.form = f.form;
  d.filed = f.filed;
  d.period = f.period;
  d.company = "CELLECT BIO, INC.";
  d.cik = 1279704;
  d.ciks = {1279704, 320193};
  d.names = {"CELLECT BIO, INC.", "Apple \"Inc.\" <script>"};
  d.sic = 2834;
  d.format = "full-submission";
  d.sequence = static_cast<int>(i + 1);
  d.type = f.documents[i].type;
  d.filename = f.documents[i].filename;
  d.description = f.documents[i].description;
  d.kind = "html";
  if (i == 0) {
    d.header_json = R"({"accession":"0001144204-17-013452","filers":[{"cik":"1279704"}]})";
    d.header_text = "ACCESSION NUMBER: 0001144204-17-013452\nCONFORMED SUBMISSION TYPE: 10-K\n";
  }
  return d;
}

// Cut as the indexer does: about 4 KB a chunk, positions running on.
std::vector<TextChunk> Chunks(const std::string& text) {
  std::vector<TextChunk> out;
  uint32_t termpos = 0;
  for (size_t pos = 0; pos < text.size(); pos += 4096) {
    out.push_back({termpos, std::string_view(text).substr(pos, 4096)});
    termpos += 600;
  }
  return out;
}

void RequireSameFields(const StoredDoc& a, const StoredDoc& b) {
  CHECK(a.path == b.path);
  CHECK(a.accession == b.accession);
  CHECK(a.form == b.form);
  CHECK(a.filed == b.filed);
  CHECK(a.period == b.period);
  CHECK(a.company == b.company);
  CHECK(a.cik == b.cik);
  CHECK(a.ciks == b.ciks);
  CHECK(a.names == b.names);
  CHECK(a.sic == b.sic);
  CHECK(a.format == b.format);
  CHECK(a.sequence == b.sequence);
  CHECK(a.type == b.type);
  CHECK(a.filename == b.filename);
  CHECK(a.description == b.description);
  CHECK(a.kind == b.kind);
  CHECK(a.header_json == b.header_json);
  CHECK(a.header_text == b.header_text);
}

// What glass does with document data (CompressionStream::compress): deflate
// it at zlib's default level into a buffer one byte shorter, and keep the
// record as it is when that fails.
bool GlassWouldCompress(const std::string& blob) {
  z_stream z{};
  REQUIRE(deflateInit(&z, Z_DEFAULT_COMPRESSION) == Z_OK);
  std::string out(blob.size() > 0 ? blob.size() - 1 : 0, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(blob.data()));
  z.avail_in = static_cast<uInt>(blob.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  deflateEnd(&z);
  return rc == Z_STREAM_END;
}

}  // namespace

TEST_CASE("a record gives back its fields and its text, chunk by chunk", "[stored]") {
  const fidx::Filing f = CorpusFiling();
  for (size_t i = 0; i < f.documents.size(); ++i) {
    const std::string& text = f.documents[i].text;
    const StoredDoc in = FieldsOf(f, i);
    const std::vector<TextChunk> chunks = Chunks(text);
    const std::string blob = fidx::EncodeStoredDoc(in, chunks);

    StoredDoc out;
    std::string whole;
    REQUIRE(fidx::DecodeStoredDoc(blob, &out, &whole));
    RequireSameFields(in, out);
    CHECK(out.text_bytes == text.size());
    CHECK(whole == text);

    StoredText st;
    StoredDoc again;
    REQUIRE(st.Parse(blob, &again));
    RequireSameFields(in, again);
    REQUIRE(st.chunk_count() == chunks.size());
    for (size_t c = 0; c < chunks.size(); ++c) {
      std::string got;
      REQUIRE(st.Chunk(c, &got));
      CHECK(got == chunks[c].text);
      CHECK(st.FirstTermpos(c) == chunks[c].first_termpos);
      CHECK(st.ChunkForTermpos(chunks[c].first_termpos + 1) == c);
    }
    std::string none;
    CHECK_FALSE(st.Chunk(chunks.size(), &none));
  }
}

TEST_CASE("deflate cannot shrink a record, so Xapian stores it as it is", "[stored]") {
  // Glass deflates document data again and keeps the result when it is a
  // byte shorter; then every read inflates the whole record (8% of fidx
  // serve's CPU at 100,000 filings). With the fields deflated as well as
  // the text, it never is.
  const fidx::Filing f = CorpusFiling();
  size_t checked = 0;
  for (size_t i = 0; i < f.documents.size(); ++i) {
    const std::string blob = fidx::EncodeStoredDoc(FieldsOf(f, i), Chunks(f.documents[i].text));
    INFO("document " << i + 1 << " (" << f.documents[i].type << "), record of "
                     << blob.size() << " bytes");
    CHECK_FALSE(GlassWouldCompress(blob));
    ++checked;
  }
  CHECK(checked == f.documents.size());
  // Without text (a graphic, an XBRL viewer page) too, header included.
  CHECK_FALSE(GlassWouldCompress(fidx::EncodeStoredDoc(FieldsOf(f, 0), {})));
}

TEST_CASE("records of the previous layout (fields not deflated) still read", "[stored]") {
  // Layout 2, as fidx wrote it until schema 4's indexes: version byte 2,
  // the fields as length-prefixed strings and varints, then the chunks.
  auto varint = [](uint64_t v, std::string* out) {
    while (v >= 0x80) {
      out->push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out->push_back(static_cast<char>(v));
  };
  auto str = [&](const std::string& s, std::string* out) {
    varint(s.size(), out);
    *out += s;
  };
  std::string blob(1, '\x02');
  for (const char* s : {"/m/a.txt", "0000950103-20-000001", "8-K", "2020-01-02", "", "ACME"}) {
    str(s, &blob);
  }
  varint(1234, &blob);  // cik
  varint(1, &blob);     // one party
  varint(1234, &blob);
  str("ACME", &blob);
  varint(3674, &blob);  // sic
  str("full-submission", &blob);
  varint(2, &blob);  // sequence
  for (const char* s : {"EX-99.1", "ex99.htm", "PRESS RELEASE", "html", "", ""}) str(s, &blob);
  const std::string text = "ACME reports record revenue for the quarter.";
  uLongf packed_size = compressBound(text.size());
  std::string packed(packed_size, '\0');
  REQUIRE(compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                    reinterpret_cast<const Bytef*>(text.data()), text.size(), 1) == Z_OK);
  packed.resize(packed_size);
  varint(text.size(), &blob);  // total text
  varint(1, &blob);            // one chunk
  varint(0, &blob);            // its first term position
  varint(text.size(), &blob);
  varint(packed.size(), &blob);
  blob += packed;

  StoredDoc d;
  std::string got;
  REQUIRE(fidx::DecodeStoredDoc(blob, &d, &got));
  CHECK(d.accession == "0000950103-20-000001");
  CHECK(d.form == "8-K");
  CHECK(d.cik == 1234);
  CHECK(d.names == std::vector<std::string>{"ACME"});
  CHECK(d.sic == 3674);
  CHECK(d.sequence == 2);
  CHECK(d.type == "EX-99.1");
  CHECK(d.description == "PRESS RELEASE");
  CHECK(got == text);
}

TEST_CASE("a damaged record is refused, never trusted", "[stored]") {
  const fidx::Filing f = CorpusFiling();
  const std::string blob = fidx::EncodeStoredDoc(FieldsOf(f, 0), Chunks(f.documents[0].text));
  StoredDoc d;
  std::string text;
  // Every truncation (a short read, a record cut by a crash before
  // Xapian's commit would ever expose it, or a foreign program's data).
  for (size_t len = 0; len < blob.size(); len += 1 + len / 8) {
    INFO("truncated to " << len << " of " << blob.size() << " bytes");
    CHECK_FALSE(fidx::DecodeStoredDoc(std::string_view(blob).substr(0, len), &d, &text));
  }
  // An unknown version.
  std::string other = blob;
  other[0] = '\x07';
  CHECK_FALSE(fidx::DecodeStoredDoc(other, &d, &text));
  // A size no deflated data can hold is not allocated: version 3, fields
  // of 2^40 bytes in 5 packed ones.
  std::string huge(1, '\x03');
  uint64_t v = uint64_t{1} << 40;
  for (; v >= 0x80; v >>= 7) huge.push_back(static_cast<char>((v & 0x7f) | 0x80));
  huge.push_back(static_cast<char>(v));
  huge += "\x05" "abcde";
  CHECK_FALSE(fidx::DecodeStoredDoc(huge, &d, &text));
  // Flipped bytes inside the deflated fields.
  std::string flipped = blob;
  for (size_t i = 4; i < 40 && i < flipped.size(); ++i) flipped[i] = static_cast<char>(~flipped[i]);
  CHECK_FALSE(fidx::DecodeStoredDoc(flipped, &d, &text));
}

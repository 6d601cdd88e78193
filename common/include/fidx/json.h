// A small streaming JSON writer for fidx's --json output.

#ifndef FIDX_JSON_H_
#define FIDX_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fidx {

// Appends `s` to *out as a JSON string literal (with quotes). Invalid UTF-8
// bytes are replaced by U+FFFD so the output is always valid JSON.
void AppendJsonString(std::string_view s, std::string* out);

// Writes JSON into a string, inserting commas itself.
//   JsonWriter w(&out);
//   w.BeginObject(); w.Key("total"); w.Uint(3); w.EndObject();
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  // Writes null for an empty string.
  void StringOrNull(std::string_view value);
  void Int(int64_t value);
  void Uint(uint64_t value);
  void Double(double value);
  void Bool(bool value);
  void Null();
  // Writes pre-rendered JSON as one value.
  void Raw(std::string_view json);

 private:
  void BeforeValue();

  std::string* out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
};

}  // namespace fidx

#endif  // FIDX_JSON_H_

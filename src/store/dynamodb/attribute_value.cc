#include "core/json_text.h"
#include "store/dynamodb/attribute_value.h"

#include <openssl/evp.h>

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace truthbyte::dynamodb {
namespace {

using nlohmann::json;

// A quoted excerpt of an offending value for error messages. Invalid UTF-8
// is replaced rather than thrown on (dump's default would throw).
std::string Excerpt(const json& value) {
  constexpr std::size_t kLimit = 60;
  std::string text = JsonText(value);
  if (text.size() > kLimit) text = text.substr(0, kLimit) + "...";
  return text;
}

std::string NumberText(const json& number) {
  if (number.is_number_unsigned()) return std::to_string(number.get<std::uint64_t>());
  if (number.is_number_integer()) return std::to_string(number.get<std::int64_t>());
  // nlohmann prints the shortest text that reads back as the same double,
  // always with a '.' or an exponent ("3.0", "1e+300"), so it decodes as a
  // double again.
  return number.dump();
}

std::string Base64(const json::binary_t& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// [+-] (digits [. digits] | . digits) [(e|E) [+-] digits]
bool IsDecimalNumber(std::string_view text) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    return i - start;
  };
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  std::size_t mantissa_digits = digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    mantissa_digits += digits();
  }
  if (mantissa_digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

// Walks an AttributeValue tree. On failure it records what was wrong and,
// as the recursion unwinds, where (so a successful decode builds no paths).
class Decoder {
 public:
  bool Decode(const json& value, json* out);
  bool DecodeMap(const json& map, json* out);

  Status Error() const {
    std::string where;
    for (auto it = trail_.rbegin(); it != trail_.rend(); ++it) {
      if (!where.empty() && (*it)[0] != '[') where += '.';
      where += *it;
    }
    return Status::Corruption("malformed AttributeValue" + (where.empty() ? "" : " at " + where) + ": " + what_);
  }

 private:
  bool Fail(std::string what) {
    what_ = std::move(what);
    return false;
  }
  bool ParseNumber(const std::string& text, json* out);
  bool StringArray(const std::string& type, const json& array, bool numbers, json* out);

  std::string what_;
  std::vector<std::string> trail_;  // innermost segment first
};

bool Decoder::ParseNumber(const std::string& text, json* out) {
  if (!IsDecimalNumber(text)) return Fail("\"N\" value " + Excerpt(text) + " is not a number");
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  const char* end = text.data() + text.size();
  if (text.find_first_of(".eE") == std::string::npos) {
    std::int64_t signed_value = 0;
    auto [ptr, ec] = std::from_chars(begin, end, signed_value);
    if (ec == std::errc() && ptr == end) {
      *out = signed_value;
      return true;
    }
    if (text[0] != '-') {
      std::uint64_t unsigned_value = 0;
      auto [uptr, uec] = std::from_chars(begin, end, unsigned_value);
      if (uec == std::errc() && uptr == end) {
        *out = unsigned_value;
        return true;
      }
    }
    // Wider than 64 bits: falls through to a double, as documented.
  }
  double value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return Fail("\"N\" value " + Excerpt(text) + " is out of range for a double");
  }
  *out = value;
  return true;
}

bool Decoder::StringArray(const std::string& type, const json& array, bool numbers, json* out) {
  if (!array.is_array()) return Fail("\"" + type + "\" value must be an array, got " + Excerpt(array));
  *out = json::array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    const json& element = array[i];
    json decoded;
    bool ok = element.is_string();
    if (!ok) {
      Fail("\"" + type + "\" elements must be strings, got " + Excerpt(element));
    } else if (numbers) {
      ok = ParseNumber(element.get_ref<const std::string&>(), &decoded);
    } else {
      decoded = element;
    }
    if (!ok) {
      trail_.push_back("[" + std::to_string(i) + "]");
      return false;
    }
    out->push_back(std::move(decoded));
  }
  return true;
}

bool Decoder::DecodeMap(const json& map, json* out) {
  *out = json::object();
  for (const auto& [name, value] : map.items()) {
    json decoded;
    if (!Decode(value, &decoded)) {
      trail_.push_back(name);
      return false;
    }
    (*out)[name] = std::move(decoded);
  }
  return true;
}

bool Decoder::Decode(const json& value, json* out) {
  if (!value.is_object() || value.size() != 1) {
    return Fail("expected an object with exactly one type key, got " + Excerpt(value));
  }
  const auto entry = value.begin();
  const std::string& type = entry.key();
  const json& inner = entry.value();
  const auto wrong = [&](const char* expected) {
    return Fail("\"" + type + "\" value must be " + expected + ", got " + Excerpt(inner));
  };
  if (type == "S" || type == "B") {
    if (!inner.is_string()) return wrong("a string");
    *out = inner;
    return true;
  }
  if (type == "N") {
    if (!inner.is_string()) return wrong("a string");
    return ParseNumber(inner.get_ref<const std::string&>(), out);
  }
  if (type == "BOOL") {
    if (!inner.is_boolean()) return wrong("a boolean");
    *out = inner;
    return true;
  }
  if (type == "NULL") {
    if (!inner.is_boolean() || !inner.get<bool>()) return wrong("true");
    *out = nullptr;
    return true;
  }
  if (type == "L") {
    if (!inner.is_array()) return wrong("an array");
    *out = json::array();
    for (std::size_t i = 0; i < inner.size(); ++i) {
      json decoded;
      if (!Decode(inner[i], &decoded)) {
        trail_.push_back("[" + std::to_string(i) + "]");
        return false;
      }
      out->push_back(std::move(decoded));
    }
    return true;
  }
  if (type == "M") {
    if (!inner.is_object()) return wrong("an object");
    return DecodeMap(inner, out);
  }
  if (type == "SS" || type == "BS") return StringArray(type, inner, false, out);
  if (type == "NS") return StringArray(type, inner, true, out);
  return Fail("unknown type \"" + type + "\"");
}

}  // namespace

json ToAttributeValue(const json& plain) {
  switch (plain.type()) {
    case json::value_t::string:
      return {{"S", plain}};
    case json::value_t::boolean:
      return {{"BOOL", plain}};
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return {{"N", NumberText(plain)}};
    case json::value_t::number_float:
      // DynamoDB has no NaN or infinity; they become NULL, as they do when
      // nlohmann writes them as JSON text.
      if (!std::isfinite(plain.get<double>())) return {{"NULL", true}};
      return {{"N", NumberText(plain)}};
    case json::value_t::array: {
      json list = json::array();
      for (const json& element : plain) list.push_back(ToAttributeValue(element));
      return {{"L", std::move(list)}};
    }
    case json::value_t::object:
      return {{"M", ToItem(plain)}};
    case json::value_t::binary:
      return {{"B", Base64(plain.get_binary())}};
    case json::value_t::null:
    case json::value_t::discarded:
      break;
  }
  return {{"NULL", true}};
}

Result<json> FromAttributeValue(const json& attribute_value) {
  Decoder decoder;
  json out;
  if (!decoder.Decode(attribute_value, &out)) return decoder.Error();
  return out;
}

json ToItem(const json& plain_object) {
  assert(plain_object.is_object());  // REQUIRES
  json item = json::object();
  if (!plain_object.is_object()) return item;
  for (const auto& [name, value] : plain_object.items()) item[name] = ToAttributeValue(value);
  return item;
}

Result<json> FromItem(const json& item) {
  if (!item.is_object()) return Status::Corruption("malformed item: expected an object, got " + Excerpt(item));
  Decoder decoder;
  json out;
  if (!decoder.DecodeMap(item, &out)) return decoder.Error();
  return out;
}

}  // namespace truthbyte::dynamodb

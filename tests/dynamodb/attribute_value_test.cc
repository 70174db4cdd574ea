// The AttributeValue wire format: encoding plain JSON, decoding every type,
// round trips, and each way a value is refused.

#include "store/dynamodb/attribute_value.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace truthbyte::dynamodb {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

json Decoded(const json& attribute_value) {
  Result<json> r = FromAttributeValue(attribute_value);
  EXPECT_TRUE(r.ok()) << r.status().ToString() << " for " << attribute_value.dump();
  return r.ok() ? *r : json("<error>");
}

// Expects `attribute_value` to be refused and returns the message.
std::string Refusal(const json& attribute_value) {
  Result<json> r = FromAttributeValue(attribute_value);
  EXPECT_FALSE(r.ok()) << attribute_value.dump() << " decoded as " << (r.ok() ? r->dump() : "");
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  return r.status().message();
}

TEST(AttributeValueTest, EncodesScalars) {
  EXPECT_EQ(ToAttributeValue("hello"), json::parse(R"({"S": "hello"})"));
  EXPECT_EQ(ToAttributeValue(""), json::parse(R"({"S": ""})"));
  EXPECT_EQ(ToAttributeValue(true), json::parse(R"({"BOOL": true})"));
  EXPECT_EQ(ToAttributeValue(false), json::parse(R"({"BOOL": false})"));
  EXPECT_EQ(ToAttributeValue(nullptr), json::parse(R"({"NULL": true})"));
  EXPECT_EQ(ToAttributeValue(42), json::parse(R"({"N": "42"})"));
  EXPECT_EQ(ToAttributeValue(-7), json::parse(R"({"N": "-7"})"));
  EXPECT_EQ(ToAttributeValue(0), json::parse(R"({"N": "0"})"));
}

TEST(AttributeValueTest, EncodesIntegersExactly) {
  EXPECT_EQ(ToAttributeValue(std::numeric_limits<std::int64_t>::max()), json({{"N", "9223372036854775807"}}));
  EXPECT_EQ(ToAttributeValue(std::numeric_limits<std::int64_t>::min()), json({{"N", "-9223372036854775808"}}));
  EXPECT_EQ(ToAttributeValue(std::numeric_limits<std::uint64_t>::max()), json({{"N", "18446744073709551615"}}));
  // Parsed JSON holds non-negative integers as unsigned.
  EXPECT_EQ(ToAttributeValue(json::parse("1705322096000")), json({{"N", "1705322096000"}}));
}

TEST(AttributeValueTest, EncodesDoublesInARoundTrippingForm) {
  EXPECT_EQ(ToAttributeValue(1.5), json({{"N", "1.5"}}));
  EXPECT_EQ(ToAttributeValue(0.1), json({{"N", "0.1"}}));
  EXPECT_EQ(ToAttributeValue(70.0), json({{"N", "70.0"}}));  // stays a double when read back
  EXPECT_EQ(ToAttributeValue(-2.5e-8), json({{"N", "-2.5e-08"}}));
  EXPECT_EQ(ToAttributeValue(1e300), json({{"N", "1e+300"}}));
  for (const double d : {0.1, 1.0 / 3.0, 1705322096.5, -123.456, 6.02214076e23, 5e-324, 1.7976931348623157e308}) {
    const json decoded = Decoded(ToAttributeValue(d));
    ASSERT_TRUE(decoded.is_number_float()) << d;
    EXPECT_EQ(decoded.get<double>(), d);
  }
}

TEST(AttributeValueTest, NonFiniteDoublesBecomeNull) {
  EXPECT_EQ(ToAttributeValue(std::numeric_limits<double>::quiet_NaN()), json({{"NULL", true}}));
  EXPECT_EQ(ToAttributeValue(std::numeric_limits<double>::infinity()), json({{"NULL", true}}));
}

TEST(AttributeValueTest, EncodesBinaryAsBase64) {
  EXPECT_EQ(ToAttributeValue(json::binary({0x00, 0xff, 0x10, 0x20})), json({{"B", "AP8QIA=="}}));
  EXPECT_EQ(ToAttributeValue(json::binary({})), json({{"B", ""}}));
}

TEST(AttributeValueTest, EncodesNestedListsAndMaps) {
  const json plain = json::parse(R"({"tags": ["a", 1, [true, null]], "stats": {"n": 2, "inner": {}}, "empty": []})");
  EXPECT_EQ(ToAttributeValue(plain), json::parse(R"({"M": {
      "tags": {"L": [{"S": "a"}, {"N": "1"}, {"L": [{"BOOL": true}, {"NULL": true}]}]},
      "stats": {"M": {"n": {"N": "2"}, "inner": {"M": {}}}},
      "empty": {"L": []}}})"));
}

TEST(AttributeValueTest, DecodesEveryType) {
  EXPECT_EQ(Decoded(json::parse(R"({"S": "x"})")), "x");
  EXPECT_EQ(Decoded(json::parse(R"({"S": ""})")), "");
  EXPECT_EQ(Decoded(json::parse(R"({"BOOL": false})")), false);
  EXPECT_EQ(Decoded(json::parse(R"({"NULL": true})")), nullptr);
  EXPECT_EQ(Decoded(json::parse(R"({"B": "AP8QIA=="})")), "AP8QIA==");
  EXPECT_EQ(Decoded(json::parse(R"({"L": []})")), json::array());
  EXPECT_EQ(Decoded(json::parse(R"({"M": {}})")), json::object());
  EXPECT_EQ(Decoded(json::parse(R"({"SS": ["a", "b", ""]})")), json::parse(R"(["a", "b", ""])"));
  EXPECT_EQ(Decoded(json::parse(R"({"BS": ["AA==", "AP8="]})")), json::parse(R"(["AA==", "AP8="])"));
  const json numbers = Decoded(json::parse(R"({"NS": ["1", "-2", "2.5", "1e3"]})"));
  ASSERT_EQ(numbers.size(), 4u);
  EXPECT_TRUE(numbers[0].is_number_integer());
  EXPECT_EQ(numbers[0], 1);
  EXPECT_EQ(numbers[1], -2);
  EXPECT_TRUE(numbers[2].is_number_float());
  EXPECT_EQ(numbers[2], 2.5);
  EXPECT_TRUE(numbers[3].is_number_float());
  EXPECT_EQ(numbers[3], 1000.0);
}

TEST(AttributeValueTest, DecodesNumbersAsIntegersOnlyWithoutFractionOrExponent) {
  const auto n = [](const std::string& text) { return Decoded(json({{"N", text}})); };
  EXPECT_TRUE(n("12").is_number_integer());
  EXPECT_EQ(n("12"), 12);
  EXPECT_EQ(n("-0"), 0);
  EXPECT_EQ(n("+5"), 5);
  EXPECT_EQ(n("007"), 7);
  EXPECT_EQ(n("9223372036854775807").get<std::int64_t>(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(n("-9223372036854775808").get<std::int64_t>(), std::numeric_limits<std::int64_t>::min());
  // Above int64 but within uint64: unsigned, still exact.
  const json big = n("18446744073709551615");
  EXPECT_TRUE(big.is_number_unsigned());
  EXPECT_EQ(big.get<std::uint64_t>(), std::numeric_limits<std::uint64_t>::max());
  // Beyond 64 bits: a double.
  EXPECT_TRUE(n("18446744073709551616").is_number_float());
  EXPECT_EQ(n("18446744073709551616").get<double>(), 18446744073709551616.0);
  EXPECT_TRUE(n("-9223372036854775809").is_number_float());
  EXPECT_TRUE(n("99999999999999999999999999999999999999").is_number_float());
  // Any '.', 'e' or 'E' makes a double, even for whole values.
  EXPECT_TRUE(n("3.0").is_number_float());
  EXPECT_TRUE(n("3e0").is_number_float());
  EXPECT_TRUE(n("3E2").is_number_float());
  EXPECT_EQ(n("3E2"), 300.0);
  EXPECT_EQ(n("-1.25E-2"), -0.0125);
  EXPECT_EQ(n(".5"), 0.5);
  EXPECT_EQ(n("5."), 5.0);
  EXPECT_TRUE(std::signbit(n("-0.0").get<double>()));
}

TEST(AttributeValueTest, RoundTripsEveryPlainType) {
  const json plain = json::parse(R"({
      "id": "q0376", "empty": "", "unicode": "caf\u00e9 \u2713 \ud83d\ude00",
      "count": 7, "negative": -42, "zero": 0,
      "big": 9223372036854775807, "small": -9223372036854775808, "huge": 18446744073709551615,
      "ratio": 0.75, "whole_double": 70.0, "tiny": 1e-300, "negative_double": -3.5,
      "yes": true, "no": false, "nothing": null,
      "list": [1, "two", [3.5, null], {"k": [false]}], "empty_list": [], "empty_map": {},
      "nested": {"a": {"b": {"c": [{"d": "deep"}]}}}})");
  const json item = ToItem(plain);
  Result<json> back = FromItem(item);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, plain);
  EXPECT_TRUE((*back)["whole_double"].is_number_float());
  EXPECT_TRUE((*back)["count"].is_number_integer() || (*back)["count"].is_number_unsigned());
  // And through wire text, as the client sends and receives it.
  Result<json> via_text = FromItem(json::parse(item.dump()));
  ASSERT_TRUE(via_text.ok()) << via_text.status().ToString();
  EXPECT_EQ(*via_text, plain);
}

TEST(AttributeValueTest, ItemEncodesEachAttribute) {
  EXPECT_EQ(ToItem(json::parse(R"({"pk": "user#1", "score": 70, "done": true})")),
            json::parse(R"({"pk": {"S": "user#1"}, "score": {"N": "70"}, "done": {"BOOL": true}})"));
  EXPECT_EQ(ToItem(json::object()), json::object());
  Result<json> empty = FromItem(json::object());
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, json::object());
}

TEST(AttributeValueTest, RefusesValuesThatAreNotOneTypedObject) {
  EXPECT_THAT(Refusal("x"), HasSubstr("exactly one type key"));
  EXPECT_THAT(Refusal(5), HasSubstr("exactly one type key"));
  EXPECT_THAT(Refusal(nullptr), HasSubstr("exactly one type key"));
  EXPECT_THAT(Refusal(json::array()), HasSubstr("exactly one type key"));
  EXPECT_THAT(Refusal(json::object()), HasSubstr("exactly one type key, got {}"));
  EXPECT_THAT(Refusal(json::parse(R"({"S": "a", "N": "1"})")), HasSubstr("exactly one type key"));
  EXPECT_THAT(Refusal(json::parse(R"({"X": "a"})")), HasSubstr("unknown type \"X\""));
  EXPECT_THAT(Refusal(json::parse(R"({"s": "a"})")), HasSubstr("unknown type \"s\""));
}

TEST(AttributeValueTest, RefusesWrongInnerTypes) {
  EXPECT_THAT(Refusal(json::parse(R"({"S": 5})")), HasSubstr("\"S\" value must be a string, got 5"));
  EXPECT_THAT(Refusal(json::parse(R"({"N": 5})")), HasSubstr("\"N\" value must be a string"));
  EXPECT_THAT(Refusal(json::parse(R"({"B": null})")), HasSubstr("\"B\" value must be a string"));
  EXPECT_THAT(Refusal(json::parse(R"({"BOOL": "true"})")), HasSubstr("\"BOOL\" value must be a boolean"));
  EXPECT_THAT(Refusal(json::parse(R"({"NULL": false})")), HasSubstr("\"NULL\" value must be true"));
  EXPECT_THAT(Refusal(json::parse(R"({"NULL": 1})")), HasSubstr("\"NULL\" value must be true"));
  EXPECT_THAT(Refusal(json::parse(R"({"L": {}})")), HasSubstr("\"L\" value must be an array"));
  EXPECT_THAT(Refusal(json::parse(R"({"M": []})")), HasSubstr("\"M\" value must be an object"));
  EXPECT_THAT(Refusal(json::parse(R"({"SS": "a"})")), HasSubstr("\"SS\" value must be an array"));
  EXPECT_THAT(Refusal(json::parse(R"({"SS": ["a", 1]})")), HasSubstr("at [1]: \"SS\" elements must be strings"));
  EXPECT_THAT(Refusal(json::parse(R"({"NS": [1]})")), HasSubstr("\"NS\" elements must be strings"));
  EXPECT_THAT(Refusal(json::parse(R"({"BS": [{}]})")), HasSubstr("\"BS\" elements must be strings"));
}

TEST(AttributeValueTest, RefusesUnparsableNumbers) {
  for (const char* text : {"", "abc", "1a", " 1", "1 ", "--1", "+-1", "1e", "1e+", ".", "-", "e5", "1.2.3", "0x10",
                           "NaN", "Infinity", "1,000"}) {
    EXPECT_THAT(Refusal(json({{"N", text}})), HasSubstr("is not a number")) << text;
  }
  EXPECT_THAT(Refusal(json::parse(R"({"NS": ["1", "x"]})")), HasSubstr("at [1]: \"N\" value \"x\" is not a number"));
  EXPECT_THAT(Refusal(json({{"N", "1e400"}})), HasSubstr("out of range"));
}

TEST(AttributeValueTest, ErrorsSayWhereInTheItem) {
  Result<json> r =
      FromItem(json::parse(R"({"ok": {"S": "x"}, "tags": {"L": [{"S": "a"}, {"M": {"n": {"N": "z"}}}]}})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(r.status().message(), "malformed AttributeValue at tags[1].n: \"N\" value \"z\" is not a number");

  Result<json> not_object = FromItem(json::array());
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.status().code(), StatusCode::kCorruption);
  EXPECT_THAT(not_object.status().message(), HasSubstr("expected an object"));

  Result<json> plain_value = FromItem(json::parse(R"({"name": "not wrapped"})"));
  ASSERT_FALSE(plain_value.ok());
  EXPECT_THAT(plain_value.status().message(), HasSubstr("at name: expected an object with exactly one type key"));
}

TEST(AttributeValueTest, ErrorMessagesSurviveInvalidUtf8AndLongValues) {
  EXPECT_THAT(Refusal(json({{"N", std::string("\xff\xfe")}})), HasSubstr("is not a number"));
  const std::string message = Refusal(json({{"S", json::array({std::string(500, 'x')})}}));
  EXPECT_LT(message.size(), 200u);
  EXPECT_THAT(message, HasSubstr("..."));
}

}  // namespace
}  // namespace truthbyte::dynamodb

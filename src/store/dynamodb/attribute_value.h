// The DynamoDB AttributeValue wire format, and nothing else: the only unit
// that knows {"S": ...}, {"N": ...}, {"BOOL": ...}, {"L": [...]}, {"M": {...}},
// {"SS": [...]}, {"NULL": true}. The engine works on plain JSON items
// (strings, numbers, booleans, arrays, objects, null).
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace truthbyte::dynamodb {

// Plain JSON value -> AttributeValue. Integers and floats become "N" (in
// their shortest exact decimal form), arrays "L", objects "M", null "NULL".
nlohmann::json ToAttributeValue(const nlohmann::json& plain);
// AttributeValue -> plain JSON. "N" becomes an integer when it has no
// fraction or exponent and fits in 64 bits, otherwise a double; "SS" and
// "NS" become arrays; "B"/"BS" stay base64 strings. kCorruption when the
// value is not an AttributeValue.
Result<nlohmann::json> FromAttributeValue(const nlohmann::json& attribute_value);

// A whole item (attribute name -> value) both ways.
nlohmann::json ToItem(const nlohmann::json& plain_object);
Result<nlohmann::json> FromItem(const nlohmann::json& item);

}  // namespace truthbyte::dynamodb

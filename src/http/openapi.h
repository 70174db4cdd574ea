// The OpenAPI 3.1 document of the API (docs/openapi.json), compiled into the
// binary so that `GET /v1/openapi.json` serves exactly the file in the
// repository; a test checks it against the route table.
#pragma once

#include <string_view>

namespace truthbyte {

std::string_view OpenApiDocument();

}  // namespace truthbyte

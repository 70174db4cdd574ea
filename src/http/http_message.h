// The HTTP messages of the http/ layer: Beast requests and responses with
// their whole body in a string.
#pragma once

#include <boost/beast/http.hpp>

namespace truthbyte {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

}  // namespace truthbyte

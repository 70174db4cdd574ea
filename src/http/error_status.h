// The HTTP status of each domain error code (SPEC section 5).
#pragma once

#include "service/service_error.h"

namespace truthbyte {

int HttpStatusOf(ErrorCode code);

}  // namespace truthbyte

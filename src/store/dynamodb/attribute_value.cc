#include "store/dynamodb/attribute_value.h"

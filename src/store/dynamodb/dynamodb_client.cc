#include "store/dynamodb/dynamodb_client.h"

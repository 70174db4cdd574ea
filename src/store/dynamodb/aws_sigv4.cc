#include "store/dynamodb/aws_sigv4.h"

// AWS Signature Version 4 for DynamoDB requests (and any AWS JSON service).
// Pure computation: the caller supplies credentials, the time and the
// request; nothing here does I/O. Tested against AWS's published vectors.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace truthbyte::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

struct SignableRequest {
  std::string method;  // "POST"
  std::string host;    // "dynamodb.us-east-1.amazonaws.com" or "127.0.0.1:8000"
  std::string path;    // "/" (already URI-encoded)
  std::string query;   // raw query string without '?', may be empty
  // Headers to sign besides host and x-amz-date (and x-amz-security-token,
  // added when the credentials carry a session token). Names in any case.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload;
};

struct SignedHeaders {
  std::string authorization;   // "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."
  std::string amz_date;        // "20150830T123600Z"
  std::string security_token;  // to send as X-Amz-Security-Token when non-empty
};

// Signs `request` for `region` and `service` at `unix_seconds`.
SignedHeaders SignV4(const SignableRequest& request, const Credentials& credentials, const std::string& region,
                     const std::string& service, std::int64_t unix_seconds);

// The pieces of the algorithm, exposed for tests against the AWS vectors.
std::string CanonicalRequest(const SignableRequest& request, const std::string& amz_date,
                             const std::string& security_token, std::string* signed_headers);
std::string StringToSign(const std::string& amz_date, const std::string& scope, const std::string& canonical_request);
std::string SigningKeySignature(const std::string& secret_access_key, const std::string& date, const std::string& region,
                                const std::string& service, const std::string& string_to_sign);
// "20150830T123600Z" for a unix time.
std::string AmzDate(std::int64_t unix_seconds);

}  // namespace truthbyte::aws

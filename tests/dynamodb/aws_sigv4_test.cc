// Signature V4 against AWS's published test suite and the documented IAM
// example, plus DynamoDB-shaped requests cross-checked with botocore.

#include "store/dynamodb/aws_sigv4.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/sha256.h"

namespace truthbyte::aws {
namespace {

// The suite's fixed inputs.
constexpr char kAccessKey[] = "AKIDEXAMPLE";
constexpr char kSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kAmzDate[] = "20150830T123600Z";
constexpr std::int64_t kUnixTime = 1440938160;  // 2015-08-30T12:36:00Z

// The session token of the suite's post-sts-token vectors.
constexpr char kStsToken[] =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRq"
    "TflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75Y"
    "U9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9K"
    "SYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

struct SuiteVector {
  const char* name;
  SignableRequest request;  // host, X-Amz-Date and the token are not in `headers`
  std::string session_token;
  std::string canonical_request;  // <name>.creq
  std::string string_to_sign;     // <name>.sts
  std::string authorization;      // <name>.authz
};

// From the AWS Signature Version 4 Test Suite (aws-sig-v4-test-suite,
// Apache-2.0, as shipped in boto/botocore tests/unit/auth/aws4_testsuite/),
// region us-east-1, service "service". Each request is the vector's .req file:
// the path and query as written on its request line (raw, so "/\xE1\x88\xB4"
// is the UTF-8 character the vector uses), other headers in file order, and
// a folded header's continuation lines kept with their newlines.
const std::vector<SuiteVector>& SuiteVectors() {
  // clang-format off
  static const auto* vectors = new std::vector<SuiteVector>{
    {"get-vanilla",
     {"GET", "example.amazonaws.com", "/", "", {}, ""},
     "",
     "GET\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
    {"get-vanilla-query-order-key-case",
     {"GET", "example.amazonaws.com", "/", "Param2=value2&Param1=value1", {}, ""},
     "",
     "GET\n"
     "/\n"
     "Param1=value1&Param2=value2\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
    {"get-vanilla-query-order-key",
     {"GET", "example.amazonaws.com", "/", "Param1=value2&Param1=Value1", {}, ""},
     "",
     "GET\n"
     "/\n"
     "Param1=Value1&Param1=value2\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"},
    {"get-vanilla-query-order-value",
     {"GET", "example.amazonaws.com", "/", "Param1=value2&Param1=value1", {}, ""},
     "",
     "GET\n"
     "/\n"
     "Param1=value1&Param1=value2\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"},
    {"get-vanilla-query-order-encoded",
     {"GET", "example.amazonaws.com", "/", "Param-3=Value3&Param=Value2&%E1%88%B4=Value1", {}, ""},
     "",
     "GET\n"
     "/\n"
     "%E1%88%B4=Value1&Param=Value2&Param-3=Value3\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "868294f5c38bd141c4972a373a76654f1418a8e4fc18b2e7903ae45e8ae0ec71",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"},
    {"get-vanilla-query-unreserved",
     {"GET", "example.amazonaws.com", "/", "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", {}, ""},
     "",
     "GET\n"
     "/\n"
     "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
    {"get-vanilla-utf8-query",
     {"GET", "example.amazonaws.com", "/", "\xE1\x88\xB4=bar", {}, ""},
     "",
     "GET\n"
     "/\n"
     "%E1%88%B4=bar\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
    {"get-vanilla-empty-query-key",
     {"GET", "example.amazonaws.com", "/", "Param1=value1", {}, ""},
     "",
     "GET\n"
     "/\n"
     "Param1=value1\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
    {"get-header-value-trim",
     {"GET", "example.amazonaws.com", "/", "", {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}}, ""},
     "",
     "GET\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "my-header1:value1\n"
     "my-header2:\"a b c\"\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;my-header1;my-header2;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
     "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
    {"get-header-value-order",
     {"GET", "example.amazonaws.com", "/", "", {{"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"}, {"My-Header1", "value2"}}, ""},
     "",
     "GET\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "my-header1:value4,value1,value3,value2\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;my-header1;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;my-header1;x-amz-date, "
     "Signature=08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
    {"get-header-key-duplicate",
     {"GET", "example.amazonaws.com", "/", "", {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}}, ""},
     "",
     "GET\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "my-header1:value2,value2,value1\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;my-header1;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;my-header1;x-amz-date, "
     "Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
    {"get-header-value-multiline",
     {"GET", "example.amazonaws.com", "/", "", {{"My-Header1", "value1\n  value2\n     value3"}}, ""},
     "",
     "GET\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "my-header1:value1 value2 value3\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;my-header1;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "e99419459a677bc11de234014be3c4e72c1ea5b454ceb58b613061f5d7a162e8",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;my-header1;x-amz-date, "
     "Signature=cfd34249e4b1c8d6b91ef74165d41a32e5fab3306300901bb65a51a73575eefd"},
    {"get-unreserved",
     {"GET", "example.amazonaws.com", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "", {}, ""},
     "",
     "GET\n"
     "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n"
     "\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
    {"get-utf8",
     {"GET", "example.amazonaws.com", "/\xE1\x88\xB4", "", {}, ""},
     "",
     "GET\n"
     "/%E1%88%B4\n"
     "\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
    {"get-space",
     {"GET", "example.amazonaws.com", "/example space/", "", {}, ""},
     "",
     "GET\n"
     "/example%20space/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
    {"post-vanilla",
     {"POST", "example.amazonaws.com", "/", "", {}, ""},
     "",
     "POST\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
    {"post-vanilla-query",
     {"POST", "example.amazonaws.com", "/", "Param1=value1", {}, ""},
     "",
     "POST\n"
     "/\n"
     "Param1=value1\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date, "
     "Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
    {"post-header-key-sort",
     {"POST", "example.amazonaws.com", "/", "", {{"My-Header1", "value1"}}, ""},
     "",
     "POST\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "my-header1:value1\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;my-header1;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;my-header1;x-amz-date, "
     "Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
    {"post-header-value-case",
     {"POST", "example.amazonaws.com", "/", "", {{"My-Header1", "VALUE1"}}, ""},
     "",
     "POST\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "my-header1:VALUE1\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "host;my-header1;x-amz-date\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;my-header1;x-amz-date, "
     "Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
    {"post-x-www-form-urlencoded",
     {"POST", "example.amazonaws.com", "/", "", {{"Content-Type", "application/x-www-form-urlencoded"}}, "Param1=value1"},
     "",
     "POST\n"
     "/\n"
     "\n"
     "content-type:application/x-www-form-urlencoded\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "content-type;host;x-amz-date\n"
     "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=content-type;host;x-amz-date, "
     "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
    {"post-x-www-form-urlencoded-parameters",
     {"POST", "example.amazonaws.com", "/", "", {{"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}}, "Param1=value1"},
     "",
     "POST\n"
     "/\n"
     "\n"
     "content-type:application/x-www-form-urlencoded; charset=utf8\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "\n"
     "content-type;host;x-amz-date\n"
     "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=content-type;host;x-amz-date, "
     "Signature=1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"},
    {"get-vanilla-with-session-token",  // its .req omits the token; .creq shows it
     {"GET", "example.amazonaws.com", "/", "", {}, ""},
     "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
     "GET\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "x-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n"
     "\n"
     "host;x-amz-date;x-amz-security-token\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date;x-amz-security-token, "
     "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"},
    {"post-sts-header-before",
     {"POST", "example.amazonaws.com", "/", "", {}, ""},
     kStsToken,
     std::string("POST\n"
     "/\n"
     "\n"
     "host:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n"
     "x-amz-security-token:") + kStsToken + "\n"
     "\n"
     "host;x-amz-date;x-amz-security-token\n"
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
     "AWS4-HMAC-SHA256\n"
     "20150830T123600Z\n"
     "20150830/us-east-1/service/aws4_request\n"
     "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
     "SignedHeaders=host;x-amz-date;x-amz-security-token, "
     "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
  };
  // clang-format on
  return *vectors;
}

void PrintTo(const SuiteVector& v, std::ostream* os) { *os << v.name; }

// Line `n` (0-based) of a canonical request.
std::string Line(const std::string& text, int n) {
  std::size_t start = 0;
  for (int i = 0; i < n; ++i) start = text.find('\n', start) + 1;
  return text.substr(start, text.find('\n', start) - start);
}

std::string SignatureOf(const std::string& authorization) {
  const std::size_t at = authorization.find("Signature=");
  return at == std::string::npos ? "" : authorization.substr(at + 10);
}

class SigV4SuiteTest : public ::testing::TestWithParam<SuiteVector> {};

TEST_P(SigV4SuiteTest, CanonicalRequest) {
  const SuiteVector& v = GetParam();
  std::string signed_headers;
  EXPECT_EQ(CanonicalRequest(v.request, kAmzDate, v.session_token, &signed_headers), v.canonical_request);
  EXPECT_NE(v.authorization.find("SignedHeaders=" + signed_headers + ", "), std::string::npos) << signed_headers;
}

TEST_P(SigV4SuiteTest, StringToSign) {
  const SuiteVector& v = GetParam();
  EXPECT_EQ(StringToSign(kAmzDate, "20150830/us-east-1/service/aws4_request", v.canonical_request), v.string_to_sign);
}

TEST_P(SigV4SuiteTest, Signature) {
  const SuiteVector& v = GetParam();
  EXPECT_EQ(SigningKeySignature(kSecretKey, "20150830", "us-east-1", "service", v.string_to_sign),
            SignatureOf(v.authorization));
}

TEST_P(SigV4SuiteTest, AuthorizationHeader) {
  const SuiteVector& v = GetParam();
  const SignedHeaders signed_headers =
      SignV4(v.request, Credentials{kAccessKey, kSecretKey, v.session_token}, "us-east-1", "service", kUnixTime);
  EXPECT_EQ(signed_headers.authorization, v.authorization);
  EXPECT_EQ(signed_headers.amz_date, kAmzDate);
  EXPECT_EQ(signed_headers.security_token, v.session_token);
}

INSTANTIATE_TEST_SUITE_P(Aws, SigV4SuiteTest, ::testing::ValuesIn(SuiteVectors()),
                         [](const ::testing::TestParamInfo<SuiteVector>& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

// The worked example of the AWS General Reference ("Examples of the complete
// Signature Version 4 signing process": IAM ListUsers), which publishes the
// hash of its canonical request and the final signature.
TEST(SigV4Test, DocumentedIamListUsersExample) {
  const SignableRequest request{"GET",
                                "iam.amazonaws.com",
                                "/",
                                "Action=ListUsers&Version=2010-05-08",
                                {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                                ""};
  std::string signed_headers;
  const std::string canonical = CanonicalRequest(request, kAmzDate, "", &signed_headers);
  EXPECT_EQ(canonical,
            "GET\n"
            "/\n"
            "Action=ListUsers&Version=2010-05-08\n"
            "content-type:application/x-www-form-urlencoded; charset=utf-8\n"
            "host:iam.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n"
            "\n"
            "content-type;host;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex(canonical), "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
  EXPECT_EQ(signed_headers, "content-type;host;x-amz-date");
  EXPECT_EQ(SignV4(request, Credentials{kAccessKey, kSecretKey, ""}, "us-east-1", "iam", kUnixTime).authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

// A GetItem as our client sends it. The expected values were computed with
// botocore 1.43.11's SigV4Auth (service "dynamodb") as an independent oracle.
SignableRequest GetItemRequest(const std::string& host) {
  return {"POST",
          host,
          "/",
          "",
          {{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", "DynamoDB_20120810.GetItem"}},
          R"({"TableName":"questions","Key":{"id":{"S":"q0376"}}})"};
}

TEST(SigV4Test, DynamoDbGetItemToLocalEndpoint) {
  const SignableRequest request = GetItemRequest("127.0.0.1:8000");
  EXPECT_EQ(CanonicalRequest(request, kAmzDate, "", nullptr),
            "POST\n"
            "/\n"
            "\n"
            "content-type:application/x-amz-json-1.0\n"
            "host:127.0.0.1:8000\n"
            "x-amz-date:20150830T123600Z\n"
            "x-amz-target:DynamoDB_20120810.GetItem\n"
            "\n"
            "content-type;host;x-amz-date;x-amz-target\n"
            "1a7266ac34d57d9c332a39fd34209afe0291433363a5184dad761654c72a5e1f");
  const SignedHeaders signed_headers =
      SignV4(request, Credentials{kAccessKey, kSecretKey, ""}, "us-east-1", "dynamodb", kUnixTime);
  EXPECT_EQ(signed_headers.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            "Signature=9eeeed4f3fcb0ea70e79cb72a701c1bc3587e8c04ef13a7c2e35802166123ebe");
  EXPECT_EQ(signed_headers.security_token, "");
}

TEST(SigV4Test, DynamoDbGetItemWithSessionTokenSignsTheToken) {
  const SignableRequest request = GetItemRequest("dynamodb.us-east-1.amazonaws.com");
  const std::string canonical = CanonicalRequest(request, kAmzDate, "session-token-example", nullptr);
  EXPECT_NE(canonical.find("\nx-amz-security-token:session-token-example\nx-amz-target:"), std::string::npos)
      << canonical;
  EXPECT_EQ(StringToSign(kAmzDate, "20150830/us-east-1/dynamodb/aws4_request", canonical),
            "AWS4-HMAC-SHA256\n"
            "20150830T123600Z\n"
            "20150830/us-east-1/dynamodb/aws4_request\n"
            "ac0ed16860eea4bb618db5d133a1998327fe72428863c08d814ec5d2aa8e97a4");
  const SignedHeaders signed_headers =
      SignV4(request, Credentials{kAccessKey, kSecretKey, "session-token-example"}, "us-east-1", "dynamodb", kUnixTime);
  EXPECT_EQ(signed_headers.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
            "Signature=38391fa8a37d9aec0debdc107b64fef2f4b59ced2b796f62d016b01eca28dd1d");
  EXPECT_EQ(signed_headers.security_token, "session-token-example");
}

TEST(SigV4Test, HeadersTheSignerOwnsAreNotSignedTwice) {
  SignableRequest request = GetItemRequest("127.0.0.1:8000");
  const std::string expected = CanonicalRequest(request, kAmzDate, "token", nullptr);
  request.headers.push_back({"Host", "elsewhere.example"});
  request.headers.push_back({"X-Amz-Date", "20000101T000000Z"});
  request.headers.push_back({"X-Amz-Security-Token", "other"});
  EXPECT_EQ(CanonicalRequest(request, kAmzDate, "token", nullptr), expected);
}

TEST(SigV4Test, CanonicalUriEncodesTheAlreadyEncodedPathOnceMore) {
  // AWS: for services other than S3 each path segment is encoded twice, so
  // the wire path "/documents%20and%20settings/" signs as %2520.
  SignableRequest request{"GET", "example.amazonaws.com", "/documents%20and%20settings/", "", {}, ""};
  EXPECT_EQ(Line(CanonicalRequest(request, kAmzDate, "", nullptr), 1), "/documents%2520and%2520settings/");
  request.path = "";
  EXPECT_EQ(Line(CanonicalRequest(request, kAmzDate, "", nullptr), 1), "/");
}

TEST(SigV4Test, CanonicalQueryStringNormalizesEncoding) {
  SignableRequest request{"GET", "example.amazonaws.com", "/", "", {}, ""};
  const auto query_line = [&](const std::string& query) {
    request.query = query;
    return Line(CanonicalRequest(request, kAmzDate, "", nullptr), 2);
  };
  EXPECT_EQ(query_line("b&a="), "a=&b=");                     // a missing value is empty
  EXPECT_EQ(query_line("k=%7e%e1%88%b4"), "k=~%E1%88%B4");    // unreserved decoded, hex upper-cased
  EXPECT_EQ(query_line("k=a+b c"), "k=a%2Bb%20c");            // '+' is literal, spaces are %20
  EXPECT_EQ(query_line("k=100%&j=%zz"), "j=%25zz&k=100%25");  // a stray '%' is a character
  EXPECT_EQ(query_line("k=v=w&&"), "k=v%3Dw");                // '=' after the first belongs to the value
}

TEST(SigV4Test, AmzDateFormatsUtc) {
  EXPECT_EQ(AmzDate(kUnixTime), "20150830T123600Z");
  EXPECT_EQ(AmzDate(0), "19700101T000000Z");
  EXPECT_EQ(AmzDate(-1), "19691231T235959Z");
  EXPECT_EQ(AmzDate(1709251199), "20240229T235959Z");
  EXPECT_EQ(AmzDate(4102444800), "21000101T000000Z");
}

}  // namespace
}  // namespace truthbyte::aws

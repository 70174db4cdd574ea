// Text rules shared by import and proposal validation: UTF-8 decoding,
// trimming, case folding and the normal form used to detect duplicates.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace truthbyte {

// Whether `s` is well-formed UTF-8 (no overlongs, surrogates or values past
// U+10FFFF).
bool IsValidUtf8(std::string_view s);
// Code points of well-formed UTF-8 `s`; REQUIRES: IsValidUtf8(s).
std::vector<char32_t> DecodeUtf8(std::string_view s);
std::size_t CountCodePoints(std::string_view s);
// Appends code point `c` (REQUIRES: at most U+10FFFF, no surrogate) as UTF-8.
void AppendUtf8(char32_t c, std::string* out);

std::string_view TrimWhitespace(std::string_view s);
// Unicode's White_Space property.
bool IsUnicodeSpace(char32_t c);

// The value of hexadecimal digit `c` (either case), or -1.
int HexDigitValue(char c);
// Undoes %XX escapes; a '%' not followed by two hex digits stays as it is,
// and '+' stays '+' (RFC 3986, not HTML forms).
std::string DecodePercentEscapes(std::string_view text);
std::string ToLowerAscii(std::string_view s);

// The form in which two questions count as the same: NFKC with Unicode case
// folding, without zero-width and other default-ignorable characters, every
// run of Unicode white space one space, and no trailing sentence
// punctuation: "Is  the sky blue?", "is the sky blue", "ＩＳ THE SKY\u00a0BLUE？"
// and "Is the s\u200bky blue" normalise alike.
std::string NormaliseQuestionText(std::string_view question);

}  // namespace truthbyte

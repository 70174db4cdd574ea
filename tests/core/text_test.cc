#include "core/text.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace truthbyte {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("hello, world?"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9"));                 // é, 2 bytes
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC 5"));              // €, 3 bytes
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));            // 😀, 4 bytes
  EXPECT_TRUE(IsValidUtf8("\xE6\x97\xA5\xE6\x9C\xAC"));    // 日本
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));                    // U+0080, smallest 2-byte
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));                // U+0800, smallest 3-byte
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));            // U+10000, smallest 4-byte
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));                // U+D7FF, just below surrogates
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));                // U+E000, just above surrogates
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));            // U+10FFFF, the last code point
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));        // NUL is a valid code point
}

TEST(Utf8Test, RejectsOverlongEncodings) {
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // NUL in 2 bytes
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));          // U+007F in 2 bytes
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // '/' in 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // U+07FF in 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // '/' in 4 bytes
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // U+FFFF in 4 bytes
}

TEST(Utf8Test, RejectsSurrogates) {
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // U+D800
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));  // U+DFFF
  EXPECT_FALSE(IsValidUtf8("ok \xED\xB0\x80 ok"));
}

TEST(Utf8Test, RejectsBeyondU10FFFF) {
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));      // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF7\xBF\xBF\xBF"));      // U+1FFFFF
  EXPECT_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));  // 5-byte form
  EXPECT_FALSE(IsValidUtf8("\xFC\x84\x80\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFE"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8Test, RejectsTruncatedAndStraySequences) {
  EXPECT_FALSE(IsValidUtf8("\xC3"));               // lead byte at the end
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));        // 3-byte sequence cut short
  EXPECT_FALSE(IsValidUtf8("\xF0\x9F\x98"));       // 4-byte sequence cut short
  EXPECT_FALSE(IsValidUtf8("\xC3" "A"));           // lead byte followed by ASCII
  EXPECT_FALSE(IsValidUtf8("\xE2\x82" "A"));
  EXPECT_FALSE(IsValidUtf8("\x80"));               // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("a\xBF" "b"));
  EXPECT_FALSE(IsValidUtf8("caf\xE9"));            // Latin-1 é
  // A view that ends inside a sequence must not read past its end, even when
  // the bytes after it would complete the sequence.
  const std::string euro = "\xE2\x82\xAC";
  EXPECT_TRUE(IsValidUtf8(euro));
  EXPECT_FALSE(IsValidUtf8(std::string_view(euro.data(), 2)));
  EXPECT_FALSE(IsValidUtf8(std::string_view(euro.data(), 1)));
}

TEST(Utf8Test, DecodeUtf8) {
  EXPECT_EQ(DecodeUtf8(""), std::vector<char32_t>{});
  EXPECT_EQ(DecodeUtf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
            (std::vector<char32_t>{U'a', 0xE9, 0x20AC, 0x1F600}));
  EXPECT_EQ(DecodeUtf8("\xF4\x8F\xBF\xBF"), std::vector<char32_t>{0x10FFFF});
}

TEST(Utf8Test, CountCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), 4u);  // 10 bytes, 4 code points
  EXPECT_EQ(CountCodePoints("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"), 3u);  // 日本語
}

TEST(TextTest, TrimWhitespace) {
  EXPECT_EQ(TrimWhitespace("  a b \t\n"), "a b");
  EXPECT_EQ(TrimWhitespace("\r\n\v\fx\f\v\n\r"), "x");
  EXPECT_EQ(TrimWhitespace("no-trim"), "no-trim");
  EXPECT_EQ(TrimWhitespace("   "), "");
  EXPECT_EQ(TrimWhitespace(""), "");
  EXPECT_EQ(TrimWhitespace(" inner  spaces  stay "), "inner  spaces  stay");
  EXPECT_EQ(TrimWhitespace(" caf\xC3\xA9 "), "caf\xC3\xA9");
}

TEST(TextTest, ToLowerAsciiLeavesOtherBytesAlone) {
  EXPECT_EQ(ToLowerAscii("ABC xyz 123 ?!"), "abc xyz 123 ?!");
  EXPECT_EQ(ToLowerAscii("\xC3\x89t\xC3\xA9"), "\xC3\x89t\xC3\xA9");  // "Été": É is not ASCII
  EXPECT_EQ(ToLowerAscii("@[`{"), "@[`{");  // neighbours of A-Z and a-z
}

TEST(TextTest, NormaliseQuestionText) {
  EXPECT_EQ(NormaliseQuestionText("  Is  The sky BLUE?? "), "is the sky blue");
  EXPECT_EQ(NormaliseQuestionText("Is the sky blue?"), NormaliseQuestionText("is the sky blue"));
  EXPECT_EQ(NormaliseQuestionText("is\tthe\n\nsky   blue"), "is the sky blue");
  EXPECT_EQ(NormaliseQuestionText("Really?!."), "really");
  EXPECT_EQ(NormaliseQuestionText("Really ? ! "), "really");
  EXPECT_EQ(NormaliseQuestionText("Is it? Yes, it is."), "is it? yes, it is");
  EXPECT_EQ(NormaliseQuestionText(""), "");
  EXPECT_EQ(NormaliseQuestionText(" ?! "), "");
  EXPECT_NE(NormaliseQuestionText("Is the sky blue?"), NormaliseQuestionText("Is the sea blue?"));
}

// Unicode folds as a reader would see it: compatibility forms, case, every
// kind of space, invisible characters.
TEST(TextTest, NormaliseQuestionTextFoldsUnicode) {
  const std::string plain = "is the sky blue";
  for (const char* variant : {
           "\xef\xbc\xa9s the sky blue\xef\xbc\x9f",      // fullwidth I and question mark
           "Is the sky\xc2\xa0" "blue",                          // no-break space
           "Is\xe3\x80\x80the\xe2\x80\x83sky blue",           // ideographic and em spaces
           "Is the s\xe2\x80\x8b" "ky blue",                      // zero-width space
           "Is the sky bl\xe2\x80\x8d" "ue\xef\xbb\xbf",           // zero-width joiner, BOM
           "Is the sky b\xc2\xadlue",                          // soft hyphen
           "IS THE SKY BLUE?",
       }) {
    EXPECT_EQ(NormaliseQuestionText(variant), plain) << variant;
  }
  EXPECT_EQ(NormaliseQuestionText("Stra\xc3\x9f""e"), "strasse");           // full case folding
  EXPECT_EQ(NormaliseQuestionText("\xef\xac\x81le"), "file");               // the fi ligature
  EXPECT_EQ(NormaliseQuestionText("Cafe\xcc\x81"), "caf\xc3\xa9");           // composed
  EXPECT_EQ(NormaliseQuestionText("\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91"), "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1");  // Greek
  EXPECT_NE(NormaliseQuestionText("Is the sky blue"), NormaliseQuestionText("Is the sky bleu"));
}

}  // namespace
}  // namespace truthbyte

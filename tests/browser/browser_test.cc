// Browser end-to-end: the real `truthbyte serve --demo` on a free loopback
// port, and game_round.mjs playing the game at "/" in a headless Chromium
// (desktop, 360 px, keyboard only, a reload; no console error, page error or
// CSP violation). The script's screenshots land in TRUTHBYTE_BROWSER_OUTPUT_DIR.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/server_process.h"

namespace truthbyte::e2e {
namespace {

using ::testing::HasSubstr;

// Three rounds of seven questions take about ten seconds; this leaves room
// for a loaded CI machine and a sanitizer build.
constexpr auto kScriptTimeout = std::chrono::minutes(4);

TEST(BrowserTest, ThePlayerCanPlayWholeRoundsOnDesktopOnAPhoneAndWithTheKeyboard) {
  ASSERT_TRUE(std::filesystem::exists(TRUTHBYTE_NODE))
      << "node not found (" TRUTHBYTE_NODE "); scripts/install-deps.sh installs it";
  ASSERT_TRUE(std::filesystem::exists(TRUTHBYTE_SOURCE_DIR "/tests/node_modules/puppeteer-core/package.json"))
      << "puppeteer-core is missing from tests/node_modules; run scripts/install-deps.sh";

  TempDir dir;
  ServerProcess server(dir.File("browser.db"));
  const std::string base_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  const std::filesystem::path shots = TRUTHBYTE_BROWSER_OUTPUT_DIR;
  std::filesystem::remove_all(shots);
  std::filesystem::create_directories(shots);

  ChildProcess script;
  script.SpawnProgram(TRUTHBYTE_NODE, {TRUTHBYTE_BROWSER_SCRIPT, base_url, shots.string()}, {});
  std::optional<int> code = script.Wait(kScriptTimeout);
  if (!code) {
    // SIGTERM first: puppeteer then closes its Chromium.
    script.Signal(SIGTERM);
    code = script.Wait(std::chrono::seconds(10));
  }
  script.Kill();
  ASSERT_TRUE(code.has_value()) << "the browser script did not finish within " << kScriptTimeout.count()
                                << " min\nstdout:\n" << script.Stdout() << "\nstderr:\n" << script.Stderr();
  EXPECT_EQ(0, *code) << "stdout:\n" << script.Stdout() << "\nstderr:\n" << script.Stderr();
  const std::string out = script.Stdout();
  EXPECT_THAT(out, HasSubstr("desktop: round played"));
  EXPECT_THAT(out, HasSubstr("kept across a reload"));
  EXPECT_THAT(out, HasSubstr("mobile: round played at 360x740"));
  EXPECT_THAT(out, HasSubstr("keyboard: round played"));
  EXPECT_THAT(out, HasSubstr("browser: all checks passed"));

  for (const char* layout : {"desktop", "mobile"}) {
    for (const char* screen : {"home", "question", "feedback", "result"}) {
      const std::filesystem::path png = shots / (std::string(layout) + "-" + screen + ".png");
      ASSERT_TRUE(std::filesystem::exists(png)) << png;
      // The PNG signature: the script wrote an image, not an empty file.
      EXPECT_EQ("\x89PNG", ReadFile(png.string()).substr(0, 4)) << png;
    }
  }

  EXPECT_EQ(0, server.Stop());
}

}  // namespace
}  // namespace truthbyte::e2e

// The truthbyte command line: parses arguments and runs one command.
#pragma once

namespace truthbyte::cli {

// Returns the process exit code: 0 success, 1 failure, 2 bad usage.
int RunTruthbyte(int argc, char** argv);

}  // namespace truthbyte::cli

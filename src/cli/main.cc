#include "cli/app.h"

int main(int argc, char** argv) { return truthbyte::cli::RunTruthbyte(argc, argv); }

// The files of web/ (the game at "/", the dashboard at "/admin" and their
// assets), compiled into the binary by cmake/embed_files.cmake so that the
// server needs nothing on disk to serve them. The list of files is
// TRUTHBYTE_WEB_FILES in CMakeLists.txt.
#pragma once

#include <span>

#include "http/static_files.h"

namespace truthbyte {

// Every embedded file, named by its path under web/ ("index.html",
// "assets/game.js"). The bytes live as long as the program.
std::span<const EmbeddedFile> WebFiles();

}  // namespace truthbyte

// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <cstdlib>

/// Shared by the fuzz harnesses and corpus_main.cpp: a broken invariant aborts, so libFuzzer
/// saves the input as a crash and the corpus regression test fails naming the file.
namespace collapipe::fuzz {

/// The corpus file corpus_main.cpp is feeding (nullptr under libFuzzer, which names its own).
inline const char *g_currentInput = nullptr;

[[noreturn]] inline void fail(const char *what, const char *detail = "")
{
    std::fprintf(stderr, "fuzz invariant broken: %s\n%s\ninput: %s\n", what, detail,
        g_currentInput ? g_currentInput : "(see libFuzzer's crash- file)");
    std::abort();
}

} // namespace collapipe::fuzz

// SPDX-License-Identifier: MIT
#pragma once

/// True in an AddressSanitizer build (-DCOLLAPIPE_SANITIZE=ON, GCC or clang). Tests whose cost
/// is mostly arithmetic use it to run a documented reduced mode there (ASan makes the trainer's
/// kernels ~10x slower), never to skip silently: the reduced mode asserts and says so.
namespace collapipe::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitizerBuild = true;
#else
inline constexpr bool kSanitizerBuild = false;
#endif
#else
inline constexpr bool kSanitizerBuild = false;
#endif

/// Factor for time limits that wait on real work (a child's rounds, a CLI run): ASan + UBSan
/// make the engine up to ~10x slower (tst_trainer_learning: 479 s against 43-47 s), and a limit
/// sized for Release then fails a correct program. Limits only: never a reason to wait longer.
inline constexpr int kSlowdown = kSanitizerBuild ? 10 : 1;

} // namespace collapipe::test

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

} // namespace collapipe::test

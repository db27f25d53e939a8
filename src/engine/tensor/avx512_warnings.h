// GCC 12's AVX-512 intrinsics fill unused result lanes from _mm512_undefined_*(), which its own
// -Wuninitialized then reports at every inlined call site; the lanes are never read. Included by
// the AVX-512 kernel files only, so the warnings stay on everywhere else.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

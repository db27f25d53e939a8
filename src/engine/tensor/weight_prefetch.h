// Software prefetch of a row's weights for the dot kernels. A decode step reads every weight once,
// from memory, and the hardware prefetcher alone leaves that read and a kernel's arithmetic
// mostly one after the other (matvec_bench, one thread on Sapphire Rapids: the AVX-512 Q4_K
// kernel read 3 of the 11 GB/s one core can). So each kernel step asks for the lines of its
// weights kPrefetchDistance bytes ahead, which then arrive while it computes: 1.3-2.9x on the
// int8 matvecs of both the AVX-512 and the AVX2 kernels there; 2 KiB measured best of 0.5-4 KiB.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace assistd {

inline constexpr size_t kPrefetchDistance = 2048;

// The cache lines of the kStepBytes bytes at p + kPrefetchDistance, into L1. A prefetch never
// faults, so past the end of the weights it costs only the instruction.
template <size_t kStepBytes>
inline void prefetch_ahead(const uint8_t* p) {
#if defined(__x86_64__)
    for (size_t offset = 0; offset < kStepBytes; offset += 64)
        _mm_prefetch(reinterpret_cast<const char*>(p + kPrefetchDistance + offset), _MM_HINT_T0);
#else
    (void)p;
#endif
}

}  // namespace assistd

// What the running x86-64 CPU (and the OS, which must save the wider registers) lets us use,
// asked with cpuid and xgetbv so that gcc and clang builds agree.
#pragma once

namespace assistd {

struct CpuFeatures {
    bool avx2 = false;
    bool fma = false;
    bool f16c = false;
    bool avx512f = false;
    bool avx512bw = false;
    bool avx512vl = false;
    bool avx512vnni = false;

    bool avx2_fma_f16c() const { return avx2 && fma && f16c; }
    // The AVX-512 kernels use 512-bit byte arithmetic and VNNI dot products.
    bool avx512_vnni() const {
        return avx2_fma_f16c() && avx512f && avx512bw && avx512vl && avx512vnni;
    }
};

// All false on other architectures.
CpuFeatures detect_cpu_features();

}  // namespace assistd

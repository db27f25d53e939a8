// What the running x86-64 CPU (and the OS, which must save the wider registers) lets us use,
// asked with cpuid and xgetbv so that gcc and clang builds agree.
#pragma once

#include <string_view>

namespace assistd {

struct CpuFeatures {
    bool avx2 = false;
    bool fma = false;
    bool f16c = false;
    bool avx512f = false;
    bool avx512bw = false;
    bool avx512vl = false;
    bool avx512vnni = false;
    bool amx_tile = false;
    bool amx_int8 = false;

    bool avx2_fma_f16c() const { return avx2 && fma && f16c; }
    // The AVX-512 kernels use 512-bit byte arithmetic and VNNI dot products.
    bool avx512_vnni() const {
        return avx2_fma_f16c() && avx512f && avx512bw && avx512vl && avx512vnni;
    }
    // AMX int8 tiles; the panel kernels use them beside AVX-512 (Linux must still grant them).
    bool amx_int8_tiles() const { return avx512_vnni() && amx_tile && amx_int8; }
};

// What this CPU has, capped by the environment variable ASSISTD_CPU when it is set: "avx512"
// leaves out AMX, "avx2" AVX-512 too, "scalar" every SIMD kernel, so the kernels smaller hosts run
// can be tested and measured here. All false on other architectures. Probed once per process
// (CPUID traps to the hypervisor in a virtual machine; kernels ask on hot paths).
CpuFeatures detect_cpu_features();

// `features` without what `level` ("avx512", "avx2", "scalar"; anything else: nothing) leaves out.
CpuFeatures cap_cpu_features(CpuFeatures features, std::string_view level);

}  // namespace assistd

#include "engine/tensor/cpu_features.h"

#include <cstdlib>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace assistd {

namespace {

#if defined(__x86_64__)

// XCR0 bits the OS sets when it saves SSE+AVX state, and the three AVX-512 state components.
constexpr unsigned kXcr0Avx = 0x6;
constexpr unsigned kXcr0Avx512 = 0xe0;
constexpr unsigned kXcr0Amx = 0x60000;  // tile configuration and tile data

unsigned long long read_xcr0() {
    unsigned eax = 0;
    unsigned edx = 0;
    __asm__("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return (static_cast<unsigned long long>(edx) << 32) | eax;
}

bool bit(unsigned reg, int index) {
    return (reg >> index) & 1u;
}

CpuFeatures hardware_cpu_features() {
    CpuFeatures f;
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
    const bool osxsave = bit(ecx, 27);
    const bool avx = bit(ecx, 28);
    if (!osxsave || !avx) return f;
    const unsigned long long xcr0 = read_xcr0();
    if ((xcr0 & kXcr0Avx) != kXcr0Avx) return f;
    f.fma = bit(ecx, 12);
    f.f16c = bit(ecx, 29);
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return f;
    f.avx2 = bit(ebx, 5);
    if ((xcr0 & kXcr0Avx512) == kXcr0Avx512) {
        f.avx512f = bit(ebx, 16);
        f.avx512bw = bit(ebx, 30);
        f.avx512vl = bit(ebx, 31);
        f.avx512vnni = bit(ecx, 11);
    }
    if ((xcr0 & kXcr0Amx) == kXcr0Amx) {
        f.amx_tile = bit(edx, 24);
        f.amx_int8 = bit(edx, 25);
    }
    return f;
}

#else

CpuFeatures hardware_cpu_features() {
    return {};
}

#endif

}  // namespace

CpuFeatures cap_cpu_features(CpuFeatures features, std::string_view level) {
    if (level == "avx512" || level == "avx2" || level == "scalar") {
        features.amx_tile = features.amx_int8 = false;
    }
    if (level == "avx2" || level == "scalar") {
        features.avx512f = features.avx512bw = features.avx512vl = features.avx512vnni = false;
    }
    if (level == "scalar") features.avx2 = features.fma = features.f16c = false;
    return features;
}

CpuFeatures detect_cpu_features() {
    static const CpuFeatures features = [] {
        const char* level = std::getenv("ASSISTD_CPU");
        return cap_cpu_features(hardware_cpu_features(), level ? level : "");
    }();
    return features;
}

}  // namespace assistd

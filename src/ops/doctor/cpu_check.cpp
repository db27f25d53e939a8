// The CPU check: which kernel family the matrix products dispatch to. The scalar fallback is
// several times slower, which an operator should know before blaming the network.
#include "engine/tensor/cpu_features.h"
#include "ops/doctor/checks.h"

namespace assistd::ops::doctor {

CheckResult check_cpu() {
    const CpuFeatures cpu = detect_cpu_features();
    if (cpu.avx512_vnni()) return CheckResult::ok("cpu", "AVX-512 VNNI kernels");
    if (cpu.avx2_fma_f16c()) return CheckResult::ok("cpu", "AVX2 kernels (no AVX-512 VNNI)");
    return CheckResult::warn("cpu", "no AVX2+FMA+F16C: scalar kernels, several times slower",
                             "run on an x86-64 host with AVX2 (Haswell or newer), or expose "
                             "the host CPU flags to the VM");
}

}  // namespace assistd::ops::doctor

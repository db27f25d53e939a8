#include "engine/tensor/kernels_avx2.h"

namespace assistd {

bool cpu_has_avx2() {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
           __builtin_cpu_supports("f16c");
#else
    return false;
#endif
}

DotFn avx2_dot_function(DType) {
    return nullptr;
}

}  // namespace assistd

// Running a many-row dot kernel over any number of activation rows. A kernel is a type `Rows`
// whose `run<kCount>(w, a, stride, n, out, out_stride)` multiplies one weight row with exactly
// kCount activation rows; these adapters take rows kGroup at a time, then the rest with the kernel
// made for that many, and run one row alone through the same code — so a row's result never
// depends on how many rows it was batched with. Shared by the AVX2 and AVX-512 kernels; the loop
// around the kernel calls is too little work to need their instruction sets.
#pragma once

#include <cstddef>
#include <cstdint>

namespace assistd::many_rows {

// The last 1 to kCount activation rows of a batch, with the kernel made for that many.
template <class Rows, int kCount>
void remaining(const uint8_t* w, const uint8_t* a, size_t stride, int64_t count, int64_t n,
               float* out, size_t out_stride) {
    if (count == kCount) return Rows::template run<kCount>(w, a, stride, n, out, out_stride);
    if constexpr (kCount > 1) remaining<Rows, kCount - 1>(w, a, stride, count, n, out, out_stride);
}

// Any number of activation rows (a QuantDotManyFn).
template <class Rows, int kGroup>
void in_groups(const void* row, const void* activations, size_t stride, int64_t count, int64_t n,
               float* out, size_t out_stride) {
    const auto* w = static_cast<const uint8_t*>(row);
    const auto* a = static_cast<const uint8_t*>(activations);
    int64_t j = 0;
    for (; j + kGroup <= count; j += kGroup)
        Rows::template run<kGroup>(w, a + j * stride, stride, n, out + j * out_stride, out_stride);
    if (j < count) {
        remaining<Rows, kGroup - 1>(w, a + j * stride, stride, count - j, n, out + j * out_stride,
                                    out_stride);
    }
}

// One activation row (a QuantDotFn).
template <class Rows>
float alone(const void* row, const void* activation, int64_t n) {
    float out;
    Rows::template run<1>(static_cast<const uint8_t*>(row), static_cast<const uint8_t*>(activation),
                          0, n, &out, 0);
    return out;
}

}  // namespace assistd::many_rows

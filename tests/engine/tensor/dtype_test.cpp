#include "engine/tensor/dtype.h"

#include <gtest/gtest.h>

namespace assistd {
namespace {

TEST(DType, BlockLayoutsMatchGgml) {
    EXPECT_EQ(traits_of(DType::Q8_0).type_size, 34u);
    EXPECT_EQ(traits_of(DType::Q4_0).type_size, 18u);
    EXPECT_EQ(traits_of(DType::Q4_K).type_size, 144u);
    EXPECT_EQ(traits_of(DType::Q6_K).type_size, 210u);
    EXPECT_EQ(row_bytes(DType::Q5_1, 64), 48u);
    EXPECT_EQ(row_bytes(DType::F16, 7), 14u);
}

TEST(DType, UnknownIdsAreRejected) {
    EXPECT_FALSE(dtype_traits(4).has_value());  // Q4_2, removed from GGML
    EXPECT_FALSE(dtype_traits(1000).has_value());
    ASSERT_TRUE(dtype_traits(30).has_value());
    EXPECT_EQ(dtype_traits(30)->name, "bf16");
}

}  // namespace
}  // namespace assistd

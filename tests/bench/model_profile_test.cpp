// What a benchmark row says about a real model file, and the bytes one decode step reads.
#include "bench/model_profile.h"

#include <gtest/gtest.h>

#include "support/shared_data.h"

namespace assistd::bench {
namespace {

gguf::GgufFile open_stories() {
    Result<gguf::GgufFile> file =
        gguf::GgufFile::open(testing::shared_path("models/llm/stories260K.gguf"));
    EXPECT_TRUE(file.ok());
    return std::move(*file);
}

TEST(ModelProfile, SizeAndParamsSumEveryTensor) {
    const gguf::GgufFile file = open_stories();
    uint64_t bytes = 0, params = 0;
    for (const gguf::TensorInfo& t : file.tensors()) {
        bytes += t.n_bytes;
        params += static_cast<uint64_t>(t.n_elements);
    }
    const ModelProfile profile = profile_model(file, "stories260K.gguf");
    EXPECT_EQ(profile.filename, "stories260K.gguf");
    EXPECT_EQ(profile.size_bytes, bytes);
    EXPECT_EQ(profile.n_params, params);
}

TEST(ModelProfile, TypeNamesArchitectureSizeAndWeightType) {
    const ModelProfile profile = profile_model(open_stories(), "stories260K.gguf");
    // stories260K has no general.file_type: its type is that of most of its weight bytes.
    EXPECT_EQ(profile.type, "llama 292K F32") << profile.type;
}

TEST(ModelProfile, DecodeReadsOneEmbeddingRowUnlessTied) {
    const gguf::GgufFile file = open_stories();
    const gguf::TensorInfo* embd = file.find_tensor("token_embd.weight");
    ASSERT_NE(embd, nullptr);
    const ModelProfile profile = profile_model(file, "stories260K.gguf");
    if (file.find_tensor("output.weight") != nullptr) {
        EXPECT_EQ(profile.weight_bytes_per_token,
                  profile.size_bytes - embd->n_bytes + embd->n_bytes / embd->ne[1]);
    } else {
        EXPECT_EQ(profile.weight_bytes_per_token, profile.size_bytes);
    }
}

}  // namespace
}  // namespace assistd::bench

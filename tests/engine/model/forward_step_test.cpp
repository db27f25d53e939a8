// forward_step: sequences of different lengths and phases (prompt chunks, single decode tokens)
// run as one batch give exactly the logits each gets alone — batching never changes an answer.
#include <gtest/gtest.h>

#include "engine/model/model.h"
#include "support/shared_data.h"

namespace assistd {
namespace {

std::unique_ptr<Model> stories() {
    auto model = load_model(testing::shared_path("models/llm/stories260K.gguf"));
    if (!model) throw std::runtime_error(model.error().message);
    return std::move(*model);
}

TEST(ForwardStep, BatchedSequencesGetTheirAloneLogitsExactly) {
    std::unique_ptr<Model> model = stories();
    ThreadPool pool(2);
    const std::vector<int32_t> a = {1, 403, 407, 261, 378, 8, 290, 264, 31, 40, 99, 7, 18};
    const std::vector<int32_t> b = {1, 9, 300, 22};

    // Alone: a's prompt in one batch, b token by token.
    Sequence alone_a = model->new_sequence(64);
    std::span<const float> logits_a = model->forward_batch(alone_a, a, 0, pool);
    const std::vector<float> expected_a(logits_a.begin(), logits_a.end());
    Sequence alone_b = model->new_sequence(64);
    std::vector<float> expected_b;
    for (size_t i = 0; i < b.size(); ++i) {
        std::span<const float> logits =
            model->forward(alone_b, b[i], static_cast<int64_t>(i), pool);
        expected_b.assign(logits.begin(), logits.end());
    }

    // Together from one pool: a in two chunks while b decodes token by token beside it.
    auto kv_pool = std::make_shared<KvBlockPool>(model->hparams(), 8);
    Sequence seq_a = model->new_sequence(kv_pool, 64);
    Sequence seq_b = model->new_sequence(kv_pool, 64);
    ASSERT_TRUE(seq_a.kv.reserve(static_cast<int64_t>(a.size())));
    ASSERT_TRUE(seq_b.kv.reserve(static_cast<int64_t>(b.size())));
    Activations act;
    const std::span<const int32_t> span_a(a), span_b(b);
    const std::vector<SequenceStep> first = {{&seq_a, span_a.first(8), 0, false},
                                             {&seq_b, span_b.first(3), 0, false}};
    model->forward_step(first, act, pool);
    const std::vector<SequenceStep> second = {{&seq_b, span_b.subspan(3), 3, true},
                                              {&seq_a, span_a.subspan(8), 8, true}};
    model->forward_step(second, act, pool);

    EXPECT_EQ(std::vector<float>(seq_a.logits.begin(), seq_a.logits.end()), expected_a);
    EXPECT_EQ(std::vector<float>(seq_b.logits.begin(), seq_b.logits.end()), expected_b);
}

}  // namespace
}  // namespace assistd

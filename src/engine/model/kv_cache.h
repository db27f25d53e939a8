// The attention keys and values of one sequence, kept in float for every layer and position.
#pragma once

#include <cstdint>
#include <vector>

namespace assistd {

class KvCache {
  public:
    KvCache(int64_t n_layer, int64_t n_ctx, int64_t n_embd_kv)
        : n_ctx_(n_ctx),
          n_embd_kv_(n_embd_kv),
          k_(static_cast<size_t>(n_layer * n_ctx * n_embd_kv)),
          v_(k_.size()) {}

    int64_t n_ctx() const { return n_ctx_; }

    // Key and value rows of `layer` at `pos`: (n_head_kv * head_dim) floats each.
    float* key(int64_t layer, int64_t pos) { return &k_[offset(layer, pos)]; }
    float* value(int64_t layer, int64_t pos) { return &v_[offset(layer, pos)]; }

  private:
    size_t offset(int64_t layer, int64_t pos) const {
        return static_cast<size_t>((layer * n_ctx_ + pos) * n_embd_kv_);
    }

    int64_t n_ctx_;
    int64_t n_embd_kv_;
    std::vector<float> k_;  // (n_layer, n_ctx, n_embd_kv)
    std::vector<float> v_;  // (n_layer, n_ctx, n_embd_kv)
};

}  // namespace assistd

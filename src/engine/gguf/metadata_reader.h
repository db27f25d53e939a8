// Reads the key/value section of a GGUF file: keys, value types, scalars, strings and arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/gguf/byte_reader.h"
#include "engine/gguf/gguf_file.h"

namespace assistd::gguf {

// The smallest key/value on disk: key length, an empty key, value type, a 1-byte scalar.
inline constexpr size_t kMinKeyValueBytes = 8 + 4 + 1;

// Reads `n_kv` key/values at the reader's offset into `entries`, indexing them by key in `index`.
// Duplicate keys, unknown value types and arrays of arrays are errors.
Result<void> read_metadata(ByteReader& reader, uint64_t n_kv, std::vector<KeyValue>& entries,
                           std::unordered_map<std::string_view, size_t>& index);

}  // namespace assistd::gguf

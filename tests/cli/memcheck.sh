#!/usr/bin/env bash
# Runs `assistd run` and `assistd tokenize` on the small models under valgrind's memcheck and
# fails on any invalid access or leak.  Usage: memcheck.sh ASSISTD_BINARY SHARED_DIR
set -euo pipefail
assistd=$1
models=$2/models
memcheck=(valgrind --quiet --error-exitcode=1 --leak-check=full
          --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect)

"${memcheck[@]}" "$assistd" run -m "$models/llm/stories260K.gguf" -p "Once upon a time" -n 24 \
    --temp 0.8 --seed 7 -t 2 >/dev/null
"${memcheck[@]}" "$assistd" run -m "$models/llm/TinyStories-656K-Q8_0.gguf" -p "Lily" -n 8 \
    --temp 0 -t 2 >/dev/null
"${memcheck[@]}" "$assistd" run -m "$models/llm/llama-2-tiny-random.gguf" -p "Hi" -n 4 \
    -t 2 >/dev/null
for vocab in qwen2 llama-spm bert-bge; do
    printf '你好，世界! Hello   world\n\tcode() 🙂‍↔️ %s' "$vocab" |
        "${memcheck[@]}" "$assistd" tokenize -m "$models/vocab/ggml-vocab-$vocab.gguf" >/dev/null
done
echo "memcheck: no errors"

// Writes the GGUF fuzz seed corpus: gguf_fuzz_seeds OUT_DIR [MODEL.gguf...]
// The seeds are the same ones gguf_corpus_test mutates (engine/gguf/gguf_test_files.h).
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "engine/gguf/gguf_test_files.h"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR [MODEL.gguf...]\n", argv[0]);
        return 2;
    }
    const std::filesystem::path out = argv[1];
    std::filesystem::create_directories(out);
    const std::vector<std::filesystem::path> models(argv + 2, argv + argc);
    const auto seeds = assistd::gguf::testing::seed_files(models);
    for (size_t i = 0; i < seeds.size(); ++i) {
        std::ofstream file(out / ("seed-" + std::to_string(i) + ".gguf"), std::ios::binary);
        file.write(reinterpret_cast<const char*>(seeds[i].data()),
                   static_cast<std::streamsize>(seeds[i].size()));
        if (!file) {
            std::fprintf(stderr, "cannot write seed %zu to %s\n", i, out.c_str());
            return 1;
        }
    }
    std::printf("wrote %zu seeds to %s\n", seeds.size(), out.c_str());
    return 0;
}

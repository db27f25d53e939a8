// SHA-256 as lowercase hex, of a byte stream fed in pieces or of a file: the model registry names
// each version by it, backups check every file with it.
#pragma once

#include <openssl/evp.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace assistd::store {

class Sha256 {
  public:
    Sha256();
    void update(std::string_view bytes);
    // The digest of everything fed so far; the object is spent afterwards.
    std::string hex_digest();

  private:
    struct Freer {
        void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
    };
    std::unique_ptr<EVP_MD_CTX, Freer> context_;
};

Result<std::string> sha256_of_file(const std::filesystem::path& path);

}  // namespace assistd::store

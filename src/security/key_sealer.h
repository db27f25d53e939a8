// KeySealer: seals the secrets that must be recoverable (the SecretKey of a SecretId pair, which
// the server needs in the clear to check an HMAC) so the database only ever holds ciphertext.
//
// The local implementation is a libsodium secretbox under a master key from a file or the
// environment; a cloud KMS client (encrypt/decrypt under a KMS key id) fills the same interface.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace assistd::security {

class KeySealer {
  public:
    virtual ~KeySealer() = default;
    virtual std::string seal(std::string_view plaintext) const = 0;
    // Error when `sealed` was tampered with or sealed under another key.
    virtual Result<std::string> open(std::string_view sealed) const = 0;
};

// crypto_secretbox (XSalsa20-Poly1305) with a fresh random nonce stored in front of each box.
class SecretboxSealer final : public KeySealer {
  public:
    // `key`: crypto_secretbox_KEYBYTES (32) bytes.
    explicit SecretboxSealer(std::string key);
    ~SecretboxSealer() override;
    std::string seal(std::string_view plaintext) const override;
    Result<std::string> open(std::string_view sealed) const override;

  private:
    std::string key_{};
};

struct MasterKeySource {
    std::string file{};         // auth.master_key_file
    std::string environment{};  // the value of ASSISTD_MASTER_KEY, "" when unset
};

// The master key as 64 hex digits, from the environment when set, else from the file; a missing
// file is created (mode 0600) with a new random key, so a first start needs no setup — and the
// operator is told to back that file up, since sealed secrets die with it.
Result<std::unique_ptr<KeySealer>> load_master_key(const MasterKeySource& source);

}  // namespace assistd::security

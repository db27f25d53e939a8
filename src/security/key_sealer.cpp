#include "security/key_sealer.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "security/secret_text.h"

namespace assistd::security {

SecretboxSealer::SecretboxSealer(std::string key) : key_(std::move(key)) {}

SecretboxSealer::~SecretboxSealer() { sodium_memzero(key_.data(), key_.size()); }

std::string SecretboxSealer::seal(std::string_view plaintext) const {
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plaintext.data()),
                          plaintext.size(), nonce,
                          reinterpret_cast<const unsigned char*>(key_.data()));
    return box;
}

Result<std::string> SecretboxSealer::open(std::string_view sealed) const {
    constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    if (sealed.size() < kOverhead) return Error{"sealed secret is truncated"};
    std::string plain(sealed.size() - kOverhead, '\0');
    const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   nonce + crypto_secretbox_NONCEBYTES,
                                   sealed.size() - crypto_secretbox_NONCEBYTES, nonce,
                                   reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
        return Error{"sealed secret does not open under this master key"};
    }
    return plain;
}

namespace {

Result<std::unique_ptr<KeySealer>> sealer_from_hex(std::string_view hex, const std::string& where) {
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) {
        hex.remove_suffix(1);
    }
    Result<std::string> key = from_hex(hex);
    if (!key || key->size() != crypto_secretbox_KEYBYTES) {
        return Error{where + ": expected a master key of " +
                     std::to_string(2 * crypto_secretbox_KEYBYTES) + " hex digits"};
    }
    return std::unique_ptr<KeySealer>(std::make_unique<SecretboxSealer>(std::move(*key)));
}

Result<void> create_key_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return {};  // another process created it first: use theirs
        return Error{path + ": cannot create the master key file"};
    }
    const std::string hex = to_hex(random_bytes(crypto_secretbox_KEYBYTES)) + "\n";
    const bool written = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
    ::close(fd);
    if (!written) return Error{path + ": cannot write the master key file"};
    return {};
}

}  // namespace

Result<std::unique_ptr<KeySealer>> load_master_key(const MasterKeySource& source) {
    if (sodium_init() < 0) return Error{"libsodium failed to initialise"};
    if (!source.environment.empty()) return sealer_from_hex(source.environment, "ASSISTD_MASTER_KEY");
    if (auto created = create_key_file(source.file); !created) return created.error();
    std::ifstream file(source.file);
    std::stringstream text;
    text << file.rdbuf();
    if (!file) return Error{source.file + ": cannot read the master key file"};
    return sealer_from_hex(text.str(), source.file);
}

}  // namespace assistd::security

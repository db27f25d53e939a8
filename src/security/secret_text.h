// Random secrets and their text forms, and the one-way hash that verifies bearer secrets.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace assistd::security {

std::string random_bytes(size_t count);  // from the OS CSPRNG (libsodium randombytes)
std::string to_hex(std::string_view bytes);
Result<std::string> from_hex(std::string_view hex);

// BLAKE2b-256 of `secret` keyed with a per-credential random `salt`. A password hash
// (crypto_pwhash) would cost ~100 ms and 64 MiB on every request for nothing: bearer secrets are
// 256 random bits, so nobody can guess one however fast the hash is; what the hash must do is be
// one-way (a stolen database yields no usable key) and quick, which keyed BLAKE2b is.
std::string hash_secret(std::string_view salt, std::string_view secret);

// Constant-time: how long a comparison takes says nothing about where two secrets differ.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace assistd::security

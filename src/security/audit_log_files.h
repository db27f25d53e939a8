// The files of one audit log: the active file PATH and the files rotated out of it, PATH.000001,
// PATH.000002, ... (numbered in the order they were rotated, so a listing sorts them). Read in
// that order — rotated files by number, then PATH — the lines form one hash chain.
#pragma once

#include <string>
#include <vector>

namespace assistd::security {

// Oldest first, PATH last (whether or not it exists yet).
std::vector<std::string> audit_log_files(const std::string& path);

// The name the active file takes when it is rotated now: one number past the highest there.
std::string next_rotated_audit_file(const std::string& path);

}  // namespace assistd::security

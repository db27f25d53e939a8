#include "security/audit_log.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "support/temp_dir.h"

namespace assistd::security {
namespace {

using testing::TempDir;

std::vector<std::string> lines_of(const std::string& path) {
    std::ifstream file(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(file, line);) lines.push_back(line);
    return lines;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
    std::ofstream file(path, std::ios::trunc);
    for (const auto& line : lines) file << line << '\n';
}

void append_three(const std::string& path) {
    auto log = AuditLog::open(path);
    ASSERT_TRUE(log) << log.error().message;
    for (int status : {200, 401, 403}) {
        (*log)->append({.time_ms = 1, .credential = "ak_1", .route = "/v1/models", .status = status});
    }
}

TEST(AuditLog, TheChainHoldsAcrossReopening) {
    TempDir dir;
    const std::string path = dir.file("audit.log");
    append_three(path);
    append_three(path);
    auto verified = verify_audit_log(path);
    ASSERT_TRUE(verified) << verified.error().message;
    EXPECT_EQ(*verified, 6u);
}

TEST(AuditLog, AnEditedOrDeletedLineBreaksTheChainAtTheNext) {
    TempDir dir;
    const std::string path = dir.file("audit.log");
    append_three(path);
    const std::vector<std::string> lines = lines_of(path);
    ASSERT_EQ(lines.size(), 3u);

    std::vector<std::string> edited = lines;
    edited[0].replace(edited[0].find(R"("status":200)"), 12, R"("status":204)");
    write_lines(path, edited);
    auto broken = verify_audit_log(path);
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find(":2:"), std::string::npos) << broken.error().message;

    write_lines(path, {lines[0], lines[2]});
    EXPECT_FALSE(verify_audit_log(path));
    write_lines(path, {lines[1], lines[2]});
    EXPECT_FALSE(verify_audit_log(path));
}

}  // namespace
}  // namespace assistd::security

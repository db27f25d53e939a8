// `assistd doctor -c FILE` as an operator runs it: one line per check, exit 0 without a failure.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/shared_data.h"

namespace {

namespace fs = std::filesystem;

struct Ran {
    int exit_code;
    std::string out;
};

// Runs `assistd doctor -c <dir>/assistd.yaml` with `yaml` written there first.
Ran doctor(const fs::path& dir, const std::string& yaml) {
    std::ofstream(dir / "assistd.yaml") << yaml;
    const std::string command =
        std::string(ASSISTD_BINARY) + " doctor -c " + (dir / "assistd.yaml").string() + " 2>&1";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    std::string out;
    char buffer[4096];
    for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
    const int status = ::pclose(pipe);
    return {WEXITSTATUS(status), out};
}

class DoctorCommand : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "assistd-doctor-XXXXXX").string();
        dir_ = ::mkdtemp(pattern.data());
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string config(const fs::path& model) const {
        return "service:\n  port: 0\nmodel:\n  path: " + model.string() +
               "\nstorage:\n  data_dir: " + (dir_ / "data").string() + "\n";
    }

    fs::path dir_;
};

TEST_F(DoctorCommand, ValidSetupExitsZeroWithALinePerCheck) {
    const Ran ran =
        doctor(dir_, config(assistd::testing::shared_path("models/llm/stories260K.gguf")));
    EXPECT_EQ(ran.exit_code, 0) << ran.out;
    for (const char* check :
         {"config", "model", "memory", "cpu", "port", "exposure", "tls", "data_dir", "redis"}) {
        EXPECT_NE(ran.out.find(std::string(check) + ": "), std::string::npos) << check << "\n"
                                                                              << ran.out;
    }
    EXPECT_EQ(ran.out.find("fail  "), std::string::npos) << ran.out;
}

TEST_F(DoctorCommand, CorruptModelFailsWithFix) {
    std::ofstream(dir_ / "broken.gguf") << "not a gguf file at all";
    const Ran ran = doctor(dir_, config(dir_ / "broken.gguf"));
    EXPECT_EQ(ran.exit_code, 1) << ran.out;
    EXPECT_NE(ran.out.find("fail  model: "), std::string::npos) << ran.out;
    EXPECT_NE(ran.out.find("      fix: "), std::string::npos) << ran.out;
}

TEST_F(DoctorCommand, InvalidConfigFailsNamingTheKey) {
    const Ran ran = doctor(dir_, "service:\n  port: 70000\n");
    EXPECT_EQ(ran.exit_code, 1) << ran.out;
    EXPECT_NE(ran.out.find("fail  config: "), std::string::npos) << ran.out;
    EXPECT_NE(ran.out.find("service.port"), std::string::npos) << ran.out;
}

}  // namespace

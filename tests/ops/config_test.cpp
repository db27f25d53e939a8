#include "ops/config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace assistd::ops {
namespace {

Config parse_ok(const std::string& yaml) {
    Result<Config> config = parse_config_yaml(yaml, "test.yaml");
    EXPECT_TRUE(config.ok()) << config.error().message;
    return config ? *config : Config{};
}

std::string parse_error(const std::string& yaml) {
    Result<Config> config = parse_config_yaml(yaml, "test.yaml");
    EXPECT_FALSE(config.ok()) << yaml;
    return config ? "" : config.error().message;
}

std::string load_error(const ConfigSources& sources) {
    Result<Config> config = load_config(sources);
    EXPECT_FALSE(config.ok());
    return config ? "" : config.error().message;
}

TEST(Config, ShippedFileEqualsTheBuiltInDefaults) {
    Result<Config> config = load_config({.file = ASSISTD_DEFAULT_CONFIG});
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(*config, Config{});
}

TEST(Config, NoFileAndEmptyFileGiveTheDefaults) {
    Result<Config> config = load_config({});
    ASSERT_TRUE(config.ok());
    EXPECT_EQ(*config, Config{});
    EXPECT_EQ(parse_ok(""), Config{});
    EXPECT_EQ(parse_ok("# only a comment\n"), Config{});
    EXPECT_EQ(parse_ok("model:\n"), Config{});
}

TEST(Config, SeedExampleWorksAsWritten) {
    Config config = parse_ok(
        "service:\n"
        "  port: 8080\n"
        "  workers: 4\n"
        "model:\n"
        "  path: /opt/models/model.gguf\n"
        "  max_batch_size: 32\n");
    EXPECT_EQ(config.service.port, 8080);
    EXPECT_EQ(config.service.workers, 4);
    EXPECT_EQ(config.model.path, "/opt/models/model.gguf");
    EXPECT_EQ(config.model.max_batch_size, 32);
    EXPECT_EQ(config.service.host, "127.0.0.1");
    EXPECT_EQ(served_model_id(config.model), "model");
}

TEST(Config, FlowStyleAndEveryKind) {
    Config config = parse_ok(
        "service: {host: 0.0.0.0, port: 9000, read_timeout_seconds: 2.5}\n"
        "model: {mmap: true, id: 'qwen2'}\n"
        "logging: {level: debug}\n");
    EXPECT_EQ(config.service.host, "0.0.0.0");
    EXPECT_EQ(config.service.port, 9000);
    EXPECT_DOUBLE_EQ(config.service.read_timeout_seconds, 2.5);
    EXPECT_TRUE(config.model.mmap);
    EXPECT_EQ(config.model.id, "qwen2");
    EXPECT_EQ(config.logging.level, "debug");
}

TEST(Config, UnknownKeyNamesTheDottedKeyAndLine) {
    std::string error = parse_error("service:\n  port: 8080\n  prot: 9000\n");
    EXPECT_NE(error.find("test.yaml:3"), std::string::npos) << error;
    EXPECT_NE(error.find("service.prot"), std::string::npos) << error;
    EXPECT_NE(error.find("port"), std::string::npos) << error;  // lists the known keys
}

TEST(Config, NestedMappingsHoldDottedKeys) {
    Config config = parse_ok(
        "service:\n  tls:\n    cert: /etc/c.pem\n    key: /etc/k.pem\n    min_version: \"1.2\"\n"
        "alerts:\n  rules:\n    auth_failures:\n      count: 3\n");
    EXPECT_EQ(config.service.tls_cert, "/etc/c.pem");
    EXPECT_EQ(config.service.tls_key, "/etc/k.pem");
    EXPECT_EQ(config.service.tls_min_version, "1.2");
    EXPECT_EQ(config.alerts.auth_failures_count, 3);
    EXPECT_NE(parse_error("service:\n  tls:\n    certificate: x\n")
                  .find("test.yaml:3: unknown key 'service.tls.certificate'"),
              std::string::npos);
    EXPECT_NE(parse_error("service:\n  tls: yes\n")
                  .find("test.yaml:2: service.tls: expected a mapping of keys, got a string"),
              std::string::npos);
    EXPECT_NE(parse_error("service:\n  tls:\n    min_version: \"1.1\"\n")
                  .find("service.tls.min_version: expected \"1.3\" or \"1.2\", got '1.1'"),
              std::string::npos);

    Config from_environment;
    ASSERT_TRUE(
        apply_environment(from_environment, {{"ASSISTD_SERVICE_TLS_CERT", "/c.pem"},
                                             {"ASSISTD_ALERTS_RULES_ERROR_RATE_RATIO", "0.25"}}));
    EXPECT_EQ(from_environment.service.tls_cert, "/c.pem");
    EXPECT_EQ(from_environment.alerts.error_rate_ratio, 0.25);
}

TEST(Config, UnknownSectionNamesTheLine) {
    std::string error = parse_error("service:\n  port: 1\nserver:\n  port: 2\n");
    EXPECT_NE(error.find("test.yaml:3"), std::string::npos) << error;
    EXPECT_NE(error.find("'server'"), std::string::npos) << error;
}

TEST(Config, WrongTypesNameTheKeyAndLine) {
    struct Case {
        const char* yaml;
        const char* expected;
    };
    const Case cases[] = {
        {"service:\n  port: abc\n", "test.yaml:2: service.port: expected an integer"},
        {"service:\n  port: \"8080\"\n", "test.yaml:2: service.port: expected an integer"},
        {"service:\n  port: [1, 2]\n", "service.port: expected an integer, got a list"},
        {"service:\n  port: 80.5\n", "service.port: expected an integer"},
        {"model:\n  mmap: yes\n", "test.yaml:2: model.mmap: expected true or false"},
        {"model:\n  path: {a: 1}\n", "model.path: expected a string, got a mapping"},
        {"model:\n  path:\n", "model.path: expected a string, got nothing"},
        {"service:\n  read_timeout_seconds: soon\n", "service.read_timeout_seconds"},
        {"service: 8080\n", "test.yaml:1: service: expected a mapping"},
        {"- service\n", "expected a mapping of sections"},
        {"logging:\n  level: loud\n", "logging.level: expected one of trace"},
        {"service:\n  host: ''\n", "service.host: expected a non-empty string"},
    };
    for (const Case& test : cases) {
        std::string error = parse_error(test.yaml);
        EXPECT_NE(error.find(test.expected), std::string::npos) << test.yaml << " → " << error;
    }
}

TEST(Config, RangesAreChecked) {
    EXPECT_NE(parse_error("service:\n  port: 70000\n")
                  .find("service.port: expected an integer from 0 to 65535, got 70000"),
              std::string::npos);
    EXPECT_NE(parse_error("service:\n  port: -1\n").find("service.port"), std::string::npos);
    EXPECT_NE(parse_error("service:\n  workers: 0\n").find("service.workers"), std::string::npos);
    EXPECT_NE(parse_error("model:\n  max_n: 1000\n").find("model.max_n"), std::string::npos);
    EXPECT_NE(parse_error("service:\n  max_body_bytes: 99999999999999999999\n")
                  .find("service.max_body_bytes"),
              std::string::npos);
    EXPECT_NE(parse_error("service:\n  idle_timeout_seconds: .nan\n").find("idle_timeout"),
              std::string::npos);
    EXPECT_EQ(parse_ok("service:\n  port: 0\n").service.port, 0);  // any free port
}

TEST(Config, DuplicateKeysAreErrors) {
    std::string error = parse_error("service:\n  port: 1\n  port: 2\n");
    EXPECT_NE(error.find("test.yaml:3: service.port is given twice (first on line 2)"),
              std::string::npos)
        << error;
    EXPECT_NE(parse_error("model: {}\nmodel: {}\n").find("given twice"), std::string::npos);
}

TEST(Config, SyntaxErrorsNameTheLine) {
    std::string error = parse_error("service:\n  port: 8080\n  host: [unclosed\n");
    EXPECT_NE(error.find("test.yaml:"), std::string::npos) << error;
}

TEST(Config, MissingFileIsAnError) {
    std::string error = load_error({.file = "/nonexistent/assistd.yaml"});
    EXPECT_NE(error.find("cannot read config file '/nonexistent/assistd.yaml'"), std::string::npos)
        << error;
}

TEST(Config, EnvironmentOverridesKeysTyped) {
    Config config;
    ASSERT_TRUE(apply_environment(config, {{"ASSISTD_SERVICE_PORT", "9000"},
                                           {"ASSISTD_MODEL_MAX_BATCH_SIZE", "8"},
                                           {"ASSISTD_MODEL_MMAP", "true"},
                                           {"ASSISTD_LOGGING_LEVEL", "warn"}})
                    .ok());
    EXPECT_EQ(config.service.port, 9000);
    EXPECT_EQ(config.model.max_batch_size, 8);
    EXPECT_TRUE(config.model.mmap);
    EXPECT_EQ(config.logging.level, "warn");
}

TEST(Config, EnvironmentErrorsNameTheVariableAndKey) {
    Config config;
    Result<void> bad = apply_environment(config, {{"ASSISTD_SERVICE_PORT", "http"}});
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("ASSISTD_SERVICE_PORT (service.port): expected an integer"),
              std::string::npos)
        << bad.error().message;

    Result<void> typo = apply_environment(config, {{"ASSISTD_SERVICE_PROT", "1"}});
    ASSERT_FALSE(typo.ok());
    EXPECT_NE(typo.error().message.find("no key service.prot"), std::string::npos);
}

TEST(Config, UnrelatedAssistdVariablesAreIgnored) {
    Config config;
    EXPECT_TRUE(
        apply_environment(
            config, {{"ASSISTD_BINARY", "/x"}, {"ASSISTD_SHARED_DIR", "/y"}, {"PATH", "/bin"}})
            .ok());
    EXPECT_EQ(config, Config{});
}

TEST(Config, LayersApplyInOrderFileEnvironmentCommandLine) {
    std::filesystem::path file = std::filesystem::temp_directory_path() / "assistd_layers.yaml";
    std::ofstream(file) << "service:\n  port: 7000\n  host: 10.0.0.1\n  workers: 2\n";
    Result<Config> config = load_config(
        {.file = file.string(),
         .environment = {{"ASSISTD_SERVICE_PORT", "7001"}, {"ASSISTD_SERVICE_HOST", "10.0.0.2"}},
         .command_line = {.port = "7002", .model = "/m.gguf"}});
    std::filesystem::remove(file);
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->service.workers, 2);        // file
    EXPECT_EQ(config->service.host, "10.0.0.2");  // environment over file
    EXPECT_EQ(config->service.port, 7002);        // flag over environment
    EXPECT_EQ(config->model.path, "/m.gguf");
}

TEST(Config, CommandLineErrorsNameTheFlag) {
    std::string error = load_error({.command_line = {.port = "99999"}});
    EXPECT_NE(error.find("--port (service.port): expected an integer from 0 to 65535"),
              std::string::npos)
        << error;
    EXPECT_NE(load_error({.command_line = {.host = ""}}).find("--host (service.host)"),
              std::string::npos);
}

TEST(Config, ValidateChecksRelationsBetweenKeys) {
    std::string error = load_error({.environment = {{"ASSISTD_MODEL_DEFAULT_MAX_TOKENS", "5000"},
                                                    {"ASSISTD_MODEL_MAX_TOKENS_LIMIT", "100"}}});
    EXPECT_NE(error.find("model.default_max_tokens (5000) exceeds model.max_tokens_limit (100)"),
              std::string::npos)
        << error;
}

TEST(Config, ServedModelId) {
    EXPECT_EQ(served_model_id({}), "builtin-tiny");
    EXPECT_EQ(served_model_id({.path = "/models/stories260K.gguf"}), "stories260K");
    EXPECT_EQ(served_model_id({.path = "/models/weights.bin"}), "weights.bin");
    EXPECT_EQ(served_model_id({.path = "/models/a.gguf", .id = "mine"}), "mine");
}

TEST(Config, CheckConfigSummarizesOrNamesTheProblem) {
    Result<std::string> summary = check_config({});
    ASSERT_TRUE(summary.ok()) << summary.error().message;
    EXPECT_NE(summary->find("served as 'builtin-tiny'"), std::string::npos) << *summary;
    EXPECT_NE(summary->find("service.port: 8080\n"), std::string::npos) << *summary;
    EXPECT_NE(summary->find("service.host: \"127.0.0.1\"\n"), std::string::npos) << *summary;
    EXPECT_NE(summary->find("service.read_timeout_seconds: 30\n"), std::string::npos);

    Result<std::string> missing = check_config({.command_line = {.model = "/no/such.gguf"}});
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("model.path: '/no/such.gguf' is not a file"),
              std::string::npos)
        << missing.error().message;

    std::filesystem::path model = std::filesystem::temp_directory_path() / "assistd_check.gguf";
    std::ofstream(model) << "GGUF";
    Result<std::string> present = check_config({.command_line = {.model = model.string()}});
    std::filesystem::remove(model);
    ASSERT_TRUE(present.ok()) << present.error().message;
    EXPECT_NE(present->find("served as 'assistd_check'"), std::string::npos);
}

}  // namespace
}  // namespace assistd::ops

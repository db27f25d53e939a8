#include "store/model_registry.h"
#include "store/sha256.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>

#include "support/shared_data.h"
#include "support/temp_dir.h"

namespace assistd::store {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

constexpr int64_t kNow = 1'700'000'000;

class ModelRegistryTest : public ::testing::Test {
  protected:
    void SetUp() override { registry.emplace(ModelRegistry::open(dir.file("data")).value()); }

    ModelManifest import(const std::string& name, std::optional<std::string> version = {}) {
        Result<ModelManifest> imported = registry->import(name, stories, version, kNow);
        EXPECT_TRUE(imported) << (imported ? "" : imported.error().message);
        return imported ? *imported : ModelManifest{};
    }

    std::string active(const std::string& name) {
        const std::vector<RegisteredModel> models = registry->list().value();
        for (const RegisteredModel& model : models) {
            if (model.name == name) return model.active_version.value_or("");
        }
        return "";
    }

    // A copy of the model cut to `bytes` bytes: a header that promises tensors the file lacks.
    fs::path truncated_copy(uintmax_t bytes) {
        const fs::path copy = dir.path() / "truncated.gguf";
        fs::copy_file(stories, copy);
        fs::resize_file(copy, bytes);
        return copy;
    }

    TempDir dir;
    fs::path stories = testing::shared_path("models/llm/stories260K.gguf");
    std::optional<ModelRegistry> registry;
};

TEST_F(ModelRegistryTest, ImportRecordsTheDigestAndDescribesTheFile) {
    const ModelManifest manifest = import("stories");
    EXPECT_EQ(manifest.version, "1");
    EXPECT_EQ(manifest.sha256, sha256_of_file(stories).value());
    EXPECT_EQ(manifest.sha256.size(), 64u);
    EXPECT_EQ(manifest.size_bytes, static_cast<int64_t>(fs::file_size(stories)));
    EXPECT_EQ(manifest.architecture, "llama");
    EXPECT_GT(manifest.context_length, 0);
    EXPECT_EQ(manifest.imported_at, kNow);
    EXPECT_EQ(manifest.source, fs::canonical(stories).string());

    const fs::path version = dir.path() / "data/models/stories/1";
    EXPECT_EQ(sha256_of_file(version / "model.gguf").value(), manifest.sha256);
    std::ifstream json(version / "manifest.json");
    const std::string text((std::istreambuf_iterator<char>(json)), {});
    EXPECT_EQ(text, manifest_json(manifest));
    struct stat info {};
    ASSERT_EQ(::stat((version / "model.gguf").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0222, 0u) << "an imported version is read-only";
    EXPECT_TRUE(fs::exists(dir.path() / "data/registry.db"));
}

TEST_F(ModelRegistryTest, AReadOnlyFileIsLinkedAWritableOneCopiedAndLeftAsItWas) {
    const fs::path writable = dir.path() / "writable.gguf";
    fs::copy_file(stories, writable);
    fs::permissions(writable, fs::perms::owner_read | fs::perms::owner_write);
    const fs::path read_only = dir.path() / "read-only.gguf";
    fs::copy_file(stories, read_only);
    fs::permissions(read_only, fs::perms::owner_read);
    ASSERT_TRUE(registry->import("stories", writable, "copied", kNow));
    ASSERT_TRUE(registry->import("stories", read_only, "linked", kNow));

    EXPECT_EQ(fs::status(writable).permissions(), fs::perms::owner_read | fs::perms::owner_write)
        << "the operator's file keeps its mode";
    EXPECT_EQ(fs::hard_link_count(writable), 1u);
    const fs::path copy = dir.path() / "data/models/stories/copied/model.gguf";
    EXPECT_EQ(fs::hard_link_count(copy), 1u);
    EXPECT_EQ(fs::status(copy).permissions() & fs::perms::owner_write, fs::perms::none);
    EXPECT_EQ(fs::hard_link_count(read_only), 2u);
}

TEST_F(ModelRegistryTest, VersionsDefaultToTheNextIntegerAndAreImmutable) {
    import("stories");
    import("stories", "7");
    import("stories", "beta.1");
    EXPECT_EQ(import("stories").version, "8");
    Result<ModelManifest> again = registry->import("stories", stories, "7", kNow);
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().message.find("already exists"), std::string::npos);
    const auto versions = registry->list().value().front().versions;
    ASSERT_EQ(versions.size(), 4u);
    EXPECT_EQ(versions[3].version, "8");
}

TEST_F(ModelRegistryTest, BadNamesAndVersionsAreRefusedBeforeAnythingIsWritten) {
    const std::vector<std::string> names = {"../x", "a/b", "..",   ".hidden",           "",
                                            "a b",  "x:1", "a\\b", std::string(65, 'n')};
    for (const std::string& name : names) {
        Result<ModelManifest> imported = registry->import(name, stories, std::nullopt, kNow);
        EXPECT_FALSE(imported) << name;
    }
    for (const std::string version : {"../1", "1/2", "..", ".1", ""}) {
        EXPECT_FALSE(registry->import("stories", stories, version, kNow)) << version;
    }
    EXPECT_TRUE(registry->list().value().empty());
    EXPECT_FALSE(fs::exists(dir.path() / "x"));
    EXPECT_TRUE(validate_registry_name("Qwen2.5-0.5B_instruct", "name"));
}

TEST_F(ModelRegistryTest, CorruptedOrMissingFilesAreRefusedAndLeaveNoTrace) {
    const fs::path text = dir.path() / "notes.gguf";
    std::ofstream(text) << "not a model";
    for (const fs::path& bad :
         {text, truncated_copy(fs::file_size(stories) / 2), dir.path() / "missing.gguf"}) {
        Result<ModelManifest> imported = registry->import("stories", bad, std::nullopt, kNow);
        ASSERT_FALSE(imported) << bad;
        EXPECT_NE(imported.error().message.find(bad.filename().string()), std::string::npos)
            << imported.error().message;
    }
    EXPECT_TRUE(registry->list().value().empty());
    const fs::path models = dir.path() / "data/models/stories";
    EXPECT_TRUE(!fs::exists(models) || fs::is_empty(models)) << "no staging directory is left";
}

TEST_F(ModelRegistryTest, ActivateRollbackAndHistory) {
    import("stories");
    import("stories");
    import("stories");
    EXPECT_EQ(active("stories"), "") << "the specific policy activates nothing by itself";
    const int64_t before = registry->generation().value();
    ASSERT_TRUE(registry->activate("stories", "1", kNow));
    EXPECT_GT(registry->generation().value(), before);
    ASSERT_TRUE(registry->activate("stories", "2", kNow));
    ASSERT_TRUE(registry->activate("stories", "3", kNow));
    EXPECT_EQ(registry->rollback("stories", kNow).value(), "2");
    EXPECT_EQ(registry->rollback("stories", kNow).value(), "1");
    EXPECT_EQ(active("stories"), "1");
    EXPECT_FALSE(registry->rollback("stories", kNow)) << "nothing was active before 1";
    EXPECT_FALSE(registry->activate("stories", "9", kNow));
    EXPECT_FALSE(registry->activate("other", "1", kNow));

    const std::vector<Activation> history = registry->history("stories").value();
    ASSERT_EQ(history.size(), 5u);
    EXPECT_EQ(history[3].action, "rollback");
    EXPECT_EQ(history[3].version, "2");
    EXPECT_EQ(history[4].version, "1");
}

TEST_F(ModelRegistryTest, RollbackSkipsRemovedVersions) {
    import("stories");
    import("stories");
    import("stories");
    for (const char* version : {"1", "2", "3"})
        ASSERT_TRUE(registry->activate("stories", version, kNow));
    ASSERT_TRUE(registry->remove("stories", "2"));
    EXPECT_EQ(registry->rollback("stories", kNow).value(), "1");
}

TEST_F(ModelRegistryTest, RemoveRefusesTheActiveVersionAndDeletesOthers) {
    import("stories");
    import("stories");
    ASSERT_TRUE(registry->activate("stories", "2", kNow));
    Result<void> refused = registry->remove("stories", "2");
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("active"), std::string::npos);
    ASSERT_TRUE(registry->remove("stories", "1"));
    EXPECT_FALSE(fs::exists(dir.path() / "data/models/stories/1"));
    EXPECT_TRUE(fs::exists(dir.path() / "data/models/stories/2/model.gguf"));
    EXPECT_FALSE(registry->remove("stories", "1"));
    ASSERT_EQ(registry->active().value().size(), 1u);
    EXPECT_EQ(registry->active().value()[0].manifest.version, "2");
}

TEST_F(ModelRegistryTest, TheLatestPolicyActivatesEachImport) {
    import("stories");
    ASSERT_TRUE(registry->set_policy("stories", VersionPolicy::Latest));
    import("stories");
    EXPECT_EQ(active("stories"), "2");
    EXPECT_EQ(registry->list().value().front().policy, VersionPolicy::Latest);
    EXPECT_FALSE(parse_policy("newest"));
}

TEST_F(ModelRegistryTest, AnotherConnectionSeesChangesAndTheGeneration) {
    import("stories");
    ModelRegistry other = ModelRegistry::open(dir.file("data")).value();
    const int64_t seen = other.generation().value();
    ASSERT_TRUE(registry->activate("stories", "1", kNow));
    EXPECT_GT(other.generation().value(), seen);
    ASSERT_EQ(other.active().value().size(), 1u);
    EXPECT_EQ(other.active().value()[0].file, dir.path() / "data/models/stories/1/model.gguf");
}

}  // namespace
}  // namespace assistd::store

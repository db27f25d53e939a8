// The set of models a server runs: lookups by name and name:version, and versions swapped while
// requests hold the old one.
#include "server/model_set.h"

#include <gtest/gtest.h>

#include "builtin_loader.h"

namespace assistd::server {
namespace {

ModelSource version(const std::string& v) {
    return {.name = "stories", .version = v, .sha256 = "digest-" + v};
}

class ModelSetTest : public ::testing::Test {
  protected:
    ops::MetricsRegistry registry;
    cache::CacheMetrics cache_metrics{registry};
    ModelSet models{load_builtin, nullptr, &cache_metrics};

    std::string served_as(std::string_view requested) {
        auto found = models.find(requested);
        return found ? (*found)->served().answered_as : "refused: " + found.error().code;
    }

    int count() {
        int n = 0;
        models.for_each([&](const LoadedModel&) { ++n; });
        return n;
    }
};

TEST_F(ModelSetTest, ANameIsItsActiveVersionAndNameVersionOnlyThatOne) {
    ASSERT_TRUE(models.add_fixed({.name = "configured"}));
    models.serve_registry({version("1")});
    EXPECT_EQ(served_as("configured"), "configured");
    EXPECT_EQ(served_as("stories"), "stories:1");
    EXPECT_EQ(served_as("stories:1"), "stories:1");
    EXPECT_EQ(served_as("stories:2"), "refused: model_not_found");
    EXPECT_EQ(served_as("other"), "refused: model_not_found");
    std::vector<std::string> ids;
    for (const api::ModelCard& card : models.cards()) ids.push_back(card.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"configured", "stories", "stories:1"}));
}

TEST_F(ModelSetTest, ASwappedOutVersionLivesUntilItsLastRequestEnds) {
    models.serve_registry({version("1")});
    std::shared_ptr<const LoadedModel> in_flight = *models.find("stories");
    std::weak_ptr<const LoadedModel> old = in_flight;

    models.serve_registry({version("2")});
    EXPECT_EQ(served_as("stories"), "stories:2") << "new requests get the new version at once";
    models.release_idle();
    EXPECT_FALSE(old.expired()) << "a request still holds version 1";
    EXPECT_EQ(in_flight->served().answered_as, "stories:1");
    EXPECT_EQ(count(), 2);

    in_flight.reset();
    models.release_idle();
    EXPECT_TRUE(old.expired());
    EXPECT_EQ(count(), 1);
}

TEST_F(ModelSetTest, AnUnchangedVersionIsKeptAndARemovedModelRetired) {
    models.serve_registry({version("1")});
    const LoadedModel* first = models.find("stories")->get();
    models.serve_registry({version("1")});
    EXPECT_EQ(models.find("stories")->get(), first) << "not loaded again";
    models.serve_registry({});
    models.release_idle();
    EXPECT_TRUE(models.empty());
    EXPECT_EQ(served_as("stories"), "refused: model_not_found");
}

TEST_F(ModelSetTest, AVersionThatFailsToLoadLeavesTheOldOneServing) {
    ModelSet failing(
        [](const ModelSource& source) -> Result<PreparedModel> {
            if (source.version == "2") return Error{"broken file"};
            return load_builtin(source);
        },
        nullptr, &cache_metrics);
    failing.serve_registry({version("1")});
    failing.serve_registry({version("2")});
    auto found = failing.find("stories");
    ASSERT_TRUE(found);
    EXPECT_EQ((*found)->served().answered_as, "stories:1");
}

}  // namespace
}  // namespace assistd::server

#include "api/model_cards.h"

#include <nlohmann/json.hpp>

#include "api/json_body.h"

namespace assistd::api {

namespace {

nlohmann::json model_object(const ModelCard& card) {
    return {{"id", card.id},
            {"object", "model"},
            {"created", card.created},
            {"owned_by", "assistd"},
            {"description", card.description}};
}

}  // namespace

std::string builtin_model_description() {
    return "built-in tiny model with random weights, generated in memory: its replies are "
           "gibberish. It exists to check a deployment end to end; set model.path in the "
           "configuration to a GGUF file to serve a real model.";
}

std::string model_list_body(std::span<const ModelCard> models) {
    nlohmann::json data = nlohmann::json::array();
    for (const ModelCard& card : models) data.push_back(model_object(card));
    return dump_json({{"object", "list"}, {"data", std::move(data)}});
}

ApiResult<std::string> model_body(std::span<const ModelCard> models, std::string_view id) {
    for (const ModelCard& card : models) {
        if (card.id == id) return dump_json(model_object(card));
    }
    return model_not_found(id);
}

}  // namespace assistd::api

#include "builtin_loader.h"

#include "engine/model/synthetic_model.h"

namespace assistd::server {

Result<PreparedModel> load_builtin(const ModelSource& source) {
    Result<std::unique_ptr<Model>> model = builtin_tiny_model();
    if (!model) return model.error();
    Result<Tokenizer> tokenizer = Tokenizer::from_gguf((*model)->file());
    if (!tokenizer) return tokenizer.error();
    PreparedModel prepared;
    prepared.model = std::move(*model);
    prepared.tokenizer = std::make_unique<Tokenizer>(std::move(*tokenizer));
    ServedModel& served = prepared.served;
    served.card.id = source.name;
    served.answered_as = source.version.empty() ? source.name : source.name + ":" + source.version;
    served.version = source.sha256;
    served.limits.model_id = source.name;
    served.model = prepared.model.get();
    served.tokenizer = prepared.tokenizer.get();
    prepared.scheduler.threads = 1;
    return prepared;
}

}  // namespace assistd::server

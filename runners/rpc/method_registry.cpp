#include "runners/rpc/method_registry.h"

namespace minerx::rpc {

void MethodRegistry::add(std::string name, Permission required, Handler handler) {
    if (methods_.count(name) != 0) throw std::logic_error("method registered twice: " + name);
    Method method{name, required, std::move(handler)};
    methods_.emplace(std::move(name), std::move(method));
}

const Method* MethodRegistry::find(const std::string& name) const {
    auto it = methods_.find(name);
    return it == methods_.end() ? nullptr : &it->second;
}

std::vector<const Method*> MethodRegistry::methods() const {
    std::vector<const Method*> all;
    for (const auto& [name, method] : methods_) all.push_back(&method);
    return all;
}

}  // namespace minerx::rpc

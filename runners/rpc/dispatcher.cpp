#include "runners/rpc/dispatcher.h"

#include <exception>

namespace minerx::rpc {

Json Dispatcher::call(const Request& request, const Caller& caller) const {
    const Method* method = registry_.find(request.method);
    if (method == nullptr) {
        return make_error_response(request.id, error_code::kMethodNotFound,
                                   "method not found: " + request.method);
    }
    if (!permits(caller.permission, method->required)) {
        // Lotus' wording: "missing permission to invoke 'X' (need 'admin')".
        return make_error_response(
            request.id, error_code::kPermissionDenied,
            "missing permission to invoke '" + request.method + "' (need '" +
                std::string(permission_name(method->required)) + "')",
            Json{{"need", permission_name(method->required)},
                 {"have", permission_name(caller.permission)}});
    }
    try {
        return make_result_response(request.id, method->handler(request.params, caller));
    } catch (const RpcError& error) {
        return make_error_response(request.id, error.code(), error.what(), error.data());
    } catch (const std::exception&) {
        return make_error_response(request.id, error_code::kInternalError, "internal error");
    }
}

std::optional<std::string> Dispatcher::handle(std::string_view body, const Caller& caller) const {
    const ParsedBody parsed = parse_request_body(body, limits_);
    Json responses = Json::array();
    for (const RequestEntry& entry : parsed.entries) {
        if (!entry.request) {
            responses.push_back(entry.error_response);
            continue;
        }
        Json response = call(*entry.request, caller);
        if (!entry.request->notification) responses.push_back(std::move(response));
    }
    if (responses.empty()) return std::nullopt;
    if (!parsed.batch) return to_text(responses.front());
    return to_text(responses);
}

}  // namespace minerx::rpc

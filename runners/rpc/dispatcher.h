#pragma once

// Runs a JSON-RPC body against a method registry on behalf of a caller: parses under limits,
// checks each method's permission, calls its handler, and builds the response (a single object,
// a batch array, or nothing when every request was a notification). Never throws: handler
// exceptions become JSON-RPC errors (RpcError keeps its code; anything else is -32603 without
// internal detail).

#include <optional>
#include <string>
#include <string_view>

#include "runners/rpc/json_rpc.h"
#include "runners/rpc/method_registry.h"
#include "runners/rpc/permission.h"

namespace minerx::rpc {

class Dispatcher {
public:
    explicit Dispatcher(const MethodRegistry& registry, RequestLimits limits = {})
        : registry_(registry), limits_(limits) {}

    // The response text, or nullopt when nothing is to be sent back.
    std::optional<std::string> handle(std::string_view body, const Caller& caller) const;

    // The response object for one well-formed request (also for a notification, whose response
    // the caller then drops).
    Json call(const Request& request, const Caller& caller) const;

    const RequestLimits& limits() const { return limits_; }

private:
    const MethodRegistry& registry_;
    RequestLimits limits_;
};

}  // namespace minerx::rpc

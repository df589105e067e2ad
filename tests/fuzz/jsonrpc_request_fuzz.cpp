// A JSON-RPC request body, as the daemons receive it: parsing and dispatch never throw; every
// body yields either requests or error responses (one per batch element); a single body is
// accepted exactly when an independent reading of the specification accepts it; and whatever the
// dispatcher sends back is JSON-RPC 2.0 (an object with "jsonrpc":"2.0", an id, and exactly one of
// result and error; or a non-empty array of such objects for a batch).

#include <string>

#include "runners/rpc/dispatcher.h"
#include "tests/fuzz/fuzz_target.h"

namespace minerx::fuzz {
const char* const kSeedInputs[] = {
    R"({"jsonrpc":"2.0","id":1,"method":"Fuzz.Add","params":[1,2]})",
    R"({"jsonrpc":"2.0","id":"x","method":"Fuzz.Echo","params":["a",null]})",
    R"({"jsonrpc":"2.0","method":"Fuzz.Echo","params":["notification"]})",
    R"([{"jsonrpc":"2.0","id":1,"method":"Fuzz.Add","params":[1,2]},{"jsonrpc":"2.0","method":"x"},1])",
    R"({"jsonrpc":"2.0","id":null,"method":"Fuzz.Admin"})",
    R"({"jsonrpc":"1.0","id":[1],"method":5,"params":"x"})",
    R"([[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]])",
    R"({"jsonrpc":"2.0","id":1.5e300,"method":"Fuzz.Add","params":{"a":1}})",
    "[]", "{", "\"\\ud800\"", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xc3\x28\"}"};
const std::size_t kSeedInputCount = std::size(kSeedInputs);
}  // namespace minerx::fuzz

namespace {

using minerx::rpc::Json;

const minerx::rpc::RequestLimits kLimits{.max_body_bytes = 4096, .max_depth = 16, .max_batch = 8};

const minerx::rpc::MethodRegistry& registry() {
    static const minerx::rpc::MethodRegistry instance = [] {
        minerx::rpc::MethodRegistry r;
        using minerx::rpc::Caller;
        using minerx::rpc::Permission;
        r.add_typed("Fuzz.Add", Permission::read,
                    [](const Caller&, std::int32_t a, std::int32_t b) { return std::int64_t{a} + b; });
        r.add_typed("Fuzz.Echo", Permission::none,
                    [](const Caller&, const std::string& s, std::optional<std::uint64_t> n) {
                        return Json{{"s", s}, {"n", n.value_or(0)}};
                    });
        r.add_typed("Fuzz.Admin", Permission::admin, [](const Caller&) { return true; });
        return r;
    }();
    return instance;
}

// The specification's request rules, read independently of parse_request_body.
bool reference_accepts(const Json& value) {
    if (!value.is_object()) return false;
    const auto version = value.find("jsonrpc");
    if (version == value.end() || *version != "2.0") return false;
    const auto method = value.find("method");
    if (method == value.end() || !method->is_string()) return false;
    if (value.contains("params") && !value["params"].is_array() && !value["params"].is_object()) return false;
    if (value.contains("id") && !value["id"].is_string() && !value["id"].is_number() && !value["id"].is_null()) {
        return false;
    }
    return true;
}

bool is_response(const Json& value) {
    return value.is_object() && value.value("jsonrpc", "") == "2.0" && value.contains("id") &&
           (value.contains("result") != value.contains("error")) &&
           (!value.contains("error") || (value["error"].is_object() && value["error"]["code"].is_number_integer() &&
                                         value["error"]["message"].is_string()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    const minerx::rpc::ParsedBody parsed = minerx::rpc::parse_request_body(body, kLimits);
    FUZZ_REQUIRE(!parsed.entries.empty(), body);
    FUZZ_REQUIRE(parsed.entries.size() <= kLimits.max_batch, body);
    FUZZ_REQUIRE(parsed.batch || parsed.entries.size() == 1, body);
    for (const auto& entry : parsed.entries) {
        FUZZ_REQUIRE(entry.request.has_value() == entry.error_response.is_null(), body);
        if (!entry.request) FUZZ_REQUIRE(is_response(entry.error_response), body);
    }
    if (!parsed.batch && size <= kLimits.max_body_bytes && !minerx::rpc::exceeds_depth(body, kLimits.max_depth)) {
        const Json value = Json::parse(body, nullptr, false);
        if (!value.is_discarded() && !value.is_array()) {
            FUZZ_REQUIRE(parsed.entries[0].request.has_value() == reference_accepts(value), body);
        }
    }

    for (auto permission : {minerx::rpc::Permission::none, minerx::rpc::Permission::admin}) {
        const minerx::rpc::Dispatcher dispatcher(registry(), kLimits);
        const auto response = dispatcher.handle(body, minerx::rpc::Caller{permission, "fuzz"});
        if (!response) continue;
        const Json reply = Json::parse(*response, nullptr, false);
        FUZZ_REQUIRE(!reply.is_discarded(), body);
        if (reply.is_array()) {
            FUZZ_REQUIRE(parsed.batch && !reply.empty() && reply.size() <= parsed.entries.size(), body);
            for (const Json& one : reply) FUZZ_REQUIRE(is_response(one), body);
        } else {
            FUZZ_REQUIRE(is_response(reply), body);
        }
    }
    return 0;
}

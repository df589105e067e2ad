#include "runners/rpc/json_rpc.h"

namespace minerx::rpc {
namespace {

Json error_entry(const Json& id, int code, std::string_view message) {
    return make_error_response(id, code, message);
}

// The id to echo in an error about this request: its own if well-typed, else null.
Json echoable_id(const Json& object) {
    auto it = object.find("id");
    if (it == object.end()) return nullptr;
    if (it->is_string() || it->is_number() || it->is_null()) return *it;
    return nullptr;
}

// Moves the members it keeps out of `value`.
RequestEntry read_request(Json& value) {
    if (!value.is_object()) {
        return {std::nullopt, error_entry(nullptr, error_code::kInvalidRequest,
                                          "invalid request: expected a JSON object")};
    }
    const Json id = echoable_id(value);
    auto fail = [&](std::string_view message) -> RequestEntry {
        return {std::nullopt,
                error_entry(id, error_code::kInvalidRequest, "invalid request: " + std::string(message))};
    };
    auto version = value.find("jsonrpc");
    if (version == value.end() || !version->is_string() || *version != "2.0") {
        return fail("\"jsonrpc\" must be the string \"2.0\"");
    }
    Request request;
    if (auto it = value.find("id"); it != value.end()) {
        if (!(it->is_string() || it->is_number() || it->is_null())) {
            return fail("\"id\" must be a string, a number or null");
        }
        request.id = std::move(*it);
    } else {
        request.notification = true;
    }
    auto method = value.find("method");
    if (method == value.end() || !method->is_string()) return fail("\"method\" must be a string");
    request.method = std::move(method->get_ref<std::string&>());
    if (auto it = value.find("params"); it != value.end()) {
        if (!(it->is_array() || it->is_object())) {
            return fail("\"params\" must be an array or an object");
        }
        request.params = std::move(*it);
    }
    return {std::move(request), nullptr};
}

ParsedBody single_error(int code, std::string_view message) {
    ParsedBody body;
    body.entries.push_back({std::nullopt, error_entry(nullptr, code, message)});
    return body;
}

}  // namespace

bool exceeds_depth(std::string_view text, std::size_t max_depth) {
    std::size_t depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

ParsedBody parse_request_body(std::string_view body, const RequestLimits& limits) {
    if (body.size() > limits.max_body_bytes) {
        return single_error(error_code::kInvalidRequest,
                            "invalid request: body of " + std::to_string(body.size()) +
                                " bytes exceeds the limit of " +
                                std::to_string(limits.max_body_bytes));
    }
    if (exceeds_depth(body, limits.max_depth)) {
        return single_error(error_code::kInvalidRequest,
                            "invalid request: JSON nests deeper than " +
                                std::to_string(limits.max_depth) + " levels");
    }
    Json value = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) return single_error(error_code::kParseError, "parse error: invalid JSON");

    if (!value.is_array()) {
        ParsedBody parsed;
        parsed.entries.push_back(read_request(value));
        return parsed;
    }
    if (value.empty()) return single_error(error_code::kInvalidRequest, "invalid request: empty batch");
    if (value.size() > limits.max_batch) {
        return single_error(error_code::kInvalidRequest,
                            "invalid request: batch of " + std::to_string(value.size()) +
                                " requests exceeds the limit of " + std::to_string(limits.max_batch));
    }
    ParsedBody parsed;
    parsed.batch = true;
    parsed.entries.reserve(value.size());
    for (Json& element : value) parsed.entries.push_back(read_request(element));
    return parsed;
}

Json make_error_response(const Json& id, int code, std::string_view message, Json data) {
    Json error = {{"code", code}, {"message", std::string(message)}};
    if (!data.is_null()) error["data"] = std::move(data);
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

Json make_result_response(const Json& id, Json result) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

std::string to_text(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace minerx::rpc

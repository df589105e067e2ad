#pragma once

// JSON-RPC 2.0 messages (https://www.jsonrpc.org/specification), independent of the transport:
// parsing a request body under limits, and building responses. Parsing never throws: every
// malformed, oversized or wrong-typed body becomes the error response the specification asks for.
//
// Conventions shared by every minerx daemon (Lotus' JSON): params are positional arrays, big
// integers are decimal strings, CIDs are {"/": "..."}, bytes are base64 strings.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace minerx::rpc {

using Json = nlohmann::json;

// Error codes: the specification's, then minerx's server errors (-32000 to -32099).
namespace error_code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
// A method refused the call for an application reason (no such user, already bound, ...).
inline constexpr int kRequestFailed = -32000;
// The bearer token is malformed, badly signed, expired or its user is disabled.
inline constexpr int kUnauthorized = -32001;
// The caller's permission is below the method's; the message names the one needed.
inline constexpr int kPermissionDenied = -32002;
}  // namespace error_code

// Thrown by method handlers to answer with a specific error; any other exception becomes
// kInternalError. Never escapes the dispatcher.
class RpcError : public std::runtime_error {
public:
    RpcError(int code, const std::string& message, Json data = nullptr)
        : std::runtime_error(message), code_(code), data_(std::move(data)) {}
    int code() const { return code_; }
    const Json& data() const { return data_; }

private:
    int code_;
    Json data_;
};

struct RequestLimits {
    std::size_t max_body_bytes = 1 << 20;  // larger bodies are refused before parsing
    std::size_t max_depth = 32;            // nesting of arrays and objects
    std::size_t max_batch = 100;           // requests in one batch
};

struct Request {
    Json id;                    // string, integer, fractional number or null; echoed back
    bool notification = false;  // no "id" member: no response is sent
    std::string method;
    Json params = Json::array();  // array or object; an absent "params" reads as []
};

// One element of a body: a request to run, or the error response it already gets.
struct RequestEntry {
    std::optional<Request> request;
    Json error_response;  // set exactly when request is empty
};

// A body is a single request or a batch. A body that is not JSON, too large, too deep, an empty
// array or an oversized batch gives batch == false and one entry holding the error response.
struct ParsedBody {
    bool batch = false;
    std::vector<RequestEntry> entries;
};

ParsedBody parse_request_body(std::string_view body, const RequestLimits& limits);

// Whether arrays and objects in `text` nest deeper than `max_depth` (strings are skipped; the
// text need not be valid JSON). Checked before parsing so that no parser recursion or allocation
// depends on an attacker's nesting.
bool exceeds_depth(std::string_view text, std::size_t max_depth);

Json make_error_response(const Json& id, int code, std::string_view message, Json data = nullptr);
Json make_result_response(const Json& id, Json result);

// Compact JSON text; invalid UTF-8 in strings is replaced rather than thrown on.
std::string to_text(const Json& value);

}  // namespace minerx::rpc

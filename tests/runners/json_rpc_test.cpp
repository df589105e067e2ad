// The JSON-RPC 2.0 layer: every malformed, oversized and wrong-typed request gets the error the
// specification prescribes; ids are echoed; notifications get no response; batches work.

#include <gtest/gtest.h>

#include "runners/rpc/dispatcher.h"

namespace minerx::rpc {
namespace {

Json parse(const std::optional<std::string>& text) {
    EXPECT_TRUE(text.has_value());
    return text ? Json::parse(*text) : Json();
}

class DispatcherTest : public ::testing::Test {
protected:
    DispatcherTest() {
        registry_.add_typed("Test.Add", Permission::read,
                            [](const Caller&, std::int64_t a, std::int64_t b) { return a + b; });
        registry_.add_typed("Test.Greet", Permission::none,
                            [](const Caller&, const std::string& name, std::optional<std::string> greeting) {
                                return greeting.value_or("hello") + " " + name;
                            });
        registry_.add_typed("Test.Admin", Permission::admin, [](const Caller& caller) { return caller.name; });
        registry_.add_typed("Test.Count", Permission::none, [this](const Caller&) { return ++calls_; });
        registry_.add_typed("Test.Sum", Permission::none, [](const Caller&, const std::vector<std::int64_t>& xs) {
            std::int64_t total = 0;
            for (auto x : xs) total += x;
            return total;
        });
        registry_.add("Test.Throw", Permission::none, [](const Json&, const Caller&) -> Json {
            throw std::runtime_error("secret detail");
        });
        registry_.add("Test.Refuse", Permission::none, [](const Json&, const Caller&) -> Json {
            throw RpcError(error_code::kRequestFailed, "no such user: bob");
        });
    }

    Json call(std::string_view body, Permission permission = Permission::admin) {
        return parse(dispatcher_.handle(body, Caller{permission, "tester"}));
    }
    int error_code_of(std::string_view body) { return call(body)["error"]["code"].get<int>(); }

    MethodRegistry registry_;
    RequestLimits limits_{.max_body_bytes = 4096, .max_depth = 8, .max_batch = 4};
    Dispatcher dispatcher_{registry_, limits_};
    int calls_ = 0;
};

TEST_F(DispatcherTest, AnswersACallAndEchoesTheId) {
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":7,"method":"Test.Add","params":[2,3]})"),
              Json::parse(R"({"jsonrpc":"2.0","id":7,"result":5})"));
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":"abc","method":"Test.Add","params":[2,3]})")["id"], "abc");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":null,"method":"Test.Add","params":[2,3]})")["id"], nullptr);
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1.5,"method":"Test.Add","params":[2,3]})")["id"], 1.5);
}

TEST_F(DispatcherTest, MalformedJsonIsAParseError) {
    for (const char* body : {"", "{", "[1,", "{\"jsonrpc\":\"2.0\",}", "nul", "\xff\xfe", "{\"a\":\"\xc3\x28\"}"}) {
        const Json response = call(body);
        EXPECT_EQ(response["error"]["code"], error_code::kParseError) << body;
        EXPECT_EQ(response["id"], nullptr);
    }
}

TEST_F(DispatcherTest, WrongTypesAreInvalidRequests) {
    for (const char* body : {
             R"(1)", R"("x")", R"(null)",                                  // not an object
             R"({"id":1,"method":"Test.Count"})",                          // no jsonrpc
             R"({"jsonrpc":2.0,"id":1,"method":"Test.Count"})",            // jsonrpc not a string
             R"({"jsonrpc":"1.0","id":1,"method":"Test.Count"})",          // wrong version
             R"({"jsonrpc":"2.0","id":1})",                                // no method
             R"({"jsonrpc":"2.0","id":1,"method":5})",                     // method not a string
             R"({"jsonrpc":"2.0","id":1,"method":"Test.Count","params":"x"})",  // params scalar
             R"({"jsonrpc":"2.0","id":1,"method":"Test.Count","params":3})",
             R"({"jsonrpc":"2.0","id":{},"method":"Test.Count"})",         // id an object
             R"({"jsonrpc":"2.0","id":[1],"method":"Test.Count"})",        // id an array
             R"({"jsonrpc":"2.0","id":true,"method":"Test.Count"})",       // id a boolean
         }) {
        EXPECT_EQ(error_code_of(body), error_code::kInvalidRequest) << body;
    }
    EXPECT_EQ(calls_, 0);
    // A well-typed id is echoed even in an invalid request.
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":9,"method":5})")["id"], 9);
}

TEST_F(DispatcherTest, WrongParamsAreInvalidParamsNamingThePosition) {
    auto message = [&](const char* body) {
        const Json response = call(body);
        EXPECT_EQ(response["error"]["code"], error_code::kInvalidParams) << body;
        return response["error"]["message"].get<std::string>();
    };
    EXPECT_EQ(message(R"({"jsonrpc":"2.0","id":1,"method":"Test.Add","params":[1]})"), "param 1 is missing");
    EXPECT_EQ(message(R"({"jsonrpc":"2.0","id":1,"method":"Test.Add","params":[1,"2"]})"),
              "param 1: expected an integer, got string");
    EXPECT_EQ(message(R"({"jsonrpc":"2.0","id":1,"method":"Test.Add","params":[1.5,2]})"),
              "param 0: expected an integer, got number");
    EXPECT_EQ(message(R"({"jsonrpc":"2.0","id":1,"method":"Test.Add","params":[1,18446744073709551615]})"),
              "param 1: expected an integer, got number");
    EXPECT_EQ(message(R"({"jsonrpc":"2.0","id":1,"method":"Test.Add","params":[1,2,3]})"),
              "expected at most 2 params, got 3");
    EXPECT_EQ(message(R"({"jsonrpc":"2.0","id":1,"method":"Test.Add","params":{"a":1}})"),
              "params must be a positional array");
    message(R"({"jsonrpc":"2.0","id":1,"method":"Test.Sum","params":[[1,"x"]]})");
    message(R"({"jsonrpc":"2.0","id":1,"method":"Test.Sum","params":[{}]})");
}

TEST_F(DispatcherTest, OptionalTrailingParamsMayBeOmittedOrNull) {
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Greet","params":["bob"]})")["result"], "hello bob");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Greet","params":["bob",null]})")["result"],
              "hello bob");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Greet","params":["bob","hi"]})")["result"], "hi bob");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Greet"})")["error"]["code"],
              error_code::kInvalidParams);
}

TEST_F(DispatcherTest, UnknownMethodIsMethodNotFound) {
    EXPECT_EQ(error_code_of(R"({"jsonrpc":"2.0","id":1,"method":"Nope"})"), error_code::kMethodNotFound);
}

TEST_F(DispatcherTest, PermissionTooLowNamesTheNeededPermission) {
    const Json response = call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Admin"})", Permission::sign);
    EXPECT_EQ(response["error"]["code"], error_code::kPermissionDenied);
    EXPECT_EQ(response["error"]["message"], "missing permission to invoke 'Test.Admin' (need 'admin')");
    EXPECT_EQ(response["error"]["data"]["need"], "admin");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Admin"})", Permission::admin)["result"], "tester");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Add","params":[1,1]})", Permission::none)["error"]
                  ["code"],
              error_code::kPermissionDenied);
}

TEST_F(DispatcherTest, HandlerExceptionsBecomeErrorsWithoutInternalDetail) {
    const Json internal = call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Throw"})");
    EXPECT_EQ(internal["error"]["code"], error_code::kInternalError);
    EXPECT_EQ(internal["error"]["message"], "internal error");
    const Json refused = call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Refuse"})");
    EXPECT_EQ(refused["error"]["code"], error_code::kRequestFailed);
    EXPECT_EQ(refused["error"]["message"], "no such user: bob");
}

TEST_F(DispatcherTest, NotificationsRunButGetNoResponse) {
    EXPECT_FALSE(dispatcher_.handle(R"({"jsonrpc":"2.0","method":"Test.Count"})", Caller{}));
    EXPECT_EQ(calls_, 1);
    EXPECT_FALSE(dispatcher_.handle(R"({"jsonrpc":"2.0","method":"Nope"})", Caller{}));
    EXPECT_FALSE(dispatcher_.handle(R"({"jsonrpc":"2.0","method":"Test.Add","params":["x"]})", Caller{}));
}

TEST_F(DispatcherTest, BatchesAnswerEachNonNotificationInOrder) {
    const Json response = call(R"([
        {"jsonrpc":"2.0","id":1,"method":"Test.Add","params":[1,2]},
        {"jsonrpc":"2.0","method":"Test.Count"},
        {"foo":"boo"},
        {"jsonrpc":"2.0","id":"x","method":"Nope"}])");
    ASSERT_TRUE(response.is_array());
    ASSERT_EQ(response.size(), 3u);
    EXPECT_EQ(response[0]["result"], 3);
    EXPECT_EQ(response[1]["error"]["code"], error_code::kInvalidRequest);
    EXPECT_EQ(response[2]["id"], "x");
    EXPECT_EQ(response[2]["error"]["code"], error_code::kMethodNotFound);
    EXPECT_EQ(calls_, 1);
}

TEST_F(DispatcherTest, BatchEdgeCases) {
    const Json empty = call("[]");
    EXPECT_TRUE(empty.is_object());
    EXPECT_EQ(empty["error"]["code"], error_code::kInvalidRequest);
    const Json scalars = call("[1,2]");
    ASSERT_TRUE(scalars.is_array());
    EXPECT_EQ(scalars.size(), 2u);
    EXPECT_EQ(scalars[1]["error"]["code"], error_code::kInvalidRequest);
    EXPECT_FALSE(dispatcher_.handle(R"([{"jsonrpc":"2.0","method":"Test.Count"}])", Caller{}));
    const Json too_big = call(R"([1,2,3,4,5])");
    EXPECT_EQ(too_big["error"]["code"], error_code::kInvalidRequest);
    EXPECT_NE(too_big["error"]["message"].get<std::string>().find("limit of 4"), std::string::npos);
}

TEST_F(DispatcherTest, OversizedAndDeepBodiesAreRefusedBeforeParsing) {
    const std::string big = R"({"jsonrpc":"2.0","id":1,"method":"Test.Greet","params":[")" +
                            std::string(5000, 'a') + "\"]}";
    EXPECT_EQ(error_code_of(big), error_code::kInvalidRequest);
    const std::string deep = std::string(9, '[') + std::string(9, ']');
    EXPECT_EQ(call(deep)["error"]["message"], "invalid request: JSON nests deeper than 8 levels");
    // Brackets inside strings do not count.
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"Test.Greet","params":["[[[[[[[[[[\"{{{{{{{{{"]})")["result"],
              "hello [[[[[[[[[[\"{{{{{{{{{");
}

TEST(ExceedsDepth, CountsOnlyStructuralBrackets) {
    EXPECT_FALSE(exceeds_depth("[[]]", 2));
    EXPECT_TRUE(exceeds_depth("[[[]]]", 2));
    EXPECT_FALSE(exceeds_depth(R"(["[[[[", "\"[[[["])", 1));
    EXPECT_TRUE(exceeds_depth(R"({"a":{"b":[1]}})", 2));
    EXPECT_FALSE(exceeds_depth("]]]]][[", 2));
}

TEST(MethodRegistry, RefusesDuplicateNames) {
    MethodRegistry registry;
    registry.add("A", Permission::read, [](const Json&, const Caller&) { return Json(); });
    EXPECT_THROW(registry.add("A", Permission::read, [](const Json&, const Caller&) { return Json(); }),
                 std::logic_error);
}

}  // namespace
}  // namespace minerx::rpc

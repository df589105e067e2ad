#pragma once

// The methods a daemon serves: each with the permission it requires and a handler. Handlers are
// either raw (params as JSON) or typed: a callable (const Caller&, A1, A2, ...) -> R whose
// positional params are converted and type-checked here, so a wrong-typed or missing param is a
// -32602 error naming its position and the expected type, never an exception inside the handler.
// A trailing std::optional<T> parameter may be omitted or null.

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "runners/rpc/json_rpc.h"
#include "runners/rpc/permission.h"

namespace minerx::rpc {

using Handler = std::function<Json(const Json& params, const Caller& caller)>;

struct Method {
    std::string name;
    Permission required = Permission::admin;
    Handler handler;
};

namespace detail {

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};

template <class T> constexpr const char* json_type_name() {
    if constexpr (std::is_same_v<T, bool>) return "a boolean";
    else if constexpr (std::is_integral_v<T>) return "an integer";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, Json>) return "a JSON value";
    else return "an array";
}

// Strict conversion: nlohmann would turn 1.5 into 1 and -1 into 2^64-1; a param must instead
// have exactly the expected JSON type and fit.
template <class T> bool holds(const Json& value) {
    if constexpr (std::is_same_v<T, bool>) {
        return value.is_boolean();
    } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
        return value.is_number_unsigned() &&
               value.get<std::uint64_t>() <= std::numeric_limits<T>::max();
    } else if constexpr (std::is_integral_v<T>) {
        if (value.is_number_unsigned()) {
            return value.get<std::uint64_t>() <=
                   static_cast<std::uint64_t>(std::numeric_limits<T>::max());
        }
        return value.is_number_integer() &&
               value.get<std::int64_t>() >= std::numeric_limits<T>::min() &&
               value.get<std::int64_t>() <= std::numeric_limits<T>::max();
    } else if constexpr (std::is_floating_point_v<T>) {
        return value.is_number();
    } else if constexpr (std::is_same_v<T, std::string>) {
        return value.is_string();
    } else if constexpr (std::is_same_v<T, Json>) {
        return true;
    } else {
        return value.is_array();
    }
}

template <class T> T param_at(const Json& params, std::size_t index) {
    const std::string position = "param " + std::to_string(index);
    if constexpr (is_optional<T>::value) {
        if (index >= params.size() || params[index].is_null()) return std::nullopt;
        return param_at<typename T::value_type>(params, index);
    } else {
        if (index >= params.size()) throw RpcError(error_code::kInvalidParams, position + " is missing");
        const Json& value = params[index];
        if (!holds<T>(value)) {
            throw RpcError(error_code::kInvalidParams,
                           position + ": expected " + json_type_name<T>() + ", got " +
                               value.type_name());
        }
        try {
            return value.get<T>();
        } catch (const Json::exception&) {  // e.g. an array with an element of the wrong type
            throw RpcError(error_code::kInvalidParams,
                           position + ": expected " + json_type_name<T>() + " of the right element type");
        }
    }
}

template <class F> struct handler_traits : handler_traits<decltype(&F::operator())> {};
template <class C, class R, class... A>
struct handler_traits<R (C::*)(const Caller&, A...) const> {
    using args = std::tuple<std::decay_t<A>...>;
};
template <class C, class R, class... A>
struct handler_traits<R (C::*)(const Caller&, A...)> {
    using args = std::tuple<std::decay_t<A>...>;
};

template <class F, class Tuple, std::size_t... I>
Json call_typed(F& f, const Json& params, const Caller& caller, std::index_sequence<I...>) {
    constexpr std::size_t kArity = sizeof...(I);
    if (!params.is_array()) {
        throw RpcError(error_code::kInvalidParams, "params must be a positional array");
    }
    if (params.size() > kArity) {
        throw RpcError(error_code::kInvalidParams,
                       "expected at most " + std::to_string(kArity) + " params, got " +
                           std::to_string(params.size()));
    }
    // Braced initialisation evaluates the conversions in order, so the first bad param is reported.
    std::tuple<std::tuple_element_t<I, Tuple>...> args{param_at<std::tuple_element_t<I, Tuple>>(params, I)...};
    return Json(f(caller, std::move(std::get<I>(args))...));
}

}  // namespace detail

class MethodRegistry {
public:
    // Registers a raw handler. A name may be registered once.
    void add(std::string name, Permission required, Handler handler);

    // Registers a typed handler: f(const Caller&, A...) -> R, with R convertible to JSON.
    template <class F>
    void add_typed(std::string name, Permission required, F f) {
        using Args = typename detail::handler_traits<F>::args;
        add(std::move(name), required, [f = std::move(f)](const Json& params, const Caller& caller) mutable {
            return detail::call_typed<F, Args>(f, params, caller,
                                               std::make_index_sequence<std::tuple_size_v<Args>>{});
        });
    }

    const Method* find(const std::string& name) const;
    std::vector<const Method*> methods() const;  // sorted by name

private:
    std::map<std::string, Method, std::less<>> methods_;
};

}  // namespace minerx::rpc

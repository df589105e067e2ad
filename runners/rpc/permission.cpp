#include "runners/rpc/permission.h"

#include <array>

namespace minerx::rpc {
namespace {
constexpr std::array<std::string_view, 5> kNames = {"none", "read", "write", "sign", "admin"};
}

std::string_view permission_name(Permission permission) {
    return kNames[static_cast<std::size_t>(permission)];
}

std::optional<Permission> parse_token_permission(std::string_view text) {
    for (std::size_t i = 1; i < kNames.size(); ++i) {
        if (kNames[i] == text) return static_cast<Permission>(i);
    }
    return std::nullopt;
}

std::vector<std::string> permissions_up_to(Permission permission) {
    std::vector<std::string> names;
    for (std::size_t i = 1; i <= static_cast<std::size_t>(permission); ++i) {
        names.emplace_back(kNames[i]);
    }
    return names;
}

}  // namespace minerx::rpc

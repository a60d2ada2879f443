#pragma once

#include <QtGlobal>

#include <optional>
#include <string_view>

namespace playdeck::extravars {

// YAML 1.1 plain scalars as PyYAML's resolver and SafeConstructor type them, so that Playdeck reads
// extra vars exactly as ansible-playbook will ("on" is true, "0o17" a string, "1_000" a thousand).

enum class PlainType { Null, Bool, Int, Float, String, Merge, Value };
enum class NumberError { None, Invalid, OutOfRange, NotFinite };

// The type PyYAML's implicit resolver gives a plain (unquoted, untagged) scalar.
PlainType resolvePlainScalar(std::string_view s);
// PyYAML's bool_values[value.lower()], for a scalar that resolved to Bool.
std::optional<bool> yamlBoolValue(std::string_view s);
// PyYAML's construct_yaml_int and construct_yaml_float.
NumberError constructYamlInt(std::string_view text, qint64 &out);
NumberError constructYamlFloat(std::string_view text, double &out);

} // namespace playdeck::extravars

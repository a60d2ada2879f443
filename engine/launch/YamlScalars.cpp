#include "launch/YamlScalars.h"

#include "launch/TreeBuilder.h" // decimalToDouble

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace playdeck::extravars {

namespace {

__extension__ typedef __int128 Int128; // Python's ints are unbounded; this holds all we must tell apart
constexpr Int128 kHuge = Int128(1) << 100;
constexpr size_t npos = std::string_view::npos;

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isDigitOrUnderscore(char c) {
    return isDigit(c) || c == '_';
}
char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

size_t skipDigitsOrUnderscores(std::string_view s, size_t pos) {
    while (pos < s.size() && isDigitOrUnderscore(s[pos]))
        ++pos;
    return pos;
}

// One or more `:[0-5]?[0-9]` from pos; the position after them, or npos.
size_t skipSexagesimalGroups(std::string_view s, size_t pos) {
    size_t groups = 0;
    while (pos < s.size() && s[pos] == ':') {
        size_t digits = 0;
        while (pos + 1 + digits < s.size() && isDigit(s[pos + 1 + digits]))
            ++digits;
        if (digits == 0 || digits > 2 || (digits == 2 && s[pos + 1] > '5'))
            return npos;
        pos += 1 + digits;
        ++groups;
    }
    return groups ? pos : npos;
}

// `(?:[eE][-+][0-9]+)?$` from pos.
bool exponentToEnd(std::string_view s, size_t pos) {
    if (pos == s.size())
        return true;
    if ((s[pos] != 'e' && s[pos] != 'E') || pos + 2 >= s.size() || (s[pos + 1] != '-' && s[pos + 1] != '+'))
        return false;
    return std::all_of(s.begin() + qsizetype(pos + 2), s.end(), isDigit);
}

// [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)? | \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
// | [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
// So "1e5" and "-.5" are strings, and "1.e+5" is a float.
bool isYamlFloat(std::string_view s) {
    const bool signedText = !s.empty() && (s[0] == '-' || s[0] == '+');
    const std::string_view r = s.substr(signedText ? 1 : 0);
    if (r.empty())
        return false;
    if (r[0] == '.') {
        const std::string_view t = r.substr(1);
        if (t == "inf" || t == "Inf" || t == "INF")
            return true;
        if (signedText)
            return false;
        if (t == "nan" || t == "NaN" || t == "NAN")
            return true;
        return !t.empty() && isDigit(t[0]) && exponentToEnd(r, skipDigitsOrUnderscores(r, 2));
    }
    if (!isDigit(r[0]))
        return false;
    size_t pos = skipDigitsOrUnderscores(r, 1);
    if (pos < r.size() && r[pos] == ':') {
        pos = skipSexagesimalGroups(r, pos);
        return pos != npos && pos < r.size() && r[pos] == '.' &&
               skipDigitsOrUnderscores(r, pos + 1) == r.size();
    }
    return pos < r.size() && r[pos] == '.' && exponentToEnd(r, skipDigitsOrUnderscores(r, pos + 1));
}

// [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(?:0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
// | [-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+
bool isYamlInt(std::string_view s) {
    const std::string_view r = s.substr(!s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0);
    if (r.empty())
        return false;
    const auto restIs = [&](size_t from, bool (*ok)(char)) {
        return r.size() > from && std::all_of(r.begin() + qsizetype(from), r.end(), ok);
    };
    if (r[0] == '0') {
        if (r.size() == 1)
            return true;
        if (r[1] == 'b')
            return restIs(2, [](char c) { return c == '0' || c == '1' || c == '_'; });
        if (r[1] == 'x')
            return restIs(2, [](char c) {
                return isDigitOrUnderscore(c) || (asciiLower(c) >= 'a' && asciiLower(c) <= 'f');
            });
        return restIs(1, [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
    }
    if (!isDigit(r[0]))
        return false;
    const size_t pos = skipDigitsOrUnderscores(r, 1);
    return pos == r.size() || skipSexagesimalGroups(r, pos) == r.size();
}

} // namespace

PlainType resolvePlainScalar(std::string_view s) {
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return PlainType::Null;
    for (std::string_view word : {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false",
                                  "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"}) {
        if (s == word)
            return PlainType::Bool;
    }
    if (s == "<<")
        return PlainType::Merge;
    if (s == "=")
        return PlainType::Value;
    if (isYamlFloat(s))
        return PlainType::Float;
    if (isYamlInt(s))
        return PlainType::Int;
    return PlainType::String;
}

// PyYAML's bool_values[value.lower()]; a plain scalar only gets here when it matched the bool regex.
std::optional<bool> yamlBoolValue(std::string_view s) {
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(), asciiLower);
    if (lower == "yes" || lower == "true" || lower == "on")
        return true;
    if (lower == "no" || lower == "false" || lower == "off")
        return false;
    return std::nullopt;
}

namespace {

std::string_view stripPythonSpace(std::string_view s) {
    const auto isSpace = [](char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
    };
    while (!s.empty() && isSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> splitColons(std::string_view s) {
    std::vector<std::string_view> parts;
    for (size_t from = 0;;) {
        const size_t colon = s.find(':', from);
        parts.push_back(s.substr(from, colon == npos ? npos : colon - from));
        if (colon == npos)
            return parts;
        from = colon + 1;
    }
}

// Python's int(text, base) on text without underscores.
NumberError pythonInt(std::string_view s, int base, Int128 &out) {
    s = stripPythonSpace(s);
    const bool negative = !s.empty() && s[0] == '-';
    if (!s.empty() && (s[0] == '-' || s[0] == '+'))
        s.remove_prefix(1);
    const char prefix = base == 2 ? 'b' : base == 8 ? 'o' : base == 16 ? 'x' : 0;
    if (prefix && s.size() >= 2 && s[0] == '0' && asciiLower(s[1]) == prefix)
        s.remove_prefix(2);
    if (s.empty())
        return NumberError::Invalid;
    Int128 value = 0;
    bool huge = false;
    for (char c : s) {
        const int digit = isDigit(c)                                     ? c - '0'
                          : asciiLower(c) >= 'a' && asciiLower(c) <= 'z' ? asciiLower(c) - 'a' + 10
                                                                         : 99;
        if (digit >= base)
            return NumberError::Invalid;
        if (!huge) {
            value = value * base + digit;
            huge = value > kHuge;
        }
    }
    if (huge)
        return NumberError::OutOfRange;
    out = negative ? -value : value;
    return NumberError::None;
}

} // namespace

// PyYAML's construct_yaml_int.
NumberError constructYamlInt(std::string_view text, qint64 &out) {
    std::string value;
    std::copy_if(text.begin(), text.end(), std::back_inserter(value), [](char c) { return c != '_'; });
    if (value.empty())
        return NumberError::Invalid;
    const bool negative = value[0] == '-';
    std::string_view s(value);
    if (s[0] == '-' || s[0] == '+')
        s.remove_prefix(1);
    Int128 result = 0;
    NumberError error = NumberError::None;
    if (s == "0") {
        result = 0;
    } else if (s.starts_with("0b")) {
        error = pythonInt(s.substr(2), 2, result);
    } else if (s.starts_with("0x")) {
        error = pythonInt(s.substr(2), 16, result);
    } else if (!s.empty() && s[0] == '0') {
        error = pythonInt(s, 8, result);
    } else if (s.find(':') != npos) {
        // Sexagesimal, "1:30" = 90: every part is read first (as Python's list comprehension does).
        std::vector<Int128> digits;
        bool huge = false;
        for (std::string_view part : splitColons(s)) {
            Int128 digit = 0;
            const NumberError partError = pythonInt(part, 10, digit);
            if (partError == NumberError::Invalid)
                return partError;
            huge = huge || partError == NumberError::OutOfRange;
            digits.push_back(digit);
        }
        Int128 base = 1;
        bool baseHuge = false;
        for (auto it = digits.rbegin(); it != digits.rend() && !huge; ++it) {
            const Int128 magnitude = *it < 0 ? -*it : *it;
            if (magnitude != 0 && (baseHuge || magnitude > kHuge / base))
                huge = true;
            else
                result += *it * base;
            huge = huge || result > kHuge || result < -kHuge;
            baseHuge = baseHuge || base > kHuge / 60;
            if (!baseHuge)
                base *= 60;
        }
        error = huge ? NumberError::OutOfRange : NumberError::None;
    } else {
        error = pythonInt(s, 10, result);
    }
    if (error != NumberError::None)
        return error;
    if (negative)
        result = -result;
    if (result > Int128(std::numeric_limits<qint64>::max()) ||
        result < Int128(std::numeric_limits<qint64>::min()))
        return NumberError::OutOfRange;
    out = qint64(result);
    return NumberError::None;
}

namespace {

// Python's float(text) on lowercase text without underscores.
NumberError pythonFloat(std::string_view s, double &out) {
    s = stripPythonSpace(s);
    std::string_view body = s.substr(!s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0);
    if (body == "inf" || body == "infinity" || body == "nan") {
        out = std::numeric_limits<double>::infinity();
        return NumberError::None;
    }
    size_t pos = 0;
    const auto digits = [&] {
        const size_t from = pos;
        while (pos < body.size() && isDigit(body[pos]))
            ++pos;
        return pos - from;
    };
    size_t mantissa = digits();
    if (pos < body.size() && body[pos] == '.') {
        ++pos;
        mantissa += digits();
    }
    if (mantissa == 0)
        return NumberError::Invalid;
    if (pos < body.size() && body[pos] == 'e') {
        ++pos;
        if (pos < body.size() && (body[pos] == '-' || body[pos] == '+'))
            ++pos;
        if (digits() == 0)
            return NumberError::Invalid;
    }
    if (pos != body.size())
        return NumberError::Invalid;
    out = decimalToDouble(std::string(s));
    return NumberError::None;
}

// float(60 ** k), correctly rounded as Python converts the exact integer; 60 ** 174 is past the
// largest double, where Python raises OverflowError.
const std::array<double, 174> &powersOf60() {
    static const std::array<double, 174> powers = [] {
        std::array<double, 174> table{};
        std::vector<int> digits{1}; // decimal, least significant first
        for (size_t k = 0; k < table.size(); ++k) {
            std::string text;
            for (auto it = digits.rbegin(); it != digits.rend(); ++it)
                text += char('0' + *it);
            table[k] = decimalToDouble(text);
            int carry = 0;
            for (int &digit : digits) {
                const int product = digit * 60 + carry;
                digit = product % 10;
                carry = product / 10;
            }
            for (; carry; carry /= 10)
                digits.push_back(carry % 10);
        }
        return table;
    }();
    return powers;
}

} // namespace

// PyYAML's construct_yaml_float.
NumberError constructYamlFloat(std::string_view text, double &out) {
    std::string value;
    for (char c : text) {
        if (c != '_')
            value += asciiLower(c);
    }
    if (value.empty())
        return NumberError::Invalid;
    const double sign = value[0] == '-' ? -1.0 : 1.0;
    if (value[0] == '-' || value[0] == '+')
        value.erase(0, 1);
    if (value == ".inf" || value == ".nan")
        return NumberError::NotFinite;
    double result = 0;
    if (value.find(':') != std::string::npos) {
        const std::vector<std::string_view> parts = splitColons(value);
        std::vector<double> digits(parts.size());
        for (size_t i = 0; i < parts.size(); ++i) {
            if (pythonFloat(parts[i], digits[i]) != NumberError::None)
                return NumberError::Invalid;
        }
        if (parts.size() > powersOf60().size())
            return NumberError::NotFinite;
        for (size_t k = 0; k < digits.size(); ++k) {
            // Two statements, so no compiler fuses them into one rounding (Python rounds twice).
            const double term = digits[digits.size() - 1 - k] * powersOf60()[k];
            result += term;
        }
    } else if (pythonFloat(value, result) != NumberError::None) {
        return NumberError::Invalid;
    }
    result *= sign;
    if (!std::isfinite(result))
        return NumberError::NotFinite;
    out = result;
    return NumberError::None;
}

} // namespace playdeck::extravars

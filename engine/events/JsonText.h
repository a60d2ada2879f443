#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace playdeck {

// Makes one JSON text (a whole line of the runner's output) storable in PostgreSQL jsonb and text,
// changing nothing else. Python's json with surrogateescape turns bytes a task printed that are not
// UTF-8 into escapes of lone surrogates (`\udcff`), a NUL byte into `\u0000`, and PostgreSQL refuses
// both, so the whole event would be lost. One pass over the bytes:
//   - `\u0000` and an escape of a lone surrogate (a high one not immediately followed by an escaped
//     low one, or a low one on its own) become `\ufffd`; valid escaped pairs stay;
//   - inside strings, an escape JSON does not define (`\q`, which Qt reads as `q` and PostgreSQL
//     refuses) becomes `\ufffd`, a raw NUL byte becomes `\ufffd` and another raw control byte becomes
//     its `\u00XX` escape, which means the same and is what PostgreSQL wants;
//   - bytes that are not UTF-8 (stray continuation bytes, overlong forms, UTF-8 encoded surrogates,
//     code points above U+10FFFF, truncated sequences) become U+FFFD (EF BF BD), one per maximal
//     ill-formed subsequence as Unicode recommends.
// Outside strings nothing else changes: what is not JSON there stays for the parser to refuse.
// Returns whether anything changed. Sanitizing its own output changes nothing.
bool sanitizeJsonText(QByteArray &json);

// For a text a strict JSON parser has accepted (valid UTF-8, no raw control byte in a string, only
// escapes JSON defines): whether sanitizeJsonText would still change it, that is whether it has a
// `\u0000` or an escaped lone surrogate. One memchr-driven pass over the backslashes instead of the
// sanitizer's look at every byte; the runner's lines nearly always answer no.
bool hasUnstorableEscape(QByteArrayView validJson);

} // namespace playdeck

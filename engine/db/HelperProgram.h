#pragma once

#include <QString>

namespace playdeck {

// Where playdeck-helper is: $PLAYDECK_HELPER, next to the running binary (an installed tree keeps it
// in ../libexec/playdeck), the install location, or the build tree. Empty when it is nowhere.
QString helperProgram();

} // namespace playdeck

#pragma once

#include "Commands.h"
#include "resources/ResourceSchema.h"

namespace playdeck {

// `playdeck project|inventory|inventory_source|credential|template ACTION ...`: list, show, create,
// update, copy and delete, with options named after AWX's fields (--scm_url or --scm-url) and
// --json output. A credential's secrets come from a prompt (--password) or a file
// (--password-file FILE), never from the command line; --password-ask asks for it at launch.
int runResource(const GlobalOptions &options, ResourceKind kind, const QStringList &args);

// The noun of a resource command ("template" for job templates), or nullopt.
std::optional<ResourceKind> resourceCommand(const QString &command);

} // namespace playdeck

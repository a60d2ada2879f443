#pragma once

#include "ResourceSchema.h"
#include "core/Result.h"

#include <QJsonObject>

namespace playdeck {

// A resource as the window, the command line and `awx export` see it: a JSON object keyed by AWX's
// field names, references by name. These rules are plain functions over it.

// A new resource: every writable field at its default.
QJsonObject resourceDefaults(const ResourceSpec &spec);

// Applies `patch` over `base`. Values may be JSON-typed or, as the command line gives them, text
// ("true", "5", "a,b" for a list, YAML for variables). Unknown and read-only fields are refused with
// the names that would be accepted; so are values of the wrong type or out of range.
[[nodiscard]] Result<QJsonObject> applyPatch(const ResourceSpec &spec, QJsonObject base,
                                             const QJsonObject &patch);

// The rules of a whole resource: required fields, a git project's URL, a local project's directory,
// a template's playbook path and extra variables, a survey, a credential's inputs.
[[nodiscard]] Status validateResource(ResourceKind kind, const QJsonObject &resource);

// AWX's survey spec ({"name", "description", "spec": [question, ...]}) with its question types and
// rules, plus Playdeck's own: "regex" (text answers must match) and "choices_from" ("hosts" or
// "groups": the choices are the inventory's at launch).
[[nodiscard]] Status validateSurveySpec(const QJsonObject &survey);

// A credential's inputs for its kind: known fields only, a become method out of ansible's list.
[[nodiscard]] Status validateCredentialInputs(const QString &kind, const QJsonObject &inputs);

} // namespace playdeck

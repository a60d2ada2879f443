// `playdeck-helper job`: runs one job's process tree and guarantees that when the helper exits,
// every process of that tree is gone.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace playdeck::helper {

struct JobOptions {
    int graceMs = 3000; // SIGTERM to SIGKILL
    std::vector<std::string> command;
};

// Parses the arguments after "job". On error returns nullopt and sets error.
std::optional<JobOptions> parseJobArguments(const std::vector<std::string> &args, std::string &error);

// Runs the job and returns the helper's exit code: the direct child's exit code, 128 + signal if a
// signal killed it, 127 if it could not be executed, 125 if the helper could not set itself up.
int runJob(const JobOptions &options);

} // namespace playdeck::helper

-- Playdeck's first schema: AWX's engine tables, reduced to what the critical path needs.

CREATE TABLE project (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    local_path  text NOT NULL,
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inventory (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL DEFAULT '',
    variables   jsonb NOT NULL DEFAULT '{}',
    created     timestamptz NOT NULL DEFAULT now(),
    modified    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE inventory_group (
    id           bigserial PRIMARY KEY,
    inventory_id bigint NOT NULL REFERENCES inventory(id) ON DELETE CASCADE,
    name         text NOT NULL,
    variables    jsonb NOT NULL DEFAULT '{}',
    UNIQUE (inventory_id, name)
);

CREATE TABLE host (
    id           bigserial PRIMARY KEY,
    inventory_id bigint NOT NULL REFERENCES inventory(id) ON DELETE CASCADE,
    name         text NOT NULL,
    enabled      boolean NOT NULL DEFAULT true,
    variables    jsonb NOT NULL DEFAULT '{}',
    UNIQUE (inventory_id, name)
);

CREATE TABLE host_group (
    host_id  bigint NOT NULL REFERENCES host(id) ON DELETE CASCADE,
    group_id bigint NOT NULL REFERENCES inventory_group(id) ON DELETE CASCADE,
    PRIMARY KEY (host_id, group_id)
);

CREATE TABLE job_template (
    id                 bigserial PRIMARY KEY,
    name               text NOT NULL UNIQUE,
    description        text NOT NULL DEFAULT '',
    project_id         bigint NOT NULL REFERENCES project(id),
    playbook           text NOT NULL,
    inventory_id       bigint REFERENCES inventory(id),
    extra_vars         text NOT NULL DEFAULT '',
    host_limit         text NOT NULL DEFAULT '',
    forks              integer NOT NULL DEFAULT 0,
    verbosity          integer NOT NULL DEFAULT 0 CHECK (verbosity BETWEEN 0 AND 5),
    job_type           text NOT NULL DEFAULT 'run' CHECK (job_type IN ('run', 'check')),
    job_tags           text NOT NULL DEFAULT '',
    skip_tags          text NOT NULL DEFAULT '',
    timeout            integer NOT NULL DEFAULT 0,
    allow_simultaneous boolean NOT NULL DEFAULT false,
    created            timestamptz NOT NULL DEFAULT now(),
    modified           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE instance (
    id         bigserial PRIMARY KEY,
    hostname   text NOT NULL UNIQUE,
    uuid       uuid NOT NULL,
    node_type  text NOT NULL DEFAULT 'hybrid',
    version    text NOT NULL DEFAULT '',
    pid        integer NOT NULL DEFAULT 0,
    cpu        integer NOT NULL DEFAULT 0,
    memory     bigint NOT NULL DEFAULT 0,
    capacity   integer NOT NULL DEFAULT 0,
    enabled    boolean NOT NULL DEFAULT true,
    node_state text NOT NULL DEFAULT 'ready',
    last_seen  timestamptz NOT NULL DEFAULT now(),
    created    timestamptz NOT NULL DEFAULT now()
);

-- AWX's UnifiedJob with Job's fields folded in: for now every unified job is a playbook run.
CREATE TABLE unified_job (
    id                        bigserial PRIMARY KEY,
    job_template_id           bigint REFERENCES job_template(id) ON DELETE SET NULL,
    name                      text NOT NULL,
    status                    text NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'pending', 'waiting', 'running', 'successful', 'failed', 'error', 'canceled')),
    failed                    boolean NOT NULL DEFAULT false,
    launch_type               text NOT NULL DEFAULT 'manual',
    created                   timestamptz NOT NULL DEFAULT clock_timestamp(),
    modified                  timestamptz NOT NULL DEFAULT clock_timestamp(),
    started                   timestamptz,
    finished                  timestamptz,
    elapsed                   numeric(12, 3) NOT NULL DEFAULT 0,
    cancel_flag               boolean NOT NULL DEFAULT false,
    job_explanation           text NOT NULL DEFAULT '',
    result_traceback          text NOT NULL DEFAULT '',
    job_args                  text NOT NULL DEFAULT '',
    job_cwd                   text NOT NULL DEFAULT '',
    job_env                   jsonb NOT NULL DEFAULT '{}',
    execution_node            text NOT NULL DEFAULT '',
    controller_node           text NOT NULL DEFAULT '',
    dispatch_uuid             text NOT NULL DEFAULT '',
    task_impact               integer NOT NULL DEFAULT 0,
    emitted_events            integer NOT NULL DEFAULT 0,
    event_processing_finished boolean NOT NULL DEFAULT false,
    host_status_counts        jsonb,
    -- the job's own copy of the template's options, with the launch-time prompts applied
    project_id                bigint REFERENCES project(id) ON DELETE SET NULL,
    inventory_id              bigint REFERENCES inventory(id) ON DELETE SET NULL,
    playbook                  text NOT NULL DEFAULT '',
    extra_vars                jsonb NOT NULL DEFAULT '{}',
    launch_extra_vars         jsonb NOT NULL DEFAULT '{}',
    host_limit                text NOT NULL DEFAULT '',
    forks                     integer NOT NULL DEFAULT 0,
    verbosity                 integer NOT NULL DEFAULT 0,
    job_type                  text NOT NULL DEFAULT 'run',
    job_tags                  text NOT NULL DEFAULT '',
    skip_tags                 text NOT NULL DEFAULT '',
    timeout                   integer NOT NULL DEFAULT 0,
    allow_simultaneous        boolean NOT NULL DEFAULT false
);
CREATE INDEX unified_job_active ON unified_job (status, created)
    WHERE status IN ('pending', 'waiting', 'running');
CREATE INDEX unified_job_template_created ON unified_job (job_template_id, created);

CREATE TABLE job_event (
    id          bigserial PRIMARY KEY,
    job_id      bigint NOT NULL REFERENCES unified_job(id) ON DELETE CASCADE,
    counter     integer NOT NULL,
    event       text NOT NULL,
    event_data  jsonb NOT NULL DEFAULT '{}',
    uuid        text NOT NULL DEFAULT '',
    parent_uuid text NOT NULL DEFAULT '',
    host_name   text NOT NULL DEFAULT '',
    play        text NOT NULL DEFAULT '',
    task        text NOT NULL DEFAULT '',
    role        text NOT NULL DEFAULT '',
    stdout      text NOT NULL DEFAULT '',
    start_line  integer NOT NULL DEFAULT 0,
    end_line    integer NOT NULL DEFAULT 0,
    verbosity   integer NOT NULL DEFAULT 0,
    failed      boolean NOT NULL DEFAULT false,
    changed     boolean NOT NULL DEFAULT false,
    created     timestamptz NOT NULL,
    modified    timestamptz NOT NULL DEFAULT clock_timestamp(),
    UNIQUE (job_id, counter)
);
CREATE INDEX job_event_lines ON job_event (job_id, end_line);

CREATE TABLE job_host_summary (
    job_id    bigint NOT NULL REFERENCES unified_job(id) ON DELETE CASCADE,
    host_name text NOT NULL,
    changed   integer NOT NULL DEFAULT 0,
    dark      integer NOT NULL DEFAULT 0,
    failures  integer NOT NULL DEFAULT 0,
    ok        integer NOT NULL DEFAULT 0,
    processed integer NOT NULL DEFAULT 0,
    skipped   integer NOT NULL DEFAULT 0,
    rescued   integer NOT NULL DEFAULT 0,
    ignored   integer NOT NULL DEFAULT 0,
    failed    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (job_id, host_name)
);

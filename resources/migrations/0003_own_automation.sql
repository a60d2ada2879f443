-- Bring your own automation: projects from git, inventories with nested groups and sources,
-- credentials whose secrets live in the OS keychain, templates with credentials, prompts and
-- surveys, and project and inventory updates as unified jobs of their own kinds. Field names are
-- AWX's (reference/awx-engine.md section 1).

-- Secret inputs are not here: a secret field holds "$encrypted$" (its value is in the keychain
-- under credential/<keychain_key>/<field>) or "ASK" (asked at launch), as AWX shows them.
CREATE TABLE credential (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL UNIQUE CHECK (name <> ''),
    description  text NOT NULL DEFAULT '',
    kind         text NOT NULL CHECK (kind IN ('ssh', 'scm', 'vault')),
    inputs       jsonb NOT NULL DEFAULT '{}',
    keychain_key uuid NOT NULL DEFAULT gen_random_uuid(),
    created      timestamptz NOT NULL DEFAULT now(),
    modified     timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE project
    ADD COLUMN scm_type text NOT NULL DEFAULT '' CHECK (scm_type IN ('', 'git')),
    ADD COLUMN scm_url text NOT NULL DEFAULT '',
    ADD COLUMN scm_branch text NOT NULL DEFAULT '',
    ADD COLUMN scm_refspec text NOT NULL DEFAULT '',
    ADD COLUMN scm_clean boolean NOT NULL DEFAULT false,
    ADD COLUMN scm_delete_on_update boolean NOT NULL DEFAULT false,
    ADD COLUMN scm_track_submodules boolean NOT NULL DEFAULT false,
    ADD COLUMN scm_update_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN scm_update_cache_timeout integer NOT NULL DEFAULT 0 CHECK (scm_update_cache_timeout >= 0),
    ADD COLUMN allow_override boolean NOT NULL DEFAULT false,
    ADD COLUMN timeout integer NOT NULL DEFAULT 0,
    ADD COLUMN credential_id bigint REFERENCES credential(id),
    -- The revision the last successful update checked out, and the tree it was put in (immutable:
    -- a job copies from it, and a relaunch "exactly as it ran" finds it again).
    ADD COLUMN scm_revision text NOT NULL DEFAULT '',
    ADD COLUMN checkout_path text NOT NULL DEFAULT '';
ALTER TABLE project ALTER COLUMN local_path SET DEFAULT '';

CREATE TABLE group_parent (
    parent_id bigint NOT NULL REFERENCES inventory_group(id) ON DELETE CASCADE,
    child_id  bigint NOT NULL REFERENCES inventory_group(id) ON DELETE CASCADE,
    PRIMARY KEY (parent_id, child_id),
    CHECK (parent_id <> child_id)
);

CREATE TABLE inventory_source (
    id                   bigserial PRIMARY KEY,
    inventory_id         bigint NOT NULL REFERENCES inventory(id) ON DELETE CASCADE,
    name                 text NOT NULL CHECK (name <> ''),
    description          text NOT NULL DEFAULT '',
    source               text NOT NULL DEFAULT 'file' CHECK (source IN ('file', 'scm')),
    source_path          text NOT NULL DEFAULT '',
    source_project_id    bigint REFERENCES project(id),
    overwrite            boolean NOT NULL DEFAULT false,
    overwrite_vars       boolean NOT NULL DEFAULT false,
    update_on_launch     boolean NOT NULL DEFAULT false,
    update_cache_timeout integer NOT NULL DEFAULT 0 CHECK (update_cache_timeout >= 0),
    timeout              integer NOT NULL DEFAULT 0,
    verbosity            integer NOT NULL DEFAULT 1 CHECK (verbosity BETWEEN 0 AND 2),
    created              timestamptz NOT NULL DEFAULT now(),
    modified             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (inventory_id, name)
);
-- Which source brought a host or group in: with overwrite, what vanished from that source goes.
ALTER TABLE host ADD COLUMN description text NOT NULL DEFAULT '',
    ADD COLUMN inventory_source_id bigint REFERENCES inventory_source(id) ON DELETE SET NULL;
ALTER TABLE inventory_group ADD COLUMN description text NOT NULL DEFAULT '',
    ADD COLUMN inventory_source_id bigint REFERENCES inventory_source(id) ON DELETE SET NULL;

ALTER TABLE job_template
    ADD COLUMN scm_branch text NOT NULL DEFAULT '',
    ADD COLUMN diff_mode boolean NOT NULL DEFAULT false,
    ADD COLUMN become_enabled boolean NOT NULL DEFAULT false,
    ADD COLUMN survey_enabled boolean NOT NULL DEFAULT false,
    ADD COLUMN survey_spec jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN ask_inventory_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_credential_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_limit_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_tags_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_skip_tags_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_verbosity_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_job_type_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_variables_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_diff_mode_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_forks_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_timeout_on_launch boolean NOT NULL DEFAULT false,
    ADD COLUMN ask_scm_branch_on_launch boolean NOT NULL DEFAULT false,
    -- Playdeck's own: where the template is filed ("Web/Deploy"), and whether it is a favourite.
    ADD COLUMN folder text NOT NULL DEFAULT '',
    ADD COLUMN favorite boolean NOT NULL DEFAULT false;
ALTER TABLE job_template ADD CONSTRAINT job_template_forks CHECK (forks >= 0);
-- A launch now changes only what the template asks for; the demo asks for what it always took.
UPDATE job_template SET ask_variables_on_launch = true, ask_limit_on_launch = true,
    ask_verbosity_on_launch = true, ask_job_type_on_launch = true
    WHERE name = 'Demo Job Template';

CREATE TABLE job_template_credential (
    job_template_id bigint NOT NULL REFERENCES job_template(id) ON DELETE CASCADE,
    credential_id   bigint NOT NULL REFERENCES credential(id),
    position        integer NOT NULL DEFAULT 0,
    PRIMARY KEY (job_template_id, credential_id)
);

-- Every unified job has a kind; a project update and an inventory update point at what they update.
ALTER TABLE unified_job
    ADD COLUMN kind text NOT NULL DEFAULT 'job' CHECK (kind IN ('job', 'project_update', 'inventory_update')),
    ADD COLUMN inventory_source_id bigint REFERENCES inventory_source(id) ON DELETE SET NULL,
    ADD COLUMN scm_revision text NOT NULL DEFAULT '',
    ADD COLUMN scm_branch text NOT NULL DEFAULT '',
    ADD COLUMN diff_mode boolean NOT NULL DEFAULT false,
    ADD COLUMN become_enabled boolean NOT NULL DEFAULT false;
CREATE INDEX unified_job_project_updates ON unified_job (project_id, created) WHERE kind = 'project_update';
CREATE INDEX unified_job_inventory_updates ON unified_job (inventory_source_id, created)
    WHERE kind = 'inventory_update';

CREATE TABLE unified_job_credential (
    job_id        bigint NOT NULL REFERENCES unified_job(id) ON DELETE CASCADE,
    credential_id bigint NOT NULL REFERENCES credential(id) ON DELETE CASCADE,
    position      integer NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, credential_id)
);

-- Relaunch "exactly as it ran": a job keeps the inventory it ran against (enabled hosts, groups
-- and variables, as ansible read them), and a replay of it runs its project revision's tree, that
-- inventory and its own copy of the template's options, whatever has changed since.
ALTER TABLE unified_job
    ADD COLUMN inventory_snapshot jsonb,
    -- The job this one replays (its revision, inventory snapshot and variables); null for others.
    ADD COLUMN replay_of bigint REFERENCES unified_job(id) ON DELETE SET NULL,
    -- The job this one relaunches, in any of the three forms.
    ADD COLUMN relaunch_of bigint REFERENCES unified_job(id) ON DELETE SET NULL,
    -- A replay's project revision; empty: the project's current tree.
    ADD COLUMN pinned_revision text NOT NULL DEFAULT '';

-- A template's last job, for the templates list (TemplateStore): one index step per template.
CREATE INDEX unified_job_template_last ON unified_job (job_template_id, id DESC) WHERE kind = 'job';

-- Launch-time prompts stored once, as given (AWX's JobLaunchConfig); the job's extra_vars become the
-- template's text as it was at launch. Events the database refused are counted and explained; a job
-- waiting at a prompt says what it asks.

ALTER TABLE unified_job ADD COLUMN launch_config jsonb NOT NULL DEFAULT '{}';
UPDATE unified_job SET launch_config = jsonb_build_object('extra_vars', launch_extra_vars::text)
    WHERE launch_extra_vars <> '{}';
ALTER TABLE unified_job ADD COLUMN template_extra_vars text NOT NULL DEFAULT '';
UPDATE unified_job
    SET template_extra_vars = (extra_vars - ARRAY(SELECT jsonb_object_keys(launch_extra_vars)))::text
    WHERE (extra_vars - ARRAY(SELECT jsonb_object_keys(launch_extra_vars))) <> '{}';
ALTER TABLE unified_job DROP COLUMN extra_vars;
ALTER TABLE unified_job DROP COLUMN launch_extra_vars;
ALTER TABLE unified_job RENAME COLUMN template_extra_vars TO extra_vars;

ALTER TABLE unified_job ADD COLUMN refused_events integer NOT NULL DEFAULT 0;
ALTER TABLE unified_job ADD COLUMN refused_reason text NOT NULL DEFAULT '';
ALTER TABLE unified_job ADD COLUMN input_prompt text NOT NULL DEFAULT '';

-- Which machine (and boot, and pid namespace) an instance's pid belongs to: only there can a pid that
-- is gone mean the process is gone. Two machines may share a hostname.
ALTER TABLE instance ADD COLUMN machine_id text NOT NULL DEFAULT '';

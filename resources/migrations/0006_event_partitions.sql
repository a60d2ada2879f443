-- job_event partitioned by job: a thousand job ids a partition (job_event_p<id / 1000>), so the
-- events of old jobs go with a partition detached and dropped (EventStore::dropEventsOfJobsBefore)
-- instead of a DELETE of millions of rows and the vacuum after it. AWX partitions by the hour its
-- jobs were created and must name that hour in every query; every query of Playdeck names the job,
-- and reads one partition.

ALTER TABLE job_event RENAME TO job_event_unpartitioned;
ALTER INDEX job_event_pkey RENAME TO job_event_unpartitioned_pkey;
ALTER INDEX job_event_job_id_counter_key RENAME TO job_event_unpartitioned_job_id_counter_key;
ALTER INDEX job_event_lines RENAME TO job_event_unpartitioned_lines;
ALTER INDEX job_event_children RENAME TO job_event_unpartitioned_children;
ALTER TABLE job_event_unpartitioned RENAME CONSTRAINT job_event_job_id_fkey TO job_event_unpartitioned_job_id_fkey;
ALTER SEQUENCE job_event_id_seq OWNED BY NONE;

CREATE TABLE job_event (
    id          bigint NOT NULL DEFAULT nextval('job_event_id_seq'),
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
    -- A duplicate counter is stored once (the receiver's idempotent path relies on it).
    PRIMARY KEY (job_id, counter)
) PARTITION BY RANGE (job_id);
ALTER SEQUENCE job_event_id_seq OWNED BY job_event.id;
CREATE INDEX job_event_lines ON job_event (job_id, end_line);
CREATE INDEX job_event_children ON job_event (job_id, parent_uuid, counter);

-- Makes the partition that holds `job`'s events if there is none. Made apart and then attached:
-- ATTACH takes SHARE UPDATE EXCLUSIVE on job_event, which lets COPY and readers go on (CREATE TABLE
-- ... PARTITION OF would take ACCESS EXCLUSIVE and queue every writer behind the longest reader).
-- The lock also makes two sessions that need the same partition take turns.
CREATE FUNCTION job_event_ensure_partition(job bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    low  bigint := (job / 1000) * 1000;
    name text := 'job_event_p' || (job / 1000);
BEGIN
    IF to_regclass(name) IS NOT NULL THEN
        RETURN;
    END IF;
    LOCK TABLE job_event IN SHARE UPDATE EXCLUSIVE MODE;
    IF to_regclass(name) IS NOT NULL THEN
        RETURN; -- another session made it while this one waited
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE job_event INCLUDING DEFAULTS)', name);
    EXECUTE format('ALTER TABLE job_event ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                   name, low, low + 1000);
END
$$;

-- Every new unified job has its partition before its first event, and near the end of a range the
-- next one is made ahead, so that the job that starts it finds it there.
CREATE FUNCTION unified_job_event_partition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM job_event_ensure_partition(NEW.id);
    IF NEW.id % 1000 >= 900 THEN
        PERFORM job_event_ensure_partition(NEW.id + 1000);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER unified_job_event_partition AFTER INSERT ON unified_job
    FOR EACH ROW EXECUTE FUNCTION unified_job_event_partition();

-- The jobs there are already, and their events.
DO $$
DECLARE
    job bigint;
BEGIN
    FOR job IN SELECT DISTINCT id / 1000 * 1000 FROM unified_job LOOP
        PERFORM job_event_ensure_partition(job);
    END LOOP;
    PERFORM job_event_ensure_partition(coalesce((SELECT max(id) FROM unified_job), 0) + 1);
END
$$;
INSERT INTO job_event SELECT id, job_id, counter, event, event_data, uuid, parent_uuid, host_name, play,
    task, role, stdout, start_line, end_line, verbosity, failed, changed, created, modified
    FROM job_event_unpartitioned;
DROP TABLE job_event_unpartitioned;

-- The job view's tree of plays, tasks and host results: ansible-runner links each event to its
-- parent (a result to its task, a task to its play, a play to the playbook) by parent_uuid. One
-- index step finds a node's children in counter order, a page at a time, however big the job
-- (AWX has the same index, main_jobevent (job_id, parent_uuid)).
CREATE INDEX job_event_children ON job_event (job_id, parent_uuid, counter);

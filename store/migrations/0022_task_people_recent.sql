-- "My tasks" reads newest first only as deep as its page (docs/tasks.md, "How fast"): a
-- person's rows in task_people carry their task's group and date, so the tasks someone is
-- named on in one group, or their personal ones, are one index range, newest first. A
-- task's group and date never change once it is written.
ALTER TABLE task_people ADD COLUMN group_id TEXT;
ALTER TABLE task_people ADD COLUMN task_created INTEGER NOT NULL DEFAULT 0;
UPDATE task_people SET (group_id, task_created) =
	(SELECT t.group_id, t.created_at FROM tasks t WHERE t.id = task_people.task_id);
CREATE INDEX task_people_recent ON task_people (user_id, group_id, task_created);
-- A group's tasks newest first, ties by row: the index's own order, read only as deep as
-- a page (status is not needed in it).
DROP INDEX tasks_group;
CREATE INDEX tasks_group ON tasks (group_id, created_at);

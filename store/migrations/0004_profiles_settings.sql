-- Profiles each person completes themselves. photo_id names a re-encoded JPEG under
-- <data>/files/ (ARCHITECTURE.md "Files"); NULL when there is none.
ALTER TABLE users ADD COLUMN company TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN photo_id TEXT;

-- Per-group settings (PRODUCT.md §3), stored now and enforced by each tool as it arrives.
-- tools: the switched-on tools, comma-separated, in a fixed order.
ALTER TABLE groups ADD COLUMN tools TEXT NOT NULL DEFAULT 'feed,tasks,drive,calendar,chat';
ALTER TABLE groups ADD COLUMN invite_policy TEXT NOT NULL DEFAULT 'moderators'
	CHECK (invite_policy IN ('owner', 'moderators', 'members'));
ALTER TABLE groups ADD COLUMN external_tasks TEXT NOT NULL DEFAULT 'involved'
	CHECK (external_tasks IN ('all', 'involved'));
CREATE INDEX groups_topic ON groups (topic_id);
CREATE UNIQUE INDEX topics_name_nocase ON topics (name COLLATE NOCASE);

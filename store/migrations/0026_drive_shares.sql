-- Items of My Drive shared by their owner with people of their contacts (docs/drive.md,
-- "Sharing"): level 1 lets them view, 3 edit, the item and what it holds.
CREATE TABLE drive_shares (
	item_id    TEXT NOT NULL REFERENCES drive_items (id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	level      INTEGER NOT NULL CHECK (level IN (1, 3)),
	created_by TEXT NOT NULL REFERENCES users (id),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (item_id, user_id)
) STRICT;
CREATE INDEX drive_shares_user ON drive_shares (user_id);

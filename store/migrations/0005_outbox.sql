-- The outbox: every mail is a row written in the transaction of the change that causes
-- it; a worker sends due rows and marks them (ARCHITECTURE.md "Writes, errors and
-- durability"). message_id is fixed here so that a send repeated after a crash carries
-- the same Message-ID.
CREATE TABLE outbox (
	id              TEXT PRIMARY KEY,
	message_id      TEXT NOT NULL UNIQUE,
	kind            TEXT NOT NULL,           -- which template: invitation, accepted, …
	to_addr         TEXT NOT NULL,
	subject         TEXT NOT NULL,
	text_body       TEXT NOT NULL,
	html_body       TEXT NOT NULL DEFAULT '',
	state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at INTEGER NOT NULL,
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL,
	sent_at         INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_created ON outbox (created_at);

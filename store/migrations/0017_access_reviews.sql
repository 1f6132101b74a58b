-- Access review (PRODUCT.md §8, docs/access-review.md): every so often the person
-- responsible for an external user is asked whether she still needs access. One row per
-- question; answer is NULL while it is open.
CREATE TABLE access_reviews (
	id          TEXT PRIMARY KEY,
	user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	reviewer_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at  INTEGER NOT NULL,
	due_at      INTEGER NOT NULL,
	answer      TEXT CHECK (answer IN ('keep', 'end', 'lapsed')),
	answered_at INTEGER,
	answered_by TEXT
) STRICT;
CREATE INDEX access_reviews_user ON access_reviews (user_id, created_at);
CREATE INDEX access_reviews_reviewer ON access_reviews (reviewer_id, created_at);
CREATE INDEX access_reviews_open ON access_reviews (due_at) WHERE answer IS NULL;

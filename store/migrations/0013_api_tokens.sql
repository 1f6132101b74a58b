-- API tokens for scripts (PRODUCT.md §6, docs/api-tokens.md): a person's named token
-- with an expiry and a scope. Only the SHA-256 of the token is stored. A revoked token
-- keeps its row for a while, so that the API can say "revoked" rather than "unknown".
CREATE TABLE api_tokens (
	id           TEXT PRIMARY KEY,
	user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	token_hash   BLOB NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	scope        TEXT NOT NULL CHECK (scope IN ('read-only', 'read-write')),
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at   INTEGER
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

-- TOTP two-factor authentication (docs/two-factor.md). The secrets are sealed with the
-- key in the data folder (like the SMTP password), so a copy of the database alone
-- reveals none.
CREATE TABLE two_factor (
	user_id        TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	-- The confirmed secret, sealed; '' while two-factor is off.
	secret         TEXT NOT NULL DEFAULT '',
	enabled_at     INTEGER,
	-- The last time step whose code was accepted: a code of that step or an earlier one
	-- is refused, so a code works once.
	last_step      INTEGER NOT NULL DEFAULT 0,
	-- An enrolment awaiting its first code, sealed; the confirmed secret (if any) keeps
	-- working until the new one is confirmed.
	pending_secret TEXT NOT NULL DEFAULT '',
	pending_at     INTEGER
) STRICT;

-- One-time recovery codes, stored as keyed hashes; used_at is set when one is spent.
CREATE TABLE recovery_codes (
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	code_hash BLOB NOT NULL,
	created_at INTEGER NOT NULL,
	used_at    INTEGER,
	PRIMARY KEY (user_id, code_hash)
) STRICT;

-- A sign-in whose password was right and whose second factor is awaited. It is no
-- session: it grants nothing but the second-factor step, and it dies with it.
CREATE TABLE two_factor_challenges (
	token_hash BLOB PRIMARY KEY,
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	remember   INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX two_factor_challenges_user ON two_factor_challenges (user_id);

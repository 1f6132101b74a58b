-- Access expiry (PRODUCT.md §6, docs/access-expiry.md): the moment an external user's
-- access ends. Sign-in and every request compare it at request time; the access_expiry
-- job then deactivates the account. expiry_reminded_at says the inviter was reminded of
-- this date (a new date clears it, so the next one is reminded again).
ALTER TABLE users ADD COLUMN access_expires_at INTEGER;
ALTER TABLE users ADD COLUMN expiry_reminded_at INTEGER;
CREATE INDEX users_access_expiry ON users (access_expires_at) WHERE access_expires_at IS NOT NULL;

-- A date chosen when inviting: the account it makes (or a later date for an account
-- that has one) takes it on acceptance.
ALTER TABLE invitations ADD COLUMN access_expires_at INTEGER;
-- Who invited whom: the inviters of an external user see and extend her date.
CREATE INDEX invitations_accepted ON invitations (accepted_by, inviter_id) WHERE accepted_by IS NOT NULL;

-- An address has two forms (docs/people.md, "E-mail addresses"): email stays the
-- identity key (unique for users), and mail_to is the address as typed, where mail goes.
-- Rows written before kept only their case-folded form, which becomes both: for plain
-- ASCII addresses it is what was typed, lower-cased, and mail to it arrives.
ALTER TABLE users ADD COLUMN mail_to TEXT NOT NULL DEFAULT '';
UPDATE users SET mail_to = email;
ALTER TABLE invitations ADD COLUMN mail_to TEXT NOT NULL DEFAULT '';
UPDATE invitations SET mail_to = email;

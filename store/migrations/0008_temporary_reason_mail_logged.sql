-- Why a user must change their password: 'new_account' when an administrator added
-- them with a temporary password, 'reset' when one was set for a locked-out account
-- (annex admin reset-password). The sign-in screen says which; '' when none is pending.
ALTER TABLE users ADD COLUMN temporary_reason TEXT NOT NULL DEFAULT ''
	CHECK (temporary_reason IN ('', 'new_account', 'reset'));
-- A pending temporary password set before this column existed: its origin is unknown,
-- and "reset" is the wording that was shown for it until now.
UPDATE users SET temporary_reason = 'reset' WHERE must_change_password = 1;

-- A mail "sent" while no SMTP server was set went to the server log, not to the
-- recipient: the administrator has to pass its link on, so Admin → Mail shows it apart.
ALTER TABLE outbox ADD COLUMN logged INTEGER NOT NULL DEFAULT 0 CHECK (logged IN (0, 1));

-- Back to users without the status "banned", reasons, lock ends, failed-login counts or real
-- name keys, and no user properties. What goes is set aside for the up script to restore: each
-- user's status, reason, lock end and count, and every property. A banned user goes down as
-- locked, so that no release before this one lets them log in.
CREATE TABLE impulse_aside_0011_users (
  id BIGINT PRIMARY KEY, status TEXT, status_reason TEXT, locked_until BIGINT,
  failed_logins BIGINT
);
INSERT INTO impulse_aside_0011_users
SELECT id, status, status_reason, locked_until, failed_logins FROM users
WHERE status = 'banned' OR status_reason IS NOT NULL OR locked_until IS NOT NULL
   OR failed_logins <> 0;

CREATE TABLE impulse_aside_0011_props AS SELECT user_id, key, value, lookup FROM user_props;
DROP TABLE user_props;
DROP INDEX sessions_user_login;
DROP INDEX users_last_login;
DROP INDEX users_created;

ALTER TABLE users
  DROP COLUMN real_name_key,
  DROP COLUMN failed_logins,
  DROP COLUMN locked_until,
  DROP COLUMN status_reason,
  DROP CONSTRAINT users_status_check;
UPDATE users SET status = 'locked' WHERE status = 'banned';
ALTER TABLE users ADD CONSTRAINT users_status_check
  CHECK (status IN ('active', 'locked', 'unvalidated'));

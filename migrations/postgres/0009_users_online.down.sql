-- Back to users and sessions without profile, status, node, activity, expiry or end, and no
-- logins. What goes is set aside for the up script to restore: each user's profile fields and
-- status, each session's node, activity, expiry and end, and the logins with their id
-- high-water mark. A session that has ended, has an expiry, or belongs to a user who is not
-- active leaves the sessions table whole: without those columns it would be valid again.
CREATE TABLE impulse_aside_0009_users (
  id BIGINT PRIMARY KEY, real_name TEXT, location TEXT, note TEXT, flags TEXT, status TEXT
);
INSERT INTO impulse_aside_0009_users
SELECT id, real_name, location, note, flags, status FROM users;

CREATE TABLE impulse_aside_0009_sessions (
  id BIGINT PRIMARY KEY, user_id BIGINT, token_hash TEXT, ip_address TEXT, login_at BIGINT,
  last_activity_at BIGINT, node INTEGER, activity TEXT, expires_at BIGINT, ended_at BIGINT,
  whole BOOLEAN
);
INSERT INTO impulse_aside_0009_sessions
SELECT s.id, s.user_id, s.token_hash, s.ip_address, s.login_at, s.last_activity_at, s.node,
       s.activity, s.expires_at, s.ended_at,
       s.ended_at IS NOT NULL OR s.expires_at IS NOT NULL OR coalesce(u.status, '') <> 'active'
FROM sessions s LEFT JOIN users u ON u.id = s.user_id;
DELETE FROM sessions WHERE id IN (SELECT id FROM impulse_aside_0009_sessions WHERE whole);

CREATE TABLE impulse_aside_0009_logins AS SELECT * FROM logins;
CREATE TABLE impulse_aside_0009_ids AS
SELECT 'logins'::text AS name, CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS seq
FROM logins_id_seq;

DROP TABLE logins;
DROP INDEX sessions_expiry;
DROP INDEX sessions_live;
DROP INDEX sessions_live_node;
ALTER TABLE sessions
  DROP COLUMN ended_at,
  DROP COLUMN expires_at,
  DROP COLUMN activity,
  DROP COLUMN node;
ALTER TABLE users
  DROP COLUMN status,
  DROP COLUMN flags,
  DROP COLUMN note,
  DROP COLUMN location,
  DROP COLUMN real_name;

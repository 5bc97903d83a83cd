-- Back to users and sessions without profile, status, node, activity, expiry or end, and no
-- logins. What goes is set aside for the up script to restore: each user's profile fields and
-- status, each session's node, activity, expiry and end, and the logins with their id
-- high-water mark. A session that has ended, has an expiry, or belongs to a user who is not
-- active leaves the sessions table whole: without those columns it would be valid again.
CREATE TABLE impulse_aside_0009_users (
  id INTEGER PRIMARY KEY, real_name TEXT, location TEXT, note TEXT, flags TEXT, status TEXT
);
INSERT INTO impulse_aside_0009_users
SELECT id, real_name, location, note, flags, status FROM users;

CREATE TABLE impulse_aside_0009_sessions (
  id INTEGER PRIMARY KEY, user_id INT, token_hash TEXT, ip_address TEXT, login_at INT,
  last_activity_at INT, node INT, activity TEXT, expires_at INT, ended_at INT, whole INT
);
INSERT INTO impulse_aside_0009_sessions
SELECT s.id, s.user_id, s.token_hash, s.ip_address, s.login_at, s.last_activity_at, s.node,
       s.activity, s.expires_at, s.ended_at,
       s.ended_at IS NOT NULL OR s.expires_at IS NOT NULL OR coalesce(u.status, '') <> 'active'
FROM sessions s LEFT JOIN users u ON u.id = s.user_id;
DELETE FROM sessions WHERE id IN (SELECT id FROM impulse_aside_0009_sessions WHERE whole);

CREATE TABLE impulse_aside_0009_logins AS SELECT * FROM logins;
CREATE TABLE impulse_aside_0009_ids AS SELECT name, seq FROM sqlite_sequence WHERE name = 'logins';

DROP TABLE logins;
DROP INDEX sessions_expiry;
DROP INDEX sessions_live;
DROP INDEX sessions_live_node;
ALTER TABLE sessions DROP COLUMN ended_at;
ALTER TABLE sessions DROP COLUMN expires_at;
ALTER TABLE sessions DROP COLUMN activity;
ALTER TABLE sessions DROP COLUMN node;
ALTER TABLE users DROP COLUMN status;
ALTER TABLE users DROP COLUMN flags;
ALTER TABLE users DROP COLUMN note;
ALTER TABLE users DROP COLUMN location;
ALTER TABLE users DROP COLUMN real_name;

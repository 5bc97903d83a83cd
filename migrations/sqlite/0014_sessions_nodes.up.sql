-- Nodes and sessions: users gain the time they spent online (each session's length, added once
-- when it ends); sessions gain an idle timeout and the instant they lapse unless ended first
-- (lapses_at: the earlier of the fixed expiry and the last activity plus the idle timeout,
-- moved on by every touch; NULL when neither is set), which every read of live sessions, the
-- purge and the login history go by. Indexes serve sessions.listForUser (a user's live
-- sessions), the search for the lowest free node and the purge. What the down script set aside
-- comes back: each user's time online, each session's idle timeout and fixed expiry.
ALTER TABLE users ADD COLUMN time_online_seconds INTEGER NOT NULL DEFAULT 0
  CHECK (time_online_seconds BETWEEN 0 AND 9007199254740991);
ALTER TABLE sessions ADD COLUMN idle_timeout_seconds INTEGER
  CHECK (idle_timeout_seconds BETWEEN 1 AND 34560000);
ALTER TABLE sessions ADD COLUMN lapses_at INTEGER;

CREATE TABLE IF NOT EXISTS impulse_aside_0014_users (
  id INTEGER PRIMARY KEY, time_online_seconds INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0014_sessions (
  id INTEGER PRIMARY KEY, expires_at INT, idle_timeout_seconds INT
);

UPDATE users SET time_online_seconds = a.time_online_seconds
FROM impulse_aside_0014_users a WHERE a.id = users.id;

UPDATE sessions SET expires_at = a.expires_at, idle_timeout_seconds = a.idle_timeout_seconds
FROM impulse_aside_0014_sessions a WHERE a.id = sessions.id;

UPDATE sessions SET lapses_at = CASE
  WHEN idle_timeout_seconds IS NULL THEN expires_at
  WHEN expires_at IS NOT NULL AND expires_at < last_activity_at + idle_timeout_seconds * 1000
    THEN expires_at
  ELSE last_activity_at + idle_timeout_seconds * 1000 END;

DROP TABLE impulse_aside_0014_users;
DROP TABLE impulse_aside_0014_sessions;

DROP INDEX sessions_expiry;
CREATE INDEX sessions_lapse ON sessions (lapses_at) WHERE ended_at IS NULL;
CREATE INDEX sessions_user_live ON sessions (user_id, login_at, id) WHERE ended_at IS NULL;
CREATE INDEX sessions_live_node_lapse ON sessions (node, lapses_at) WHERE ended_at IS NULL;

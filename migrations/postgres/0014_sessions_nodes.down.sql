-- Back to users without their time online, and sessions without an idle timeout. What goes is
-- set aside for the up script to restore: each user's time online, each idle-timed session's
-- idle timeout and fixed expiry. A live session with an idle timeout goes down expiring when it
-- lapses now (its fixed expiry becomes its lapse), so that no release before this one keeps it
-- alive longer than its idle timeout allows.
CREATE TABLE impulse_aside_0014_users (id BIGINT PRIMARY KEY, time_online_seconds BIGINT);
INSERT INTO impulse_aside_0014_users
SELECT id, time_online_seconds FROM users WHERE time_online_seconds <> 0;

CREATE TABLE impulse_aside_0014_sessions (
  id BIGINT PRIMARY KEY, expires_at BIGINT, idle_timeout_seconds INTEGER
);
INSERT INTO impulse_aside_0014_sessions
SELECT id, expires_at, idle_timeout_seconds FROM sessions WHERE idle_timeout_seconds IS NOT NULL;
UPDATE sessions SET expires_at = lapses_at
WHERE idle_timeout_seconds IS NOT NULL AND ended_at IS NULL;

DROP INDEX sessions_live_node_lapse;
DROP INDEX sessions_user_live;
DROP INDEX sessions_lapse;
ALTER TABLE sessions DROP COLUMN lapses_at, DROP COLUMN idle_timeout_seconds;
ALTER TABLE users DROP COLUMN time_online_seconds;
CREATE INDEX sessions_expiry ON sessions (expires_at) WHERE ended_at IS NULL;

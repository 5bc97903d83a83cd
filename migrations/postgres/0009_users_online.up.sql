-- Users gain profile fields, access flags and a status; sessions gain a node, an activity,
-- an expiry and an end; logins are recorded for "last callers". What the down script set
-- aside comes back, but for the sessions and logins of users deleted meanwhile.
ALTER TABLE users
  ADD COLUMN real_name TEXT NOT NULL DEFAULT '',
  ADD COLUMN location TEXT NOT NULL DEFAULT '',
  ADD COLUMN note TEXT NOT NULL DEFAULT '',
  ADD COLUMN flags TEXT NOT NULL DEFAULT '',
  ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CONSTRAINT users_status_check CHECK (status IN ('active', 'locked', 'unvalidated'));

ALTER TABLE sessions
  ADD COLUMN node INTEGER CONSTRAINT sessions_node_check CHECK (node BETWEEN 1 AND 9999),
  ADD COLUMN activity TEXT NOT NULL DEFAULT '',
  ADD COLUMN expires_at BIGINT,
  ADD COLUMN ended_at BIGINT;

CREATE TABLE logins (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  username TEXT NOT NULL,
  login_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS impulse_aside_0009_users (
  id BIGINT PRIMARY KEY, real_name TEXT, location TEXT, note TEXT, flags TEXT, status TEXT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0009_sessions (
  id BIGINT PRIMARY KEY, user_id BIGINT, token_hash TEXT, ip_address TEXT, login_at BIGINT,
  last_activity_at BIGINT, node INTEGER, activity TEXT, expires_at BIGINT, ended_at BIGINT,
  whole BOOLEAN
);
CREATE TABLE IF NOT EXISTS impulse_aside_0009_logins (LIKE logins);
CREATE TABLE IF NOT EXISTS impulse_aside_0009_ids (name TEXT, seq BIGINT);

UPDATE users u SET real_name = a.real_name, location = a.location, note = a.note,
                   flags = a.flags, status = a.status
FROM impulse_aside_0009_users a WHERE a.id = u.id;

UPDATE sessions s SET node = a.node, activity = a.activity, expires_at = a.expires_at,
                      ended_at = a.ended_at
FROM impulse_aside_0009_sessions a WHERE a.id = s.id AND NOT a.whole;

INSERT INTO sessions (id, user_id, token_hash, ip_address, login_at, last_activity_at, node,
                      activity, expires_at, ended_at)
OVERRIDING SYSTEM VALUE
SELECT id, user_id, token_hash, ip_address, login_at, last_activity_at, node, activity,
       expires_at, ended_at
FROM impulse_aside_0009_sessions a
WHERE a.whole AND EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id)
  AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = a.id)
  AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.token_hash = a.token_hash);

INSERT INTO logins (id, user_id, username, login_at)
OVERRIDING SYSTEM VALUE
SELECT id, (SELECT u.id FROM users u WHERE u.id = a.user_id), username, login_at
FROM impulse_aside_0009_logins a;

SELECT setval('logins_id_seq', seq) FROM impulse_aside_0009_ids WHERE seq > 0;

DROP TABLE impulse_aside_0009_users, impulse_aside_0009_sessions, impulse_aside_0009_logins,
  impulse_aside_0009_ids;

CREATE UNIQUE INDEX sessions_live_node ON sessions (node) WHERE ended_at IS NULL;
CREATE INDEX sessions_live ON sessions (id) WHERE ended_at IS NULL;
CREATE INDEX sessions_expiry ON sessions (expires_at) WHERE ended_at IS NULL;

CREATE INDEX logins_at ON logins (login_at DESC, id DESC);
CREATE INDEX logins_user ON logins (user_id);

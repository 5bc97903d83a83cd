-- Users gain profile fields, access flags and a status; sessions gain a node, an activity,
-- an expiry and an end; logins are recorded for "last callers". What the down script set
-- aside comes back, but for the sessions and logins of users deleted meanwhile.
ALTER TABLE users ADD COLUMN real_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN flags TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
  CHECK (status IN ('active', 'locked', 'unvalidated'));

ALTER TABLE sessions ADD COLUMN node INTEGER CHECK (node BETWEEN 1 AND 9999);
ALTER TABLE sessions ADD COLUMN activity TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN expires_at INTEGER;
ALTER TABLE sessions ADD COLUMN ended_at INTEGER;

CREATE TABLE logins (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  username TEXT NOT NULL,
  login_at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS impulse_aside_0009_users (
  id INTEGER PRIMARY KEY, real_name TEXT, location TEXT, note TEXT, flags TEXT, status TEXT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0009_sessions (
  id INTEGER PRIMARY KEY, user_id INT, token_hash TEXT, ip_address TEXT, login_at INT,
  last_activity_at INT, node INT, activity TEXT, expires_at INT, ended_at INT, whole INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0009_logins (
  id INT, user_id INT, username TEXT, login_at INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0009_ids (name TEXT, seq INT);

UPDATE users SET real_name = a.real_name, location = a.location, note = a.note,
                 flags = a.flags, status = a.status
FROM impulse_aside_0009_users a WHERE a.id = users.id;

UPDATE sessions SET node = a.node, activity = a.activity, expires_at = a.expires_at,
                    ended_at = a.ended_at
FROM impulse_aside_0009_sessions a WHERE a.id = sessions.id AND NOT a.whole;

INSERT INTO sessions (id, user_id, token_hash, ip_address, login_at, last_activity_at, node,
                      activity, expires_at, ended_at)
SELECT id, user_id, token_hash, ip_address, login_at, last_activity_at, node, activity,
       expires_at, ended_at
FROM impulse_aside_0009_sessions a
WHERE a.whole AND EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id)
  AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = a.id)
  AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.token_hash = a.token_hash);

INSERT INTO logins (id, user_id, username, login_at)
SELECT id, (SELECT u.id FROM users u WHERE u.id = a.user_id), username, login_at
FROM impulse_aside_0009_logins a;

INSERT INTO sqlite_sequence (name, seq)
SELECT name, seq FROM impulse_aside_0009_ids
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = 'logins');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM impulse_aside_0009_ids))
WHERE name = 'logins' AND EXISTS (SELECT 1 FROM impulse_aside_0009_ids);

DROP TABLE impulse_aside_0009_users;
DROP TABLE impulse_aside_0009_sessions;
DROP TABLE impulse_aside_0009_logins;
DROP TABLE impulse_aside_0009_ids;

CREATE UNIQUE INDEX sessions_live_node ON sessions (node) WHERE ended_at IS NULL;
CREATE INDEX sessions_live ON sessions (id) WHERE ended_at IS NULL;
CREATE INDEX sessions_expiry ON sessions (expires_at) WHERE ended_at IS NULL;

CREATE INDEX logins_at ON logins (login_at DESC, id DESC);
CREATE INDEX logins_user ON logins (user_id);

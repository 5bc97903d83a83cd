-- Users gain profile fields, access flags and a status; sessions gain a node, an activity,
-- an expiry and an end; logins are recorded for "last callers".
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

CREATE UNIQUE INDEX sessions_live_node ON sessions (node) WHERE ended_at IS NULL;
CREATE INDEX sessions_live ON sessions (id) WHERE ended_at IS NULL;
CREATE INDEX sessions_expiry ON sessions (expires_at) WHERE ended_at IS NULL;

CREATE TABLE logins (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  username TEXT NOT NULL,
  login_at INTEGER NOT NULL
) STRICT;

CREATE INDEX logins_at ON logins (login_at DESC, id DESC);
CREATE INDEX logins_user ON logins (user_id);

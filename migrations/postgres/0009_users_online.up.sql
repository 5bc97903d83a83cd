-- Users gain profile fields, access flags and a status; sessions gain a node, an activity,
-- an expiry and an end; logins are recorded for "last callers".
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

CREATE UNIQUE INDEX sessions_live_node ON sessions (node) WHERE ended_at IS NULL;
CREATE INDEX sessions_live ON sessions (id) WHERE ended_at IS NULL;
CREATE INDEX sessions_expiry ON sessions (expires_at) WHERE ended_at IS NULL;

CREATE TABLE logins (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  username TEXT NOT NULL,
  login_at BIGINT NOT NULL
);

CREATE INDEX logins_at ON logins (login_at DESC, id DESC);
CREATE INDEX logins_user ON logins (user_id);

-- Login sessions. Only the SHA-256 of a token is stored. Deleting a user ends their sessions.
CREATE TABLE sessions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  ip_address TEXT NOT NULL,
  login_at BIGINT NOT NULL,
  last_activity_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX sessions_token_hash ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

-- The sessions the down script set aside come back, with the id high-water mark, but for those
-- of users deleted meanwhile, which deleting them would have ended.
CREATE TABLE IF NOT EXISTS impulse_aside_0004_sessions (LIKE sessions);
CREATE TABLE IF NOT EXISTS impulse_aside_0004_ids (name TEXT, seq BIGINT);

INSERT INTO sessions (id, user_id, token_hash, ip_address, login_at, last_activity_at)
OVERRIDING SYSTEM VALUE
SELECT id, user_id, token_hash, ip_address, login_at, last_activity_at
FROM impulse_aside_0004_sessions a
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id);

SELECT setval('sessions_id_seq', seq) FROM impulse_aside_0004_ids WHERE seq > 0;

DROP TABLE impulse_aside_0004_sessions, impulse_aside_0004_ids;

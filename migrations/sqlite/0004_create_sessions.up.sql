-- Login sessions. Only the SHA-256 of a token is stored. Deleting a user ends their sessions.
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL,
  ip_address TEXT NOT NULL,
  login_at INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX sessions_token_hash ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

-- The sessions the down script set aside come back, with the id high-water mark, but for those
-- of users deleted meanwhile, which deleting them would have ended.
CREATE TABLE IF NOT EXISTS impulse_aside_0004_sessions (
  id INT, user_id INT, token_hash TEXT, ip_address TEXT, login_at INT, last_activity_at INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0004_ids (name TEXT, seq INT);

INSERT INTO sessions (id, user_id, token_hash, ip_address, login_at, last_activity_at)
SELECT id, user_id, token_hash, ip_address, login_at, last_activity_at
FROM impulse_aside_0004_sessions a
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id);

INSERT INTO sqlite_sequence (name, seq)
SELECT name, seq FROM impulse_aside_0004_ids
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = 'sessions');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM impulse_aside_0004_ids))
WHERE name = 'sessions' AND EXISTS (SELECT 1 FROM impulse_aside_0004_ids);

DROP TABLE impulse_aside_0004_sessions;
DROP TABLE impulse_aside_0004_ids;

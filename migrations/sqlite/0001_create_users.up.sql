-- Users: one row per account. Names are unique by their NFKC + lower-case key.
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL,
  username_key TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  security_level INTEGER NOT NULL DEFAULT 10 CHECK (security_level BETWEEN 0 AND 255),
  logins INTEGER NOT NULL DEFAULT 0 CHECK (logins BETWEEN 0 AND 9007199254740991),
  posts INTEGER NOT NULL DEFAULT 0 CHECK (posts BETWEEN 0 AND 9007199254740991),
  uploads INTEGER NOT NULL DEFAULT 0 CHECK (uploads BETWEEN 0 AND 9007199254740991),
  downloads INTEGER NOT NULL DEFAULT 0 CHECK (downloads BETWEEN 0 AND 9007199254740991),
  upload_bytes INTEGER NOT NULL DEFAULT 0 CHECK (upload_bytes BETWEEN 0 AND 9007199254740991),
  download_bytes INTEGER NOT NULL DEFAULT 0 CHECK (download_bytes BETWEEN 0 AND 9007199254740991),
  last_login_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX users_username_key ON users (username_key);

-- The users the down script set aside come back, with the id high-water mark.
CREATE TABLE IF NOT EXISTS impulse_aside_0001_users (
  id INT, username TEXT, username_key TEXT, password_hash TEXT, security_level INT, logins INT,
  posts INT, uploads INT, downloads INT, upload_bytes INT, download_bytes INT,
  last_login_at INT, created_at INT, updated_at INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0001_ids (name TEXT, seq INT);

INSERT INTO users (id, username, username_key, password_hash, security_level, logins, posts,
                   uploads, downloads, upload_bytes, download_bytes, last_login_at, created_at,
                   updated_at)
SELECT id, username, username_key, password_hash, security_level, logins, posts, uploads,
       downloads, upload_bytes, download_bytes, last_login_at, created_at, updated_at
FROM impulse_aside_0001_users;

INSERT INTO sqlite_sequence (name, seq)
SELECT name, seq FROM impulse_aside_0001_ids
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = 'users');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM impulse_aside_0001_ids))
WHERE name = 'users' AND EXISTS (SELECT 1 FROM impulse_aside_0001_ids);

DROP TABLE impulse_aside_0001_users;
DROP TABLE impulse_aside_0001_ids;

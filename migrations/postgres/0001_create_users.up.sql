-- Users: one row per account. Names are unique by their NFKC + lower-case key.
CREATE TABLE users (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username TEXT NOT NULL,
  username_key TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  security_level INTEGER NOT NULL DEFAULT 10 CHECK (security_level BETWEEN 0 AND 255),
  logins BIGINT NOT NULL DEFAULT 0 CHECK (logins BETWEEN 0 AND 9007199254740991),
  posts BIGINT NOT NULL DEFAULT 0 CHECK (posts BETWEEN 0 AND 9007199254740991),
  uploads BIGINT NOT NULL DEFAULT 0 CHECK (uploads BETWEEN 0 AND 9007199254740991),
  downloads BIGINT NOT NULL DEFAULT 0 CHECK (downloads BETWEEN 0 AND 9007199254740991),
  upload_bytes BIGINT NOT NULL DEFAULT 0 CHECK (upload_bytes BETWEEN 0 AND 9007199254740991),
  download_bytes BIGINT NOT NULL DEFAULT 0 CHECK (download_bytes BETWEEN 0 AND 9007199254740991),
  last_login_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE UNIQUE INDEX users_username_key ON users (username_key);

-- The users the down script set aside come back, with the id high-water mark.
CREATE TABLE IF NOT EXISTS impulse_aside_0001_users (LIKE users);
CREATE TABLE IF NOT EXISTS impulse_aside_0001_ids (name TEXT, seq BIGINT);

INSERT INTO users (id, username, username_key, password_hash, security_level, logins, posts,
                   uploads, downloads, upload_bytes, download_bytes, last_login_at, created_at,
                   updated_at)
OVERRIDING SYSTEM VALUE
SELECT id, username, username_key, password_hash, security_level, logins, posts, uploads,
       downloads, upload_bytes, download_bytes, last_login_at, created_at, updated_at
FROM impulse_aside_0001_users;

SELECT setval('users_id_seq', seq) FROM impulse_aside_0001_ids WHERE seq > 0;

DROP TABLE impulse_aside_0001_users, impulse_aside_0001_ids;

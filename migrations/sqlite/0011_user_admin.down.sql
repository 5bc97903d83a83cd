-- Back to users without the status "banned", reasons, lock ends, failed-login counts or real
-- name keys, and no user properties. What goes is set aside for the up script to restore: each
-- user's status, reason, lock end and count, and every property. A banned user goes down as
-- locked, so that no release before this one lets them log in.
CREATE TABLE impulse_aside_0011_users (
  id INTEGER PRIMARY KEY, status TEXT, status_reason TEXT, locked_until INT, failed_logins INT
);
INSERT INTO impulse_aside_0011_users
SELECT id, status, status_reason, locked_until, failed_logins FROM users
WHERE status = 'banned' OR status_reason IS NOT NULL OR locked_until IS NOT NULL
   OR failed_logins <> 0;

CREATE TABLE impulse_aside_0011_props AS SELECT user_id, key, value, lookup FROM user_props;
DROP TABLE user_props;
DROP INDEX sessions_user_login;

CREATE TABLE users_old (
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
, real_name TEXT NOT NULL DEFAULT '', location TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '', flags TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'active'
  CHECK (status IN ('active', 'locked', 'unvalidated'))) STRICT;

INSERT INTO users_old (id, username, username_key, password_hash, security_level, logins, posts,
                       uploads, downloads, upload_bytes, download_bytes, last_login_at,
                       created_at, updated_at, real_name, location, note, flags, status)
SELECT id, username, username_key, password_hash, security_level, logins, posts, uploads,
       downloads, upload_bytes, download_bytes, last_login_at, created_at, updated_at,
       real_name, location, note, flags,
       CASE WHEN status = 'banned' THEN 'locked' ELSE status END
FROM users;

-- Keep the id high-water mark, so ids of deleted rows are never reused.
DELETE FROM sqlite_sequence WHERE name = 'users_old';
INSERT INTO sqlite_sequence (name, seq) SELECT 'users_old', seq FROM sqlite_sequence WHERE name = 'users';

DROP TABLE users;
ALTER TABLE users_old RENAME TO users;

CREATE UNIQUE INDEX users_username_key ON users (username_key);

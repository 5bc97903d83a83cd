-- User administration: users gain the status "banned", a reason for a ban or lock, an end of a
-- lock, a count of failed logins and the key their real name is searched by (recomputed by the
-- code step, migrations/0011_user_admin.ts, right after this script); user properties
-- (user_props) arrive; indexes serve the orders of users.list and the login history of
-- users.logins (read from sessions). SQLite cannot change a CHECK constraint, so users is
-- rebuilt (foreign keys are off while a migration runs). What the down script set aside comes
-- back: banned status, reasons, lock ends, counts and the properties of users still present.
CREATE TABLE users_new (
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
  updated_at INTEGER NOT NULL,
  real_name TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  flags TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'locked', 'unvalidated', 'banned')),
  status_reason TEXT CHECK (status_reason IS NULL OR status IN ('banned', 'locked')),
  locked_until INTEGER CHECK (locked_until IS NULL OR status = 'locked'),
  failed_logins INTEGER NOT NULL DEFAULT 0
    CHECK (failed_logins BETWEEN 0 AND 9007199254740991),
  real_name_key TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE IF NOT EXISTS impulse_aside_0011_users (
  id INTEGER PRIMARY KEY, status TEXT, status_reason TEXT, locked_until INT, failed_logins INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0011_props (
  user_id INT, key TEXT, value TEXT, lookup TEXT
);

INSERT INTO users_new (id, username, username_key, password_hash, security_level, logins, posts,
                       uploads, downloads, upload_bytes, download_bytes, last_login_at,
                       created_at, updated_at, real_name, location, note, flags, status,
                       status_reason, locked_until, failed_logins, real_name_key)
SELECT u.id, u.username, u.username_key, u.password_hash, u.security_level, u.logins, u.posts,
       u.uploads, u.downloads, u.upload_bytes, u.download_bytes, u.last_login_at, u.created_at,
       u.updated_at, u.real_name, u.location, u.note, u.flags,
       -- A user set aside as banned went down as locked; one changed meanwhile keeps the change.
       CASE WHEN a.status = 'banned' AND u.status = 'locked' THEN 'banned' ELSE u.status END,
       CASE WHEN u.status = 'locked' AND a.status IN ('banned', 'locked') THEN a.status_reason END,
       CASE WHEN u.status = 'locked' AND a.status = 'locked' THEN a.locked_until END,
       coalesce(a.failed_logins, 0), lower(u.real_name)
FROM users u LEFT JOIN impulse_aside_0011_users a ON a.id = u.id;

-- Keep the id high-water mark, so ids of deleted rows are never reused.
DELETE FROM sqlite_sequence WHERE name = 'users_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'users_new', seq FROM sqlite_sequence WHERE name = 'users';

DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE UNIQUE INDEX users_username_key ON users (username_key);
CREATE INDEX users_created ON users (created_at, id);
CREATE INDEX users_last_login ON users (coalesce(last_login_at, -9007199254740991), id);

CREATE TABLE user_props (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  lookup TEXT,
  PRIMARY KEY (user_id, key)
) STRICT, WITHOUT ROWID;

INSERT INTO user_props (user_id, key, value, lookup)
SELECT a.user_id, a.key, a.value, a.lookup FROM impulse_aside_0011_props a
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id);

CREATE INDEX user_props_lookup ON user_props (key, lookup);
CREATE INDEX sessions_user_login ON sessions (user_id, login_at DESC, id DESC);

DROP TABLE impulse_aside_0011_users;
DROP TABLE impulse_aside_0011_props;

-- User administration: users gain the status "banned", a reason for a ban or lock, an end of a
-- lock, a count of failed logins and the key their real name is searched by (recomputed by the
-- code step, migrations/0011_user_admin.ts, right after this script); user properties
-- (user_props) arrive; indexes serve the orders of users.list and the login history of
-- users.logins (read from sessions). What the down script set aside comes back: banned status,
-- reasons, lock ends, counts and the properties of users still present.
ALTER TABLE users DROP CONSTRAINT users_status_check;
ALTER TABLE users
  ADD CONSTRAINT users_status_check
    CHECK (status IN ('active', 'locked', 'unvalidated', 'banned')),
  ADD COLUMN status_reason TEXT
    CONSTRAINT users_status_reason_check
    CHECK (status_reason IS NULL OR status IN ('banned', 'locked')),
  ADD COLUMN locked_until BIGINT
    CONSTRAINT users_locked_until_check CHECK (locked_until IS NULL OR status = 'locked'),
  ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0
    CONSTRAINT users_failed_logins_check CHECK (failed_logins BETWEEN 0 AND 9007199254740991),
  ADD COLUMN real_name_key TEXT NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS impulse_aside_0011_users (
  id BIGINT PRIMARY KEY, status TEXT, status_reason TEXT, locked_until BIGINT,
  failed_logins BIGINT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0011_props (
  user_id BIGINT, key TEXT, value TEXT, lookup TEXT
);

-- A user set aside as banned went down as locked; one changed meanwhile keeps the change.
UPDATE users u SET
  status = CASE WHEN a.status = 'banned' AND u.status = 'locked' THEN 'banned' ELSE u.status END,
  status_reason = CASE WHEN u.status = 'locked' AND a.status IN ('banned', 'locked')
                       THEN a.status_reason END,
  locked_until = CASE WHEN u.status = 'locked' AND a.status = 'locked' THEN a.locked_until END,
  failed_logins = coalesce(a.failed_logins, 0)
FROM impulse_aside_0011_users a WHERE a.id = u.id;

UPDATE users SET real_name_key = lower(real_name);

CREATE INDEX users_created ON users (created_at, id);
CREATE INDEX users_last_login ON users ((coalesce(last_login_at, -9007199254740991)), id);

CREATE TABLE user_props (
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  lookup TEXT,
  PRIMARY KEY (user_id, key)
);

INSERT INTO user_props (user_id, key, value, lookup)
SELECT a.user_id, a.key, a.value, a.lookup FROM impulse_aside_0011_props a
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id);

CREATE INDEX user_props_lookup ON user_props (key, lookup);
CREATE INDEX sessions_user_login ON sessions (user_id, login_at DESC, id DESC);

DROP TABLE impulse_aside_0011_users, impulse_aside_0011_props;

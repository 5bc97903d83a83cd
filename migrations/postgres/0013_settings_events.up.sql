-- Settings (one JSON value per key) and the event log. Deleting a user or a session keeps its
-- events, without the reference. What the down script set aside comes back, with the events'
-- id high-water mark; a user or session deleted meanwhile is forgotten, as deleting it would
-- have done. Setting keys sort by code point ("C"), as on SQLite, so a prefix is a range.
CREATE TABLE settings (
  key TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind TEXT NOT NULL,
  user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
  session_id BIGINT REFERENCES sessions (id) ON DELETE SET NULL,
  data TEXT,
  at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS impulse_aside_0013_settings (LIKE settings);
CREATE TABLE IF NOT EXISTS impulse_aside_0013_events (LIKE events);
CREATE TABLE IF NOT EXISTS impulse_aside_0013_ids (name TEXT, seq BIGINT);

INSERT INTO settings (key, value, updated_at)
SELECT key, value, updated_at FROM impulse_aside_0013_settings;

INSERT INTO events (id, kind, user_id, session_id, data, at)
OVERRIDING SYSTEM VALUE
SELECT id, kind, (SELECT u.id FROM users u WHERE u.id = a.user_id),
       (SELECT s.id FROM sessions s WHERE s.id = a.session_id), data, at
FROM impulse_aside_0013_events a;

SELECT setval('events_id_seq', seq) FROM impulse_aside_0013_ids WHERE seq > 0;

DROP TABLE impulse_aside_0013_settings, impulse_aside_0013_events, impulse_aside_0013_ids;

-- Newest first: by time, by kind and time, by user and time; events.top counts a kind's users
-- from its index alone; deleting a session finds its events.
CREATE INDEX events_at ON events (at, id);
CREATE INDEX events_kind ON events (kind, at, id);
CREATE INDEX events_user ON events (user_id, at, id);
CREATE INDEX events_top ON events (kind, user_id, at);
CREATE INDEX events_session ON events (session_id) WHERE session_id IS NOT NULL;

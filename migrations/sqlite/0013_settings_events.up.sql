-- Settings (one JSON value per key) and the event log. Deleting a user or a session keeps its
-- events, without the reference. What the down script set aside comes back, with the events'
-- id high-water mark; a user or session deleted meanwhile is forgotten, as deleting it would
-- have done.
CREATE TABLE settings (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
  data TEXT,
  at INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS impulse_aside_0013_settings (key TEXT, value TEXT, updated_at INT);
CREATE TABLE IF NOT EXISTS impulse_aside_0013_events (
  id INT, kind TEXT, user_id INT, session_id INT, data TEXT, at INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0013_ids (name TEXT, seq INT);

INSERT INTO settings (key, value, updated_at)
SELECT key, value, updated_at FROM impulse_aside_0013_settings;

INSERT INTO events (id, kind, user_id, session_id, data, at)
SELECT id, kind, (SELECT u.id FROM users u WHERE u.id = a.user_id),
       (SELECT s.id FROM sessions s WHERE s.id = a.session_id), data, at
FROM impulse_aside_0013_events a;

INSERT INTO sqlite_sequence (name, seq)
SELECT name, seq FROM impulse_aside_0013_ids
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence s WHERE s.name = 'events');
UPDATE sqlite_sequence SET seq = max(seq, (SELECT seq FROM impulse_aside_0013_ids))
WHERE name = 'events' AND EXISTS (SELECT 1 FROM impulse_aside_0013_ids);

DROP TABLE impulse_aside_0013_settings;
DROP TABLE impulse_aside_0013_events;
DROP TABLE impulse_aside_0013_ids;

-- Newest first: by time, by kind and time, by user and time; events.top counts a kind's users
-- from its index alone; deleting a session finds its events.
CREATE INDEX events_at ON events (at, id);
CREATE INDEX events_kind ON events (kind, at, id);
CREATE INDEX events_user ON events (user_id, at, id);
CREATE INDEX events_top ON events (kind, user_id, at);
CREATE INDEX events_session ON events (session_id) WHERE session_id IS NOT NULL;

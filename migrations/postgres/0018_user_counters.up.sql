-- A user's counters (users.incrementCounter, users.counters): the board's own (door runs, file
-- points) and the package's daily ones (callsToday, uploadBytesToday, downloadBytesToday). A
-- daily counter keeps the day it counts (YYYY-MM-DD in the board's time zone) and reads as 0 on
-- another day; a lasting one has none. What the down script set aside comes back, for the users
-- still present.
CREATE TABLE user_counters (
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value BIGINT NOT NULL DEFAULT 0 CHECK (value BETWEEN -9007199254740991 AND 9007199254740991),
  day TEXT,
  PRIMARY KEY (user_id, name)
);

CREATE TABLE IF NOT EXISTS impulse_aside_0018_counters (
  user_id BIGINT,
  name TEXT,
  value BIGINT,
  day TEXT
);

INSERT INTO user_counters (user_id, name, value, day)
SELECT a.user_id, a.name, a.value, a.day FROM impulse_aside_0018_counters a
WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = a.user_id);

DROP TABLE impulse_aside_0018_counters;

-- Areas gain a description, a position (the order lists show them in) and settings: message
-- areas a conference, limits, an origin line and anonymous posting; file areas a storage path,
-- an upload limit and whether uploads are allowed; both, access levels and flags. An area keeps
-- its place in lists (its position is its id), but for what the down script set aside, which
-- comes back.
ALTER TABLE message_areas ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE message_areas ADD COLUMN position INTEGER NOT NULL DEFAULT 0
  CHECK (position BETWEEN 0 AND 2147483647);
ALTER TABLE message_areas ADD COLUMN conference TEXT NOT NULL DEFAULT '';
ALTER TABLE message_areas ADD COLUMN max_messages INTEGER
  CHECK (max_messages BETWEEN 1 AND 9007199254740991);
ALTER TABLE message_areas ADD COLUMN max_age_days INTEGER CHECK (max_age_days BETWEEN 1 AND 36500);
ALTER TABLE message_areas ADD COLUMN origin TEXT NOT NULL DEFAULT '';
ALTER TABLE message_areas ADD COLUMN anonymous TEXT NOT NULL DEFAULT 'never'
  CHECK (anonymous IN ('never', 'allowed', 'forced'));
ALTER TABLE message_areas ADD COLUMN read_level INTEGER NOT NULL DEFAULT 0
  CHECK (read_level BETWEEN 0 AND 255);
ALTER TABLE message_areas ADD COLUMN write_level INTEGER NOT NULL DEFAULT 0
  CHECK (write_level BETWEEN 0 AND 255);
ALTER TABLE message_areas ADD COLUMN read_flags TEXT NOT NULL DEFAULT '';
ALTER TABLE message_areas ADD COLUMN write_flags TEXT NOT NULL DEFAULT '';
ALTER TABLE message_areas ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
ALTER TABLE message_areas ADD COLUMN sysop_level INTEGER NOT NULL DEFAULT 255
  CHECK (sysop_level BETWEEN 0 AND 255);

ALTER TABLE file_areas ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE file_areas ADD COLUMN position INTEGER NOT NULL DEFAULT 0
  CHECK (position BETWEEN 0 AND 2147483647);
ALTER TABLE file_areas ADD COLUMN storage_path TEXT NOT NULL DEFAULT '';
ALTER TABLE file_areas ADD COLUMN max_file_size INTEGER
  CHECK (max_file_size BETWEEN 0 AND 9007199254740991);
ALTER TABLE file_areas ADD COLUMN uploads_allowed INTEGER NOT NULL DEFAULT 1
  CHECK (uploads_allowed IN (0, 1));
ALTER TABLE file_areas ADD COLUMN read_level INTEGER NOT NULL DEFAULT 0
  CHECK (read_level BETWEEN 0 AND 255);
ALTER TABLE file_areas ADD COLUMN write_level INTEGER NOT NULL DEFAULT 0
  CHECK (write_level BETWEEN 0 AND 255);
ALTER TABLE file_areas ADD COLUMN read_flags TEXT NOT NULL DEFAULT '';
ALTER TABLE file_areas ADD COLUMN write_flags TEXT NOT NULL DEFAULT '';
ALTER TABLE file_areas ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));
ALTER TABLE file_areas ADD COLUMN sysop_level INTEGER NOT NULL DEFAULT 255
  CHECK (sysop_level BETWEEN 0 AND 255);

UPDATE message_areas SET position = id;
UPDATE file_areas SET position = id;

CREATE TABLE IF NOT EXISTS impulse_aside_0012_message_areas (
  id INTEGER PRIMARY KEY, description TEXT, position INT, conference TEXT, max_messages INT,
  max_age_days INT, origin TEXT, anonymous TEXT, read_level INT, write_level INT,
  read_flags TEXT, write_flags TEXT, hidden INT, sysop_level INT
);
CREATE TABLE IF NOT EXISTS impulse_aside_0012_file_areas (
  id INTEGER PRIMARY KEY, description TEXT, position INT, storage_path TEXT, max_file_size INT,
  uploads_allowed INT, read_level INT, write_level INT, read_flags TEXT, write_flags TEXT,
  hidden INT, sysop_level INT
);

UPDATE message_areas SET description = a.description, position = a.position,
  conference = a.conference, max_messages = a.max_messages, max_age_days = a.max_age_days,
  origin = a.origin, anonymous = a.anonymous, read_level = a.read_level,
  write_level = a.write_level, read_flags = a.read_flags, write_flags = a.write_flags,
  hidden = a.hidden, sysop_level = a.sysop_level
FROM impulse_aside_0012_message_areas a WHERE a.id = message_areas.id;

UPDATE file_areas SET description = a.description, position = a.position,
  storage_path = a.storage_path, max_file_size = a.max_file_size,
  uploads_allowed = a.uploads_allowed, read_level = a.read_level, write_level = a.write_level,
  read_flags = a.read_flags, write_flags = a.write_flags, hidden = a.hidden,
  sysop_level = a.sysop_level
FROM impulse_aside_0012_file_areas a WHERE a.id = file_areas.id;

DROP TABLE impulse_aside_0012_message_areas;
DROP TABLE impulse_aside_0012_file_areas;

CREATE INDEX message_areas_position ON message_areas (position, id);
CREATE INDEX file_areas_position ON file_areas (position, id);

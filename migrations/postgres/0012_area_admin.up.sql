-- Areas gain a description, a position (the order lists show them in) and settings: message
-- areas a conference, limits, an origin line and anonymous posting; file areas a storage path,
-- an upload limit and whether uploads are allowed; both, access levels and flags. An area keeps
-- its place in lists (its position is its id), but for what the down script set aside, which
-- comes back. Booleans are the integers 0 and 1, as on SQLite.
ALTER TABLE message_areas
  ADD COLUMN description TEXT NOT NULL DEFAULT '',
  ADD COLUMN position INTEGER NOT NULL DEFAULT 0
    CONSTRAINT message_areas_position_check CHECK (position BETWEEN 0 AND 2147483647),
  ADD COLUMN conference TEXT NOT NULL DEFAULT '',
  ADD COLUMN max_messages BIGINT
    CONSTRAINT message_areas_max_messages_check CHECK (max_messages BETWEEN 1 AND 9007199254740991),
  ADD COLUMN max_age_days INTEGER
    CONSTRAINT message_areas_max_age_days_check CHECK (max_age_days BETWEEN 1 AND 36500),
  ADD COLUMN origin TEXT NOT NULL DEFAULT '',
  ADD COLUMN anonymous TEXT NOT NULL DEFAULT 'never'
    CONSTRAINT message_areas_anonymous_check CHECK (anonymous IN ('never', 'allowed', 'forced')),
  ADD COLUMN read_level INTEGER NOT NULL DEFAULT 0
    CONSTRAINT message_areas_read_level_check CHECK (read_level BETWEEN 0 AND 255),
  ADD COLUMN write_level INTEGER NOT NULL DEFAULT 0
    CONSTRAINT message_areas_write_level_check CHECK (write_level BETWEEN 0 AND 255),
  ADD COLUMN read_flags TEXT NOT NULL DEFAULT '',
  ADD COLUMN write_flags TEXT NOT NULL DEFAULT '',
  ADD COLUMN hidden SMALLINT NOT NULL DEFAULT 0
    CONSTRAINT message_areas_hidden_check CHECK (hidden IN (0, 1)),
  ADD COLUMN sysop_level INTEGER NOT NULL DEFAULT 255
    CONSTRAINT message_areas_sysop_level_check CHECK (sysop_level BETWEEN 0 AND 255);

ALTER TABLE file_areas
  ADD COLUMN description TEXT NOT NULL DEFAULT '',
  ADD COLUMN position INTEGER NOT NULL DEFAULT 0
    CONSTRAINT file_areas_position_check CHECK (position BETWEEN 0 AND 2147483647),
  ADD COLUMN storage_path TEXT NOT NULL DEFAULT '',
  ADD COLUMN max_file_size BIGINT
    CONSTRAINT file_areas_max_file_size_check CHECK (max_file_size BETWEEN 0 AND 9007199254740991),
  ADD COLUMN uploads_allowed SMALLINT NOT NULL DEFAULT 1
    CONSTRAINT file_areas_uploads_allowed_check CHECK (uploads_allowed IN (0, 1)),
  ADD COLUMN read_level INTEGER NOT NULL DEFAULT 0
    CONSTRAINT file_areas_read_level_check CHECK (read_level BETWEEN 0 AND 255),
  ADD COLUMN write_level INTEGER NOT NULL DEFAULT 0
    CONSTRAINT file_areas_write_level_check CHECK (write_level BETWEEN 0 AND 255),
  ADD COLUMN read_flags TEXT NOT NULL DEFAULT '',
  ADD COLUMN write_flags TEXT NOT NULL DEFAULT '',
  ADD COLUMN hidden SMALLINT NOT NULL DEFAULT 0
    CONSTRAINT file_areas_hidden_check CHECK (hidden IN (0, 1)),
  ADD COLUMN sysop_level INTEGER NOT NULL DEFAULT 255
    CONSTRAINT file_areas_sysop_level_check CHECK (sysop_level BETWEEN 0 AND 255);

UPDATE message_areas SET position = id;
UPDATE file_areas SET position = id;

CREATE TABLE IF NOT EXISTS impulse_aside_0012_message_areas (
  id BIGINT PRIMARY KEY, description TEXT, position INTEGER, conference TEXT,
  max_messages BIGINT, max_age_days INTEGER, origin TEXT, anonymous TEXT, read_level INTEGER,
  write_level INTEGER, read_flags TEXT, write_flags TEXT, hidden SMALLINT, sysop_level INTEGER
);
CREATE TABLE IF NOT EXISTS impulse_aside_0012_file_areas (
  id BIGINT PRIMARY KEY, description TEXT, position INTEGER, storage_path TEXT,
  max_file_size BIGINT, uploads_allowed SMALLINT, read_level INTEGER, write_level INTEGER,
  read_flags TEXT, write_flags TEXT, hidden SMALLINT, sysop_level INTEGER
);

UPDATE message_areas m SET description = a.description, position = a.position,
  conference = a.conference, max_messages = a.max_messages, max_age_days = a.max_age_days,
  origin = a.origin, anonymous = a.anonymous, read_level = a.read_level,
  write_level = a.write_level, read_flags = a.read_flags, write_flags = a.write_flags,
  hidden = a.hidden, sysop_level = a.sysop_level
FROM impulse_aside_0012_message_areas a WHERE a.id = m.id;

UPDATE file_areas f SET description = a.description, position = a.position,
  storage_path = a.storage_path, max_file_size = a.max_file_size,
  uploads_allowed = a.uploads_allowed, read_level = a.read_level, write_level = a.write_level,
  read_flags = a.read_flags, write_flags = a.write_flags, hidden = a.hidden,
  sysop_level = a.sysop_level
FROM impulse_aside_0012_file_areas a WHERE a.id = f.id;

DROP TABLE impulse_aside_0012_message_areas, impulse_aside_0012_file_areas;

CREATE INDEX message_areas_position ON message_areas (position, id);
CREATE INDEX file_areas_position ON file_areas (position, id);

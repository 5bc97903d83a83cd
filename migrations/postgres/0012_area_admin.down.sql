-- Back to areas without descriptions, positions, settings or access. What goes is set aside,
-- by area id, for the up script to restore.
CREATE TABLE impulse_aside_0012_message_areas (
  id BIGINT PRIMARY KEY, description TEXT, position INTEGER, conference TEXT,
  max_messages BIGINT, max_age_days INTEGER, origin TEXT, anonymous TEXT, read_level INTEGER,
  write_level INTEGER, read_flags TEXT, write_flags TEXT, hidden SMALLINT, sysop_level INTEGER
);
INSERT INTO impulse_aside_0012_message_areas
SELECT id, description, position, conference, max_messages, max_age_days, origin, anonymous,
       read_level, write_level, read_flags, write_flags, hidden, sysop_level
FROM message_areas;

CREATE TABLE impulse_aside_0012_file_areas (
  id BIGINT PRIMARY KEY, description TEXT, position INTEGER, storage_path TEXT,
  max_file_size BIGINT, uploads_allowed SMALLINT, read_level INTEGER, write_level INTEGER,
  read_flags TEXT, write_flags TEXT, hidden SMALLINT, sysop_level INTEGER
);
INSERT INTO impulse_aside_0012_file_areas
SELECT id, description, position, storage_path, max_file_size, uploads_allowed, read_level,
       write_level, read_flags, write_flags, hidden, sysop_level
FROM file_areas;

DROP INDEX message_areas_position;
DROP INDEX file_areas_position;
ALTER TABLE message_areas
  DROP COLUMN sysop_level,
  DROP COLUMN hidden,
  DROP COLUMN write_flags,
  DROP COLUMN read_flags,
  DROP COLUMN write_level,
  DROP COLUMN read_level,
  DROP COLUMN anonymous,
  DROP COLUMN origin,
  DROP COLUMN max_age_days,
  DROP COLUMN max_messages,
  DROP COLUMN conference,
  DROP COLUMN position,
  DROP COLUMN description;
ALTER TABLE file_areas
  DROP COLUMN sysop_level,
  DROP COLUMN hidden,
  DROP COLUMN write_flags,
  DROP COLUMN read_flags,
  DROP COLUMN write_level,
  DROP COLUMN read_level,
  DROP COLUMN uploads_allowed,
  DROP COLUMN max_file_size,
  DROP COLUMN storage_path,
  DROP COLUMN position,
  DROP COLUMN description;

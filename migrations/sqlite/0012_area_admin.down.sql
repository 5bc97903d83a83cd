-- Back to areas without descriptions, positions, settings or access. What goes is set aside,
-- by area id, for the up script to restore.
CREATE TABLE impulse_aside_0012_message_areas (
  id INTEGER PRIMARY KEY, description TEXT, position INT, conference TEXT, max_messages INT,
  max_age_days INT, origin TEXT, anonymous TEXT, read_level INT, write_level INT,
  read_flags TEXT, write_flags TEXT, hidden INT, sysop_level INT
);
INSERT INTO impulse_aside_0012_message_areas
SELECT id, description, position, conference, max_messages, max_age_days, origin, anonymous,
       read_level, write_level, read_flags, write_flags, hidden, sysop_level
FROM message_areas;

CREATE TABLE impulse_aside_0012_file_areas (
  id INTEGER PRIMARY KEY, description TEXT, position INT, storage_path TEXT, max_file_size INT,
  uploads_allowed INT, read_level INT, write_level INT, read_flags TEXT, write_flags TEXT,
  hidden INT, sysop_level INT
);
INSERT INTO impulse_aside_0012_file_areas
SELECT id, description, position, storage_path, max_file_size, uploads_allowed, read_level,
       write_level, read_flags, write_flags, hidden, sysop_level
FROM file_areas;

DROP INDEX message_areas_position;
DROP INDEX file_areas_position;
ALTER TABLE message_areas DROP COLUMN sysop_level;
ALTER TABLE message_areas DROP COLUMN hidden;
ALTER TABLE message_areas DROP COLUMN write_flags;
ALTER TABLE message_areas DROP COLUMN read_flags;
ALTER TABLE message_areas DROP COLUMN write_level;
ALTER TABLE message_areas DROP COLUMN read_level;
ALTER TABLE message_areas DROP COLUMN anonymous;
ALTER TABLE message_areas DROP COLUMN origin;
ALTER TABLE message_areas DROP COLUMN max_age_days;
ALTER TABLE message_areas DROP COLUMN max_messages;
ALTER TABLE message_areas DROP COLUMN conference;
ALTER TABLE message_areas DROP COLUMN position;
ALTER TABLE message_areas DROP COLUMN description;
ALTER TABLE file_areas DROP COLUMN sysop_level;
ALTER TABLE file_areas DROP COLUMN hidden;
ALTER TABLE file_areas DROP COLUMN write_flags;
ALTER TABLE file_areas DROP COLUMN read_flags;
ALTER TABLE file_areas DROP COLUMN write_level;
ALTER TABLE file_areas DROP COLUMN read_level;
ALTER TABLE file_areas DROP COLUMN uploads_allowed;
ALTER TABLE file_areas DROP COLUMN max_file_size;
ALTER TABLE file_areas DROP COLUMN storage_path;
ALTER TABLE file_areas DROP COLUMN position;
ALTER TABLE file_areas DROP COLUMN description;

-- Settings and events are set aside, not dropped: the up script restores them, with the
-- events' id high-water mark.
CREATE TABLE impulse_aside_0013_settings AS SELECT * FROM settings;
CREATE TABLE impulse_aside_0013_events AS SELECT * FROM events;
CREATE TABLE impulse_aside_0013_ids AS SELECT name, seq FROM sqlite_sequence WHERE name = 'events';
DROP TABLE events;
DROP TABLE settings;

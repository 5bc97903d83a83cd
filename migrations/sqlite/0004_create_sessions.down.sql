-- Sessions are set aside, not dropped: the up script restores them, with the id high-water mark.
CREATE TABLE impulse_aside_0004_sessions AS SELECT * FROM sessions;
CREATE TABLE impulse_aside_0004_ids AS SELECT name, seq FROM sqlite_sequence WHERE name = 'sessions';
DROP TABLE sessions;

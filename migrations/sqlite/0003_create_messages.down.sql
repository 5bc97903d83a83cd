-- Messages are set aside, not dropped: the up script restores them, with the id high-water mark.
CREATE TABLE impulse_aside_0003_messages AS SELECT * FROM messages;
CREATE TABLE impulse_aside_0003_ids AS SELECT name, seq FROM sqlite_sequence WHERE name = 'messages';
DROP TABLE messages;

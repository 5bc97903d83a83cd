-- Files are set aside, not dropped: the up script restores them, with the id high-water mark.
CREATE TABLE impulse_aside_0002_files AS SELECT * FROM files;
CREATE TABLE impulse_aside_0002_ids AS SELECT name, seq FROM sqlite_sequence WHERE name = 'files';
DROP TABLE files;

-- Last-read pointers are set aside, not dropped: the up script restores them.
CREATE TABLE impulse_aside_0007_last_read AS SELECT * FROM last_read;
DROP TABLE last_read;

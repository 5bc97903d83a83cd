-- Files are set aside, not dropped: the up script restores them, with the id high-water mark.
CREATE TABLE impulse_aside_0002_files AS SELECT * FROM files;
CREATE TABLE impulse_aside_0002_ids AS
SELECT 'files'::text AS name, CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS seq
FROM files_id_seq;
DROP TABLE files;

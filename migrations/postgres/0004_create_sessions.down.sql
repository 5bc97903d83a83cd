-- Sessions are set aside, not dropped: the up script restores them, with the id high-water mark.
CREATE TABLE impulse_aside_0004_sessions AS SELECT * FROM sessions;
CREATE TABLE impulse_aside_0004_ids AS
SELECT 'sessions'::text AS name, CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS seq
FROM sessions_id_seq;
DROP TABLE sessions;

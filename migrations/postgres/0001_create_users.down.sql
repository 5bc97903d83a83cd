-- Users are set aside, not dropped: the up script restores them, ids and high-water mark
-- included. (Tables named impulse_aside_* hold data a down script set aside; drop them by
-- hand to discard it.)
CREATE TABLE impulse_aside_0001_users AS SELECT * FROM users;
CREATE TABLE impulse_aside_0001_ids AS
SELECT 'users'::text AS name, CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS seq
FROM users_id_seq;
DROP TABLE users;

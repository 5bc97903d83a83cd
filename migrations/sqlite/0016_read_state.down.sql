-- Back to pointers alone. The areas users left out of their new-scan are set aside for the up
-- script to restore; the indexes are rebuilt from the rows.
CREATE TABLE impulse_aside_0016_unscanned (user_id BIGINT, area_id BIGINT);
INSERT INTO impulse_aside_0016_unscanned SELECT user_id, area_id FROM last_read WHERE scanned = 0;

DROP INDEX messages_from_area_num;
DROP INDEX messages_area_created;
ALTER TABLE last_read DROP COLUMN scanned;

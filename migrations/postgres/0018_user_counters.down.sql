-- Sets the counters aside (impulse_aside_0018_counters) for the up script to bring back.
CREATE TABLE impulse_aside_0018_counters AS
SELECT user_id, name, value, day FROM user_counters;
DROP TABLE user_counters;

DROP TABLE last_read;

-- Back to users without an e-mail address; the addresses are set aside for the up script.
CREATE TABLE impulse_aside_0011_users (id BIGINT PRIMARY KEY, email TEXT);
INSERT INTO impulse_aside_0011_users SELECT id, email FROM users WHERE email <> '';
ALTER TABLE users DROP COLUMN email;

-- Users gain an e-mail address. What the down script set aside comes back.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

CREATE TABLE IF NOT EXISTS impulse_aside_0011_users (id BIGINT PRIMARY KEY, email TEXT);
UPDATE users u SET email = a.email FROM impulse_aside_0011_users a WHERE a.id = u.id;
DROP TABLE impulse_aside_0011_users;

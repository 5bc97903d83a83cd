-- Usernames and area tags are keyed by a full Unicode case fold with NFKC (src/keys.ts), which
-- SQL cannot compute: the code step of this migration (migrations/0010_name_keys.ts) recomputes
-- users.username_key, message_areas.tag_key and file_areas.tag_key in this transaction, right
-- after this script. Names that became one name keep their rows; each is noted.
SELECT 1;

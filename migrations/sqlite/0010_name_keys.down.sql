-- The code step of this migration (migrations/0010_name_keys.ts) restores the previous keys
-- (NFKC and lower case) in this transaction, right after this script.
SELECT 1;

-- Sets the import's record aside (impulse_aside_0023_ftn_imported) for the up script to bring
-- back.
CREATE TABLE impulse_aside_0023_ftn_imported AS
SELECT area_id, kind, key, imported_at FROM ftn_imported;
DROP TABLE ftn_imported;

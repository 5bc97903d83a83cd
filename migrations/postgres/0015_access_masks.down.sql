-- Back to flags alone: the masks are computed from the flags, which stay, so nothing is lost
-- (the up script computes them again).
ALTER TABLE users DROP COLUMN flag_mask;
ALTER TABLE message_areas DROP COLUMN read_mask, DROP COLUMN write_mask;
ALTER TABLE file_areas DROP COLUMN read_mask, DROP COLUMN write_mask;

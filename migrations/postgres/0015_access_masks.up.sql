-- Access flags as bit masks (A = 1, B = 2, … Z = 2^25), kept beside the flags they are computed
-- from, so that the reads made through `as()` test "the user holds every flag the area needs" in
-- the query: (area.read_mask & user.flag_mask) = area.read_mask. The code writes a mask whenever
-- it writes the flags (the catalogue's keyOf); this script computes them for the rows there are.
ALTER TABLE users ADD COLUMN flag_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message_areas ADD COLUMN read_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message_areas ADD COLUMN write_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE file_areas ADD COLUMN read_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE file_areas ADD COLUMN write_mask INTEGER NOT NULL DEFAULT 0;

UPDATE users SET flag_mask =
    (CASE WHEN strpos(flags, 'A') > 0 THEN 1 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'B') > 0 THEN 2 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'C') > 0 THEN 4 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'D') > 0 THEN 8 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'E') > 0 THEN 16 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'F') > 0 THEN 32 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'G') > 0 THEN 64 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'H') > 0 THEN 128 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'I') > 0 THEN 256 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'J') > 0 THEN 512 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'K') > 0 THEN 1024 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'L') > 0 THEN 2048 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'M') > 0 THEN 4096 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'N') > 0 THEN 8192 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'O') > 0 THEN 16384 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'P') > 0 THEN 32768 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'Q') > 0 THEN 65536 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'R') > 0 THEN 131072 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'S') > 0 THEN 262144 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'T') > 0 THEN 524288 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'U') > 0 THEN 1048576 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'V') > 0 THEN 2097152 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'W') > 0 THEN 4194304 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'X') > 0 THEN 8388608 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'Y') > 0 THEN 16777216 ELSE 0 END) +
    (CASE WHEN strpos(flags, 'Z') > 0 THEN 33554432 ELSE 0 END)
WHERE flags <> '';

UPDATE message_areas SET read_mask =
    (CASE WHEN strpos(read_flags, 'A') > 0 THEN 1 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'B') > 0 THEN 2 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'C') > 0 THEN 4 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'D') > 0 THEN 8 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'E') > 0 THEN 16 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'F') > 0 THEN 32 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'G') > 0 THEN 64 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'H') > 0 THEN 128 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'I') > 0 THEN 256 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'J') > 0 THEN 512 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'K') > 0 THEN 1024 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'L') > 0 THEN 2048 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'M') > 0 THEN 4096 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'N') > 0 THEN 8192 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'O') > 0 THEN 16384 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'P') > 0 THEN 32768 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'Q') > 0 THEN 65536 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'R') > 0 THEN 131072 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'S') > 0 THEN 262144 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'T') > 0 THEN 524288 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'U') > 0 THEN 1048576 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'V') > 0 THEN 2097152 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'W') > 0 THEN 4194304 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'X') > 0 THEN 8388608 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'Y') > 0 THEN 16777216 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'Z') > 0 THEN 33554432 ELSE 0 END)
WHERE read_flags <> '';

UPDATE message_areas SET write_mask =
    (CASE WHEN strpos(write_flags, 'A') > 0 THEN 1 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'B') > 0 THEN 2 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'C') > 0 THEN 4 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'D') > 0 THEN 8 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'E') > 0 THEN 16 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'F') > 0 THEN 32 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'G') > 0 THEN 64 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'H') > 0 THEN 128 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'I') > 0 THEN 256 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'J') > 0 THEN 512 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'K') > 0 THEN 1024 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'L') > 0 THEN 2048 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'M') > 0 THEN 4096 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'N') > 0 THEN 8192 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'O') > 0 THEN 16384 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'P') > 0 THEN 32768 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'Q') > 0 THEN 65536 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'R') > 0 THEN 131072 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'S') > 0 THEN 262144 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'T') > 0 THEN 524288 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'U') > 0 THEN 1048576 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'V') > 0 THEN 2097152 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'W') > 0 THEN 4194304 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'X') > 0 THEN 8388608 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'Y') > 0 THEN 16777216 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'Z') > 0 THEN 33554432 ELSE 0 END)
WHERE write_flags <> '';

UPDATE file_areas SET read_mask =
    (CASE WHEN strpos(read_flags, 'A') > 0 THEN 1 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'B') > 0 THEN 2 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'C') > 0 THEN 4 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'D') > 0 THEN 8 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'E') > 0 THEN 16 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'F') > 0 THEN 32 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'G') > 0 THEN 64 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'H') > 0 THEN 128 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'I') > 0 THEN 256 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'J') > 0 THEN 512 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'K') > 0 THEN 1024 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'L') > 0 THEN 2048 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'M') > 0 THEN 4096 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'N') > 0 THEN 8192 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'O') > 0 THEN 16384 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'P') > 0 THEN 32768 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'Q') > 0 THEN 65536 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'R') > 0 THEN 131072 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'S') > 0 THEN 262144 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'T') > 0 THEN 524288 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'U') > 0 THEN 1048576 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'V') > 0 THEN 2097152 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'W') > 0 THEN 4194304 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'X') > 0 THEN 8388608 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'Y') > 0 THEN 16777216 ELSE 0 END) +
    (CASE WHEN strpos(read_flags, 'Z') > 0 THEN 33554432 ELSE 0 END)
WHERE read_flags <> '';

UPDATE file_areas SET write_mask =
    (CASE WHEN strpos(write_flags, 'A') > 0 THEN 1 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'B') > 0 THEN 2 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'C') > 0 THEN 4 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'D') > 0 THEN 8 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'E') > 0 THEN 16 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'F') > 0 THEN 32 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'G') > 0 THEN 64 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'H') > 0 THEN 128 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'I') > 0 THEN 256 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'J') > 0 THEN 512 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'K') > 0 THEN 1024 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'L') > 0 THEN 2048 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'M') > 0 THEN 4096 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'N') > 0 THEN 8192 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'O') > 0 THEN 16384 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'P') > 0 THEN 32768 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'Q') > 0 THEN 65536 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'R') > 0 THEN 131072 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'S') > 0 THEN 262144 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'T') > 0 THEN 524288 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'U') > 0 THEN 1048576 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'V') > 0 THEN 2097152 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'W') > 0 THEN 4194304 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'X') > 0 THEN 8388608 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'Y') > 0 THEN 16777216 ELSE 0 END) +
    (CASE WHEN strpos(write_flags, 'Z') > 0 THEN 33554432 ELSE 0 END)
WHERE write_flags <> '';

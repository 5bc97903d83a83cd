-- Message filters and a tosser's export state (issue 13).
--
-- from_name_key: the key the author's name is filtered by (messages.list and messages.search
-- with fromName; the recipient's is 0019's to_name_key), the full case fold with NFKC of
-- src/keys.ts, as usernames compare. This script sets lower() of the name, which is the key of
-- an ASCII name; the code step (migrations/0020_message_export.ts) recomputes the others in
-- this transaction, right after it.
-- orig_addr, dest_addr: the FidoNet addresses the message came from and goes to, or NULL.
-- imported: 1 when the message came in from the network (an importer or a tosser posted it
-- with `imported: true`): such a message is never exported.
-- exported_at: when a tosser exported it (messages.markExported), or NULL. Messages posted
-- before this migration count as exported when they were written, so that a tosser starting
-- with this release does not send the board's whole history again; what the down script set
-- aside (addresses, imported flags, export times) comes back, for the messages still present.
ALTER TABLE messages ADD COLUMN from_name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN orig_addr TEXT;
ALTER TABLE messages ADD COLUMN dest_addr TEXT;
ALTER TABLE messages ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
ALTER TABLE messages ADD COLUMN exported_at INTEGER;

UPDATE messages SET from_name_key = lower(from_name), exported_at = created_at;

CREATE TABLE IF NOT EXISTS impulse_aside_0020_messages (
  id INTEGER PRIMARY KEY, orig_addr TEXT, dest_addr TEXT, imported INT, exported_at INT
);
UPDATE messages SET orig_addr = a.orig_addr, dest_addr = a.dest_addr, imported = a.imported,
  exported_at = a.exported_at
FROM impulse_aside_0020_messages a WHERE a.id = messages.id;
DROP TABLE impulse_aside_0020_messages;

-- messages.list and messages.search by author or recipient name, in number order.
CREATE INDEX messages_area_from_name ON messages (area_id, from_name_key, msg_num);
CREATE INDEX messages_area_to_name ON messages (area_id, to_name_key, msg_num);
-- The messages of a FidoNet address, either way.
CREATE INDEX messages_orig_addr ON messages (orig_addr) WHERE orig_addr IS NOT NULL;
CREATE INDEX messages_dest_addr ON messages (dest_addr) WHERE dest_addr IS NOT NULL;
-- messages.listUnexported: only the messages still to export are in it, in posting order.
CREATE INDEX messages_unexported ON messages (area_id, id)
  WHERE exported_at IS NULL AND imported = 0;

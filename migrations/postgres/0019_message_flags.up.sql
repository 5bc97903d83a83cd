-- Message flags and mail (issue 13): when the addressee received a letter (received_at, epoch
-- milliseconds, NULL until mail.markReceived), whether a message is private (in a public area,
-- readable through as() by its author, its addressee and the area's sysops alone) and whether it
-- is anonymous (its author hidden from other users through as()); every message of a private
-- area is private. Two internal columns serve
-- the mail reads: mail (1 for a message of a private area, which it never leaves: a private area
-- changes into no other kind) and to_name_key (the addressee's name folded as usernames are,
-- src/keys.ts; lower(to_name) here, recomputed by the code step, migrations/0019_message_flags.ts,
-- for names that are not plain ASCII).
ALTER TABLE messages ADD COLUMN received_at BIGINT;
ALTER TABLE messages ADD COLUMN private SMALLINT NOT NULL DEFAULT 0
  CONSTRAINT messages_private_check CHECK (private IN (0, 1));
ALTER TABLE messages ADD COLUMN anonymous SMALLINT NOT NULL DEFAULT 0
  CONSTRAINT messages_anonymous_check CHECK (anonymous IN (0, 1));
ALTER TABLE messages ADD COLUMN mail SMALLINT NOT NULL DEFAULT 0
  CONSTRAINT messages_mail_check CHECK (mail IN (0, 1));
ALTER TABLE messages ADD COLUMN to_name_key TEXT NOT NULL DEFAULT '';

UPDATE messages SET mail = 1, private = 1
WHERE area_id IN (SELECT id FROM message_areas WHERE kind = 'private');
UPDATE messages SET to_name_key = lower(to_name);

-- What the down script set aside (received times and flags) comes back, for the messages still
-- present.
CREATE TABLE IF NOT EXISTS impulse_aside_0019_flags (
  id BIGINT PRIMARY KEY, received_at BIGINT, private SMALLINT, anonymous SMALLINT
);
UPDATE messages SET
  received_at = (SELECT a.received_at FROM impulse_aside_0019_flags a WHERE a.id = messages.id),
  private = (SELECT a.private FROM impulse_aside_0019_flags a WHERE a.id = messages.id),
  anonymous = (SELECT a.anonymous FROM impulse_aside_0019_flags a WHERE a.id = messages.id)
WHERE id IN (SELECT id FROM impulse_aside_0019_flags);
DROP TABLE impulse_aside_0019_flags;

-- mail.inbox and mail.sent, newest first; mail.unreadCount and inbox's unreadOnly over the
-- letters not yet received (one index range each, however many messages the board holds).
CREATE INDEX messages_inbox ON messages (to_user_id, id) WHERE mail = 1;
CREATE INDEX messages_sent ON messages (from_user_id, id) WHERE mail = 1;
CREATE INDEX messages_unreceived ON messages (to_user_id, id)
  WHERE mail = 1 AND received_at IS NULL;
-- mail.toName: messages addressed to a name, in any area.
CREATE INDEX messages_to_name ON messages (to_name_key, id);
-- Private messages of public areas, which a viewer's counts leave out (few).
CREATE INDEX messages_private ON messages (area_id, msg_num) WHERE private = 1;

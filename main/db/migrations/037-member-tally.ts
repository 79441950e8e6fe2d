import type { Migration } from './index';

/**
 * Issue 18, seats without scans (R30, R33): `group_member_tally` holds, per group, how many
 * people are homed anywhere in its subtree (through `group_closure`), so a company's seats read
 * one row instead of joining every member's path (main/features/users/seats.ts). Triggers on
 * `users` (created, removed, moved to another home group) and on `group_closure` (a group linked
 * or unlinked, as a moved subtree is) keep it in the writer's own transaction, as migration 34
 * keeps the device tallies: every row is `n > 0`, and the table equals a recount of the people at
 * all times (test/integration/device-tally-property.test.ts). Not replicated: a replica's own
 * triggers keep its copy. Re-runnable: a database rewound below 37 recounts.
 */

const ancestorsOf = (group: string) => `group_id IN (SELECT ancestor FROM group_closure WHERE descendant = ${group})`;

/** A person leaves their home group's ancestors' counts; rows at 1 go first, so CHECK (n > 0) holds at every step. */
const remove = (row: string) => `
  DELETE FROM group_member_tally WHERE ${ancestorsOf(`${row}.home_group_id`)} AND n = 1;
  UPDATE group_member_tally SET n = n - 1 WHERE ${ancestorsOf(`${row}.home_group_id`)};`;

const add = (row: string) => `
  INSERT INTO group_member_tally (group_id, n)
    SELECT ancestor, 1 FROM group_closure WHERE descendant = ${row}.home_group_id AND true
    ON CONFLICT DO UPDATE SET n = n + 1;`;

/** The people homed in one group itself. */
const homedIn = (group: string) => `(SELECT count(*) FROM users WHERE home_group_id = ${group})`;

export const memberTally: Migration = {
  version: 37,
  name: 'member-tally',
  sql: `
CREATE TABLE IF NOT EXISTS group_member_tally (
  group_id TEXT PRIMARY KEY,
  n INTEGER NOT NULL CHECK (n > 0)
) STRICT, WITHOUT ROWID;

DROP TRIGGER IF EXISTS member_tally_insert;
DROP TRIGGER IF EXISTS member_tally_delete;
DROP TRIGGER IF EXISTS member_tally_move;
DROP TRIGGER IF EXISTS member_tally_link;
DROP TRIGGER IF EXISTS member_tally_unlink;
DELETE FROM group_member_tally;
INSERT INTO group_member_tally (group_id, n)
  SELECT c.ancestor, count(*) FROM users u JOIN group_closure c ON c.descendant = u.home_group_id GROUP BY c.ancestor;

CREATE TRIGGER member_tally_insert AFTER INSERT ON users BEGIN${add('NEW')}
END;

CREATE TRIGGER member_tally_delete AFTER DELETE ON users BEGIN${remove('OLD')}
END;

CREATE TRIGGER member_tally_move AFTER UPDATE OF home_group_id ON users WHEN OLD.home_group_id IS NOT NEW.home_group_id BEGIN${remove('OLD')}${add('NEW')}
END;

-- A group linked under an ancestor (a moved subtree) brings the people homed in it to that ancestor's count.
CREATE TRIGGER member_tally_link AFTER INSERT ON group_closure WHEN ${homedIn('NEW.descendant')} > 0 BEGIN
  INSERT INTO group_member_tally (group_id, n) VALUES (NEW.ancestor, ${homedIn('NEW.descendant')})
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- ... and takes them away when unlinked.
CREATE TRIGGER member_tally_unlink AFTER DELETE ON group_closure WHEN ${homedIn('OLD.descendant')} > 0 BEGIN
  DELETE FROM group_member_tally WHERE group_id = OLD.ancestor AND n = ${homedIn('OLD.descendant')};
  UPDATE group_member_tally SET n = n - ${homedIn('OLD.descendant')} WHERE group_id = OLD.ancestor;
END;
`,
};

import { linkNewGroup } from '../main/features/access/tree';
import { SessionStore } from '../main/features/auth/sessions';
import { benchSteward } from './fixture';
import { measure, report } from './measure';

/** Issue 5: the what-if preview of a role held by 5,000 users over 100,000 devices, against the raw SQL count of the same rows. */
export async function rolesBench(): Promise<string[]> {
  const { steward, db, dispose } = benchSteward('roles');
  try {
    db.transaction(() => {
      for (let c = 0; c < 200; c++) {
        db.prepare("INSERT INTO groups (id, parent_id, kind, name, created_at, updated_at) VALUES (?, 'root', 'customer', ?, 0, 0)").run(
          `c${c}`,
          `Customer ${c}`,
        );
        linkNewGroup(db, `c${c}`, 'root');
      }
      db.prepare(
        "INSERT INTO roles (id, owner_group_id, name, device_visibility, created_at, updated_at) VALUES ('desk', 'root', 'Desk', 'assigned', 0, 0)",
      ).run();
      for (const key of ['groups.view', 'devices.view', 'jobs.view'])
        db.prepare("INSERT INTO role_permissions VALUES ('desk', ?)").run(key);
      const device = db.prepare(
        "INSERT INTO devices (id, group_id, name, kind, status, created_at, updated_at) VALUES (?, ?, ?, 'workstation', 'ok', 0, 0)",
      );
      for (let d = 0; d < 100_000; d++) device.run(`d${d}`, `c${d % 200}`, `Device ${d}`);
      const user = db.prepare('INSERT INTO users (id, username, email, home_group_id, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)');
      const bind = db.prepare('INSERT INTO role_bindings (user_id, role_id, group_id) VALUES (?, ?, ?)');
      for (let u = 0; u < 5_000; u++) {
        // Holders spread over every customer: the role reaches the whole fleet, as the issue asks.
        const group = `c${u % 200}`;
        user.run(`u${u}`, `user${u}`, `u${u}@x.test`, group);
        bind.run(`u${u}`, 'desk', group);
        if (u % 5 === 0) bind.run(`u${u}`, 'builtin-viewer', group);
      }
    })();
    db.pragma('optimize');
    const token = 'bench-session';
    new SessionStore(db).create(token, 'owner', 'active', 'cli', Date.now());
    const holders = db.prepare("SELECT count(DISTINCT user_id) AS n FROM role_bindings WHERE role_id = 'desk'");
    const reach = db.prepare(
      "SELECT count(*) AS n FROM devices WHERE group_id IN (SELECT c.descendant FROM role_bindings b JOIN group_closure c ON c.ancestor = b.group_id WHERE b.role_id = 'desk')",
    );
    const floor = await measure('raw SQL: count of holders and of devices in reach', 20, () => {
      holders.get();
      reach.get();
    });
    let answer: unknown;
    const preview = await measure('roles.preview through the dispatcher (gains and losses per holder, reach)', 20, async () => {
      const out = await steward.dispatcher.dispatch(
        'roles.preview',
        { id: 'desk', permissions: ['groups.view', 'devices.view', 'reports.view'] },
        { token, client: 'cli' },
      );
      if (!out.result.ok) throw new Error(out.result.error.message);
      answer = out.result.value;
    });
    const { holders: h, devices, groups } = answer as { holders: number; devices: number; groups: number };
    return [
      report(
        `What-if preview: role held by ${h.toLocaleString('en')} users over ${devices.toLocaleString('en')} of 100,000 devices in ${groups} groups`,
        preview,
        floor,
      ),
    ];
  } finally {
    dispose();
  }
}

// A large store for the console's index test and bench: `n` events (one a second, ending now) with one delivery
// each, written in SQLite itself (a recursive CTE, one transaction), so a million rows take seconds, not minutes.
// Every 4th event is a failure; every 1,000th delivery is dead, every 997th is retrying; video ids are "vid-<id>".
const EVENTS = ['generated_video_success', 'generated_avatar_video_success', 'generated_image_success', 'generated_video_failed'];

/** @param db a better-sqlite3 Database with the bridge's schema (migrated) and no events yet */
function seedEvents(db, n, now = Date.now()) {
  const start = now - n * 1000;
  db.transaction(() => {
    db.prepare(`
      INSERT INTO events (id, dedupe_key, event_id, event, endpoint, timestamp, received_at, routed, body)
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < @n)
      SELECT i, 'seed:' || i, 'evt' || i, name, NULL, (@start + i * 1000) / 1000, @start + i * 1000, 1,
             '{"event_id":"evt' || i || '","event":"' || name || '","timestamp":' || ((@start + i * 1000) / 1000) ||
             ',"data":{"video_id":"vid-' || i || '","status":"' || CASE WHEN i % 4 = 0 THEN 'failed' ELSE 'completed' END ||
             '","note":"customer ' || (i % 5000) || '"}}'
      FROM (SELECT i, CASE i % 4 WHEN 1 THEN @e0 WHEN 2 THEN @e1 WHEN 3 THEN @e2 ELSE @e3 END AS name FROM seq)`)
      .run({ n, start, e0: EVENTS[0], e1: EVENTS[1], e2: EVENTS[2], e3: EVENTS[3] });
    db.prepare(`
      INSERT INTO deliveries (id, event_pk, route, sink, status, attempts, next_at, created_at, updated_at)
      SELECT id, id, 'all', CASE WHEN id % 3 = 0 THEN 'alerts' ELSE 'crm' END,
             CASE WHEN id % 1000 = 0 THEN 'dead' WHEN id % 997 = 0 THEN 'retrying' ELSE 'delivered' END,
             1, received_at + 60000, received_at, received_at + 40 + (id % 200)
      FROM events`).run();
  })();
  return { first: start + 1000, last: start + n * 1000 };
}

module.exports = { seedEvents, SEED_EVENTS: EVENTS };

import { ConfigError } from './config.error';
import { parseConfig } from './config.loader';

const problemsOf = (yaml: string) => {
  try {
    parseConfig(yaml, 'bridge.yaml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('expected the config to be refused');
};

const SINKS = `
sinks:
  alerts: { type: slack, url: "http://127.0.0.1:9/services/T/B/x" }
  stream: { type: http, url: "http://127.0.0.1:9/x" }
`;

describe('group settings (alerting)', () => {
  it('resolves a route\'s group with its defaults, and applies it only to the sinks that can send group messages', () => {
    const config = parseConfig(`${SINKS}
routes:
  - { name: failures, match: { events: ["*_failed"] }, to: [alerts, stream], group: { by: [event, data.error.code], wait: 10s } }
`, 'bridge.yaml', {});
    expect(config.groups.routes.get('failures')).toEqual({ by: ['event', 'data.error.code'], waitMs: 10_000, intervalMs: 300_000, max: 20 });
    expect(config.groups.sinks.size).toBe(0);
  });

  it('takes a sink\'s own group', () => {
    const config = parseConfig(`
sinks:
  alerts: { type: slack, url: "http://127.0.0.1:9/services/T/B/x", group: { interval: 1m, max: 5 } }
routes: []
`, 'bridge.yaml', {});
    expect(config.groups.sinks.get('alerts')).toEqual({ by: ['event'], waitMs: 30_000, intervalMs: 60_000, max: 5 });
  });

  it('refuses bad group settings with line, column and path', () => {
    expect(problemsOf(`${SINKS}
routes:
  - name: failures
    match: { events: ["*_failed"] }
    to: [stream]
    group: { by: ["data..x", "endpoint"], wait: soon, max: 500, every: 1 }
`)).toEqual([
      '10:12 routes[0].group: none of this route\'s sinks can send group messages (slack and email can): stream (http)',
      '10:19 routes[0].group.by: "data..x", "endpoint" are not fields of the event: by lists event, event_id, timestamp or data.… (such as data.error.code)',
      '10:49 routes[0].group.wait: wait must be a duration such as "500ms", "30s", "10m", "72h" or "7d"',
      '10:60 routes[0].group.max: max must not be greater than 50',
      '10:65 routes[0].group.every: unknown key "every" (valid keys: by, wait, interval, max)',
    ]);
  });

  it('refuses grouping by a field that is not in the event (every event would fall into one group)', () => {
    for (const field of ['endpoint', 'route', 'evnt', 'error.code', 'data']) {
      expect(problemsOf(`${SINKS}
routes:
  - name: failures
    match: { events: ["*_failed"] }
    to: [alerts]
    group: { by: [event, ${field}] }
`)).toEqual([`10:26 routes[0].group.by: "${field}" is not a field of the event: by lists event, event_id, timestamp or data.… (such as data.error.code)`]);
    }
  });

  it('gives the line of the first bad entry of a block list (each entry has a line of its own)', () => {
    expect(problemsOf(`${SINKS}
routes:
  - name: failures
    match: { events: ["*_failed"] }
    to: [alerts]
    group:
      by:
        - event
        - endpoint
        - data.error.code
    active_time:
      times:
        - 08:00-12:00
        - 20:00-08:00
`)).toEqual([
      '13:11 routes[0].group.by: "endpoint" is not a field of the event: by lists event, event_id, timestamp or data.… (such as data.error.code)',
      '18:11 routes[0].active_time.times: "20:00-08:00" is not a time range such as 08:00-20:00 (start before end, within one day)',
    ]);
    expect(problemsOf(`${SINKS}
routes:
  - name: failures
    match: { events: ["*_failed"] }
    to: [alerts]
    group:
      by:
        - event_id
        - 42
`)).toEqual(['13:11 routes[0].group.by: each value in by must be a string']);
  });

  it('refuses a list, a string or a number where a section (a mapping) belongs, and active time fields of the wrong type, with their positions', () => {
    expect(problemsOf(`
server: []
sinks:
  alerts: { type: slack, url: "http://127.0.0.1:9/services/T/B/x", group: [], digest: [] }
  stream: { type: http, url: "http://127.0.0.1:9/x", sign: "yes" }
routes:
  - { name: a, match: { events: ["*"] }, to: [alerts], group: [], active_time: [] }
  - { name: b, match: { events: ["*"] }, to: [alerts], active_time: { times: "08:00-20:00", weekdays: [5] } }
  - { name: c, match: { events: ["*"] }, to: [alerts], active_time: { times: [5] } }
`)).toEqual([
      '2:9 server: server must be a mapping (key: value), not a list',
      '4:75 sinks.alerts.group: group must be a mapping (key: value), not a list',
      '4:87 sinks.alerts.digest: digest must be a mapping (key: value), not a list',
      '5:60 sinks.stream.sign: nested property sign must be either object or array',
      '7:63 routes[0].group: group must be a mapping (key: value), not a list',
      '7:80 routes[0].active_time: active_time must be a mapping (key: value), not a list',
      '8:78 routes[1].active_time.times: times must be an array',
      '8:104 routes[1].active_time.weekdays: each value in weekdays must be a string',
      '9:79 routes[2].active_time.times: each value in times must be a string',
    ]);
  });

  it('refuses a group on a sink that cannot send group messages', () => {
    expect(problemsOf(`
sinks:
  stream: { type: http, url: "http://127.0.0.1:9/x", group: { wait: 5s } }
routes: []
`)).toEqual(['3:61 sinks.stream.group: http sinks cannot send group messages (slack and email can)']);
  });

  it('resolves a sink\'s digest, and refuses one on a sink that cannot send it, beside a group, or with a bad schedule', () => {
    const config = parseConfig(`
sinks:
  alerts: { type: slack, url: "http://127.0.0.1:9/services/T/B/x", digest: { every: week, on: fri, at: "16:30", tz: Europe/Berlin } }
routes: []
`, 'bridge.yaml', {});
    expect(config.groups.digests.get('alerts')).toEqual({ schedule: { every: 'week', at: 990, weekday: 5, tz: 'Europe/Berlin' }, max: 20, sendEmpty: false });
    expect(problemsOf(`
sinks:
  stream: { type: http, url: "http://127.0.0.1:9/x", digest: { every: day } }
  alerts: { type: slack, url: "http://127.0.0.1:9/services/T/B/x", group: { wait: 5s }, digest: { every: day } }
  bad: { type: slack, url: "http://127.0.0.1:9/services/T/B/y", digest: { every: month, at: "25:00", on: funday } }
routes: []
`).map((p) => p.replace(/^\d+:\d+ /, ''))).toEqual([
      'sinks.stream.digest: http sinks cannot send digests (slack and email can)',
      'sinks.alerts.digest: a sink sends either digests or group messages: remove group or digest',
      'sinks.bad.digest.every: every must be one of the following values: hour, day, week',
      'sinks.bad.digest.at: "25:00" is not a time of day such as 09:00',
      'sinks.bad.digest.on: "funday" is not a weekday or a range of them (mon-fri, sat)',
    ]);
  });
});

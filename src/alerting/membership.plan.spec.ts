import { parseConfig } from '../config/config.loader';
import { planAlerting } from './membership';

const config = parseConfig(`
sinks:
  alerts: { type: slack, url: "http://127.0.0.1:9/services/T/B/x" }
  hook: { type: http, url: "http://127.0.0.1:9/x" }
routes:
  - name: office
    match: { events: ["*_failed"] }
    to: [alerts, hook]
    active_time: { weekdays: [mon-fri], times: ["08:00-20:00"], tz: Europe/Berlin }
  - name: grouped
    match: { events: ["*_failed"] }
    to: [alerts]
    group: { by: [event], wait: 10s }
    active_time: { weekdays: [mon-fri], times: ["08:00-20:00"], tz: Europe/Berlin }
`, 'bridge.yaml', {});
const envelope = { event: 'generated_video_failed', timestamp: 1, data: {} };
const sink = (name: string) => config.sinks.get(name)!;
const MONDAY_NOON = Date.parse('2026-11-30T11:00:00Z');
const MONDAY_NIGHT = Date.parse('2026-11-30T22:00:00Z');
const TUESDAY_OPENS = Date.parse('2026-12-01T07:00:00Z');

describe('alerting plan at ingest (grouping and active time)', () => {
  it('inside the active time: sends as usual, or groups as the route says', () => {
    expect(planAlerting(config.groups, 'office', sink('alerts'), envelope, MONDAY_NOON)).toEqual({});
    expect(planAlerting(config.groups, 'office', sink('hook'), envelope, MONDAY_NOON)).toEqual({});
    expect(planAlerting(config.groups, 'grouped', sink('alerts'), envelope, MONDAY_NOON)).toEqual({
      group: { key: '{"event":"generated_video_failed"}', waitMs: 10_000, intervalMs: 300_000 },
    });
  });

  it('outside it: one group for a Slack sink, flushed when it opens; a delivery due then for other sinks', () => {
    expect(planAlerting(config.groups, 'office', sink('alerts'), envelope, MONDAY_NIGHT)).toEqual({
      group: { key: '{}', waitMs: 0, intervalMs: 0, notBefore: TUESDAY_OPENS },
    });
    expect(planAlerting(config.groups, 'office', sink('hook'), envelope, MONDAY_NIGHT)).toEqual({ notBefore: TUESDAY_OPENS });
    expect(planAlerting(config.groups, 'grouped', sink('alerts'), envelope, MONDAY_NIGHT)).toEqual({
      group: { key: '{"event":"generated_video_failed"}', waitMs: 10_000, intervalMs: 300_000, notBefore: TUESDAY_OPENS },
    });
  });

  it('refuses a bad active_time with its path', () => {
    expect(() => parseConfig(`
sinks: { hook: { type: http, url: "http://127.0.0.1:9/x" } }
routes: [{ name: r, match: { events: ["*"] }, to: [hook], active_time: { weekdays: [funday], times: ["20:00-08:00"], tz: Mars/Base } }]
`, 'bridge.yaml', {})).toThrow(/routes\[0\]\.active_time\.weekdays: "funday" is not a weekday[\s\S]*routes\[0\]\.active_time\.times: "20:00-08:00" is not a time range[\s\S]*routes\[0\]\.active_time\.tz: "Mars\/Base" is not a time zone/);
  });
});

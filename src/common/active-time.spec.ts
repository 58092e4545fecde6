import { ActiveTime, checkZone, DigestSchedule, isActive, nextDigestAt, nextOpen, parseClock, parseTimes, parseWeekdays } from './active-time';

const berlin: ActiveTime = { weekdays: parseWeekdays(['mon-fri']), times: parseTimes(['08:00-20:00']), tz: 'Europe/Berlin' };
const at = (iso: string) => Date.parse(iso);

describe('active time intervals', () => {
  it('parses weekdays (ranges wrap) and time ranges, and refuses bad ones', () => {
    expect([...parseWeekdays(['mon-fri'])].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...parseWeekdays(['fri-mon'])].sort()).toEqual([0, 1, 5, 6]);
    expect([...parseWeekdays(['Saturday'])]).toEqual([6]);
    expect(parseTimes(['08:00-20:00', '22:00-24:00'])).toEqual([{ start: 480, end: 1200 }, { start: 1320, end: 1440 }]);
    expect(() => parseWeekdays(['funday'])).toThrow('not a weekday');
    expect(() => parseWeekdays(['mon', 'funday', 'tue-xday'])).toThrow('"funday", "tue-xday" are not weekdays or ranges of them (mon-fri, sat)');
    expect([...parseWeekdays(['Monday-Wednesday', 'SUN'])].sort()).toEqual([0, 1, 2, 3]);
    expect(() => parseWeekdays(['tues', 'thursdayX', 'mon-tue-wed', 'mondays-fri', 'fri-'])).toThrow(
      '"tues", "thursdayX", "mon-tue-wed", "mondays-fri", "fri-" are not weekdays or ranges of them (mon-fri, sat)');
    expect(() => parseTimes(['08:00-20:00', '20:00-08:00', '9-17', '10:00-25:00'])).toThrow(
      '"20:00-08:00", "9-17", "10:00-25:00" are not time ranges such as 08:00-20:00 (start before end, within one day)');
    expect(() => parseTimes(['20:00-08:00'])).toThrow('not a time range');
    expect(() => parseTimes(['8-20'])).toThrow('not a time range');
    expect(() => checkZone('Mars/Olympus')).toThrow('not a time zone');
  });

  it('is active within the hours of the weekdays, in the zone', () => {
    expect(isActive(berlin, at('2026-11-30T07:00:00Z'))).toBe(true); // Monday 08:00 in Berlin (UTC+1)
    expect(isActive(berlin, at('2026-11-30T06:59:00Z'))).toBe(false);
    expect(isActive(berlin, at('2026-11-30T19:00:00Z'))).toBe(false); // 20:00 is the end
    expect(isActive(berlin, at('2026-12-05T10:00:00Z'))).toBe(false); // Saturday
  });

  it('says when it opens next: the same morning, Monday after a weekend, across a DST change', () => {
    expect(nextOpen(berlin, at('2026-11-30T10:00:00Z'))).toBe(at('2026-11-30T10:00:00Z'));
    expect(nextOpen(berlin, at('2026-11-30T03:00:00Z'))).toBe(at('2026-11-30T07:00:00Z'));
    expect(nextOpen(berlin, at('2026-11-30T19:30:00Z'))).toBe(at('2026-12-01T07:00:00Z'));
    expect(nextOpen(berlin, at('2026-12-04T20:00:00Z'))).toBe(at('2026-12-07T07:00:00Z')); // Friday night → Monday
    // summer time starts on Sunday 29 March 2026: Monday opens at 08:00 CEST = 06:00 UTC
    expect(nextOpen(berlin, at('2026-03-28T12:00:00Z'))).toBe(at('2026-03-30T06:00:00Z'));
    const utc: ActiveTime = { weekdays: parseWeekdays(['sun-sat']), times: parseTimes(['09:00-17:00']), tz: 'UTC' };
    expect(nextOpen(utc, at('2026-11-30T17:00:00Z'))).toBe(at('2026-12-01T09:00:00Z'));
  });
});

describe('digest schedules', () => {
  const daily: DigestSchedule = { every: 'day', at: parseClock('09:00'), weekday: 1, tz: 'Europe/Berlin' };
  it('is the next local time of day, strictly after now', () => {
    expect(nextDigestAt(daily, at('2026-11-30T07:59:59Z'))).toBe(at('2026-11-30T08:00:00Z'));
    expect(nextDigestAt(daily, at('2026-11-30T08:00:00Z'))).toBe(at('2026-12-01T08:00:00Z'));
    expect(nextDigestAt({ ...daily, tz: 'UTC' }, at('2026-11-30T08:00:00Z'))).toBe(at('2026-11-30T09:00:00Z'));
  });

  it('every hour at its minutes, every week on its weekday', () => {
    const hourly: DigestSchedule = { ...daily, every: 'hour', at: parseClock('00:15') };
    expect(nextDigestAt(hourly, at('2026-11-30T10:20:00Z'))).toBe(at('2026-11-30T11:15:00Z'));
    expect(nextDigestAt(hourly, at('2026-11-30T10:05:00Z'))).toBe(at('2026-11-30T10:15:00Z'));
    const weekly: DigestSchedule = { every: 'week', at: parseClock('16:30'), weekday: 5, tz: 'Europe/Berlin' };
    expect(nextDigestAt(weekly, at('2026-11-30T10:00:00Z'))).toBe(at('2026-12-04T15:30:00Z')); // Friday 16:30 CET
    expect(() => parseClock('9:00')).toThrow('not a time of day');
  });
});

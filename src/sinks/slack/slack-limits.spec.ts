import { cut, fitSlack, SLACK_LIMITS, TRUNCATED } from './slack-limits';

describe('Slack message limits', () => {
  it('leaves messages within the limits as they are', () => {
    const message = { text: 'x'.repeat(SLACK_LIMITS.text), blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } }] };
    expect(fitSlack(message)).toEqual(message);
  });

  it('cuts text to 40,000 characters with a visible marker', () => {
    const { text } = fitSlack({ text: 'x'.repeat(900_000) });
    expect(text).toHaveLength(SLACK_LIMITS.text);
    expect(text.endsWith(TRUNCATED)).toBe(true);
  });

  it('cuts section (3,000), header (150) and field (2,000) texts, keeps 10 fields and 50 blocks', () => {
    const long = 'y'.repeat(10_000);
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: long } },
      { type: 'section', text: { type: 'mrkdwn', text: long }, fields: Array.from({ length: 12 }, () => ({ type: 'mrkdwn', text: long })) },
      ...Array.from({ length: 60 }, () => ({ type: 'divider' })),
    ];
    const fitted = fitSlack({ text: 't', blocks }).blocks as { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[];
    expect(fitted).toHaveLength(50);
    expect(fitted[0].text!.text).toHaveLength(150);
    expect(fitted[1].text!.text).toHaveLength(3000);
    expect(fitted[1].fields).toHaveLength(10);
    expect(fitted[1].fields!.every((f) => f.text.length === 2000 && f.text.endsWith(TRUNCATED))).toBe(true);
    expect(fitted[49]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: `${TRUNCATED}: 13 more blocks not shown` }] });
  });

  it('never splits a surrogate pair or an escape like &amp;', () => {
    const emoji = cut('a' + '😀'.repeat(100), 20);
    expect(emoji.length).toBeLessThanOrEqual(20);
    expect(emoji).toBe(`a${'😀'.repeat(3)}${TRUNCATED}`);
    const escaped = cut(`${'a'.repeat(6)}&amp;&lt;${'b'.repeat(20)}`, 20);
    expect(escaped).toBe(`aaaaaa${TRUNCATED}`);
  });
});

/**
 * Slack's documented size limits for a message (https://api.slack.com/reference/block-kit/blocks,
 * https://api.slack.com/changelog/2018-04-truncating-really-long-messages). Slack silently truncates a
 * longer `text` and refuses longer blocks (`invalid_blocks`), which would dead-letter the delivery; the
 * bridge cuts first, visibly.
 */
export const SLACK_LIMITS = { text: 40_000, blocks: 50, sectionText: 3_000, headerText: 150, fields: 10, fieldText: 2_000 } as const;

export const TRUNCATED = '…(truncated)';

/** `text` cut to at most `max` characters (UTF-16 units, as Slack counts) ending in TRUNCATED, when longer. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, max - TRUNCATED.length);
  // never end inside a surrogate pair or inside an escape such as `&amp;`
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  const amp = head.lastIndexOf('&');
  if (amp !== -1 && amp >= head.length - 5 && !head.includes(';', amp)) head = head.slice(0, amp);
  return head + TRUNCATED;
}

type Block = Record<string, unknown>;

/** The message within Slack's limits: text and the texts of section and header blocks cut, blocks beyond 50 dropped (and said so). */
export function fitSlack<M extends { text: string; blocks?: unknown[] }>(message: M): M {
  const text = cut(message.text, SLACK_LIMITS.text);
  if (!message.blocks) return text === message.text ? message : { ...message, text };
  let blocks = message.blocks.map(fitBlock);
  if (blocks.length > SLACK_LIMITS.blocks) {
    const dropped = blocks.length - SLACK_LIMITS.blocks + 1;
    blocks = [...blocks.slice(0, SLACK_LIMITS.blocks - 1), { type: 'context', elements: [{ type: 'mrkdwn', text: `${TRUNCATED}: ${dropped} more blocks not shown` }] }];
  }
  return { ...message, text, blocks };
}

function fitBlock(block: unknown): unknown {
  if (!isObject(block)) return block;
  if (block.type === 'header') return withText(block, SLACK_LIMITS.headerText);
  if (block.type !== 'section') return block;
  const fitted = withText(block, SLACK_LIMITS.sectionText);
  if (!Array.isArray(fitted.fields)) return fitted;
  const fields = fitted.fields.slice(0, SLACK_LIMITS.fields).map((field) => (isObject(field) ? fitText(field, SLACK_LIMITS.fieldText) : field));
  return { ...fitted, fields };
}

/** The block with its `text` object's text cut to `max`. */
function withText(block: Block, max: number): Block {
  return isObject(block.text) ? { ...block, text: fitText(block.text, max) } : block;
}

/** A text object (`{type, text}`) with its text cut to `max`. */
function fitText(object: Block, max: number): Block {
  return typeof object.text === 'string' && object.text.length > max ? { ...object, text: cut(object.text, max) } : object;
}

function isObject(value: unknown): value is Block {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { compileStructured, compileTemplate, GroupInput, groupTemplateContext, StructuredTemplate, Template } from '../../templating';

/** One line per listed member: its resource id, and the error (code and message) or the event. */
const LINE =
  '• {% if e.resource_id %}`{{ e.resource_id }}` {% endif %}{% if e.error_message %}{% if e.error_code %}code {{ e.error_code }}: {% endif %}' +
  '{{ e.error_message | truncate: 80 }}{% else %}{{ e.event }}{% endif %}\n';

/** The members listed in one section: at most 17 lines of at most ~170 characters stay within a section's 3,000. */
const list = (offset: number) => `{% for e in events offset: ${offset} limit: 17 %}${LINE}{% endfor %}`;

/**
 * Default group message for Slack, as Block Kit: a header with the counts ("500 × generated_video_failed in 30 s"),
 * the first members (up to 50, in sections of 17 lines), and a context line with what is not listed and where to see
 * it. Sections left empty are dropped (Slack refuses an empty one). The text is the notification's fallback.
 */
export const DEFAULT_GROUP_TEXT: Template = compileTemplate(
  '{% if digest %}:bar_chart: *Digest*: {{ count }} events, {{ failed }} failed ({{ period_start }} to {{ period_end }})' +
    '{% else %}:rotating_light: *{{ title }}* in {{ span }}{% if more > 0 %} (+{{ more }} more not listed: `{{ cli }}`){% endif %}{% endif %}',
);

/** A digest's counts per event type (empty, so dropped, for other groups). */
const COUNTS = '{% if digest %}{% for c in counts %}{{ c.count }} × {{ c.event }}\n{% endfor %}{% endif %}';

export const DEFAULT_GROUP_BLOCKS: StructuredTemplate = compileStructured([
  {
    type: 'header',
    text: { type: 'plain_text', emoji: true, text: '{% if digest %}Digest: {{ count }} events, {{ failed }} failed{% else %}{{ title }} in {{ span }}{% endif %}' },
  },
  { type: 'section', text: { type: 'mrkdwn', text: COUNTS } },
  { type: 'section', text: { type: 'mrkdwn', text: list(0) } },
  { type: 'section', text: { type: 'mrkdwn', text: list(17) } },
  { type: 'section', text: { type: 'mrkdwn', text: list(34) } },
  {
    type: 'context',
    elements: [{
      type: 'mrkdwn',
      text: '{% if more > 0 %}*+{{ more }} more{% if digest %} failures{% endif %}* · {% endif %}' +
        '{% if digest %}{{ period_start }} to {{ period_end }} · {% endif %}group {{ group_id }} · route {{ route }} · `{{ cli }}`',
    }],
  },
]);

/** Sections whose text rendered empty are left out: Slack refuses them (`invalid_blocks`). */
export function dropEmptySections(blocks: unknown[]): unknown[] {
  return blocks.filter((block) => {
    const b = block as { type?: string; text?: { text?: unknown } };
    return !(b?.type === 'section' && typeof b.text?.text === 'string' && b.text.text.trim() === '');
  });
}

export { GroupInput, groupTemplateContext };

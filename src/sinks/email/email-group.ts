import { createHash } from 'node:crypto';
import { compileTemplate, Template } from '../../templating';

/** Default group mail (alerting): the counts in the subject, a table of the first members, and what is not listed. */
export const DEFAULT_GROUP_SUBJECT: Template = compileTemplate(
  '[jogg] {% if digest %}Digest: {{ count }} events, {{ failed }} failed{% else %}{{ title }} in {{ span }}{% endif %}',
);

export const DEFAULT_GROUP_TEXT: Template = compileTemplate(
  [
    '{{ title }} in {{ span }} (group {{ group_id }}, route {{ route }}, {{ opened_at }} to {{ flushed_at }})',
    '',
    '{% for c in counts %}{{ c.count }} × {{ c.event }}\n{% endfor %}',
    '{% for e in events %}{{ e.time }}  {{ e.event }}  {{ e.resource_id | default: "-" }}{% if e.error_message %}  {% if e.error_code %}[{{ e.error_code }}] {% endif %}{{ e.error_message }}{% endif %}\n{% endfor %}',
    '{% if more > 0 %}+{{ more }} more not listed: {{ cli }}\n{% endif %}',
  ].join('\n'),
);

export const DEFAULT_GROUP_HTML: Template = compileTemplate(
  [
    '<h2>{{ title }} in {{ span }}</h2>',
    '<p>Group {{ group_id }}, route {{ route }}, {{ opened_at }} to {{ flushed_at }}</p>',
    '<table border="1" cellpadding="4" cellspacing="0"><thead><tr><th>Event</th><th>Count</th></tr></thead><tbody>',
    '{% for c in counts %}<tr><td>{{ c.event }}</td><td>{{ c.count }}</td></tr>{% endfor %}',
    '</tbody></table>',
    '<table border="1" cellpadding="4" cellspacing="0"><thead><tr><th>Time</th><th>Event</th><th>Resource</th><th>Code</th><th>Error</th></tr></thead><tbody>',
    '{% for e in events %}<tr><td>{{ e.time }}</td><td>{{ e.event }}</td><td>{{ e.resource_id }}</td><td>{{ e.error_code }}</td><td>{{ e.error_message }}</td></tr>{% endfor %}',
    '</tbody></table>',
    '{% if more > 0 %}<p>+{{ more }} more not listed: <code>{{ cli }}</code></p>{% endif %}',
  ].join('\n'),
);

/** Stable across attempts of the group's delivery, unique across bridges (the sink and the group's first event). */
export function groupMessageId(sinkName: string, from: string, groupId: number, deliveryId: number): string {
  const hash = createHash('sha256').update(`${sinkName}\ngroup ${groupId}`).digest('hex').slice(0, 16);
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'jogg-bridge.invalid';
  return `<jogg.group.${groupId}.${deliveryId}.${hash}@${domain}>`;
}

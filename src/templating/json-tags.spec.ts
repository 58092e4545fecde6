import { unsafeJsonTags } from '.';

describe('unsafeJsonTags', () => {
  it.each([
    ['{"text": "{{ msg }}"}', ['{{ msg }}']],
    ['{"n": {{ n }}}', ['{{ n }}']],
    ['{"t": "{{ msg | json }}"}', ['{{ msg | json }}']],
    ['{"t": {{ msg | json }}, "s": "a\\"{{ x }}"}', ['{{ x }}']],
    ['{"t": {{ msg | default: "x" | json }}{% if a == "b" %}{% comment %} note {% endcomment %}{% endif %}}', []],
    ['{"t": {%- if a == "q" -%} {{- msg | json -}} {%- endif -%}, "u": "{{ u }}"}', ['{{ u }}']],
  ])('%s → %j', (source, tags) => {
    expect(unsafeJsonTags(source).map((u) => u.tag)).toEqual(tags);
  });
});

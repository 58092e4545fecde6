import { compileStructured, compileTemplate, escapeHtml, TemplateError, unsafeJsonTags } from './template';

const render = (source: string, context: unknown, escape?: (s: string) => string) => compileTemplate(source).render(context, escape);

describe('template engine', () => {
  const ctx = { event: 'generated_video_failed', timestamp: 1764115201, data: { video_id: 'v1', error: { message: 'boom' }, urls: ['a', 'b'], n: 0 } };

  it('interpolates paths, filters and defaults', () => {
    expect(render('{{ event }}: {{ data.error.message }}', ctx)).toBe('generated_video_failed: boom');
    expect(render('{{ timestamp | iso }}', ctx)).toBe('2025-11-26T00:00:01.000Z');
    expect(render('{{ data.error | json }}', ctx)).toBe('{"message":"boom"}');
    expect(render('{{ data.missing | default: "n/a" }}', ctx)).toBe('n/a');
    expect(render('{{ event | upper | truncate: 9 }}', ctx)).toBe('GENERATE…');
    expect(render('{{ data.urls.1 }} {{ data.n }}', ctx)).toBe('b 0');
    expect(render('{{ data }}', { data: { a: 1 } })).toBe('{"a":1}');
  });

  it('renders sections over lists and objects, inverted sections and comments', () => {
    expect(render('{{#data.urls}}[{{ . }}]{{/data.urls}}', ctx)).toBe('[a][b]');
    expect(render('{{#data.error}}{{ message }} in {{ event }}{{/data.error}}', ctx)).toBe('boom in generated_video_failed');
    expect(render('{{^data.missing}}none{{/data.missing}}{{! ignored }}', ctx)).toBe('none');
    expect(render('{{#data.missing}}x{{/data.missing}}', ctx)).toBe('');
  });

  it('keeps payload data inert: template syntax, HTML and prototype keys are just text', () => {
    const hostile = JSON.parse('{"data":{"msg":"{{ secret }} <script>alert(1)</script>","__proto__":{"polluted":"yes"}},"secret":"s"}');
    expect(render('{{ data.msg }}', hostile)).toBe('{{ secret }} <script>alert(1)</script>');
    expect(render('{{ data.msg }}', hostile, escapeHtml)).toBe('{{ secret }} &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(render('{{ data.polluted }}', hostile)).toBe('');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads own properties only, never the prototype chain', () => {
    expect(render('{{ data.toString }}{{ data.hasOwnProperty }}', ctx)).toBe('');
    expect(render('{{ event.length }}', ctx)).toBe('');
  });

  it.each([
    ['{{ __proto__ }}', 'not allowed'],
    ['{{ data.constructor }}', 'not allowed'],
    ['{{ a | nope }}', 'unknown filter'],
    ['{{#a}}open', 'never closed'],
    ['{{#a}}x{{/b}}', 'does not close'],
    ['{{/a}}', 'closes no section'],
    ['{{ a', 'unclosed'],
    ['{{ }}', 'empty tag'],
    ['{{ a b }}', 'bad path'],
    ['{{ a | truncate }}', 'takes 1'],
    ['{{ a | default: nope }}', 'number or a quoted string'],
  ])('refuses %s at compile time', (source, message) => {
    expect(() => compileTemplate(source)).toThrow(TemplateError);
    expect(() => compileTemplate(source)).toThrow(message);
  });
});

describe('structured templates', () => {
  const ctx = { msg: '", "admin": true, "x": "', n: 3, obj: { a: [1] } };

  it('renders every string leaf as a string; payload text cannot add keys', () => {
    const out = compileStructured({ text: '{{ msg }}', n: '{{ n }}', list: ['{{ msg }}!', 2] }).render(ctx);
    expect(JSON.parse(out)).toEqual({ text: ctx.msg, n: '3', list: [`${ctx.msg}!`, 2] });
  });

  it('with typed leaves, a string that is exactly one tag keeps the JSON type (null when absent)', () => {
    const out = compileStructured({ n: '{{ n }}', obj: '{{ obj }}', none: '{{ nothing }}', text: 'n={{ n }}', up: '{{ msg | upper }}' }, { typedLeaves: true }).renderValue(ctx);
    expect(out).toEqual({ n: 3, obj: { a: [1] }, none: null, text: 'n=3', up: ctx.msg.toUpperCase() });
  });
});

describe('unsafeJsonTags', () => {
  it.each([
    ['{"text": "{{ msg }}"}', ['{{ msg }}']],
    ['{"n": {{ n }}}', ['{{ n }}']],
    ['{"t": "{{ msg | json }}"}', ['{{ msg | json }}']],
    ['{"t": {{ msg | json }}, "s": "a\\"{{ x }}"}', ['{{ x }}']],
    ['{"t": {{ msg | default: "x" | json }}{{#a}}{{! note }}{{/a}}}', []],
  ])('%s → %j', (source, tags) => {
    expect(unsafeJsonTags(source).map((u) => u.tag)).toEqual(tags);
  });
});

import { compileTemplate, escapeHtml, TemplateError } from './template';

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

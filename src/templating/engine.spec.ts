import { compileTemplate, escapeHtml, TemplateError, TemplateRenderError, TEMPLATE_LIMITS } from '.';

const render = (source: string, context: object, escape?: (s: string) => string) => compileTemplate(source).render(context, escape);

describe('templates (Liquid)', () => {
  const ctx = { event: 'generated_video_failed', timestamp: 1764115201, data: { video_id: 'v1', error: { message: 'boom' }, urls: ['a', 'b'], n: 0, empty: '' } };

  it('interpolates paths, filters and defaults as before', () => {
    expect(render('{{ event }}: {{ data.error.message }}', ctx)).toBe('generated_video_failed: boom');
    expect(render('{{ timestamp | iso }}', ctx)).toBe('2025-11-26T00:00:01.000Z');
    expect(render('{{ data.error | json }}', ctx)).toBe('{"message":"boom"}');
    expect(render('{{ data.missing | json }}', ctx)).toBe('null');
    expect(render('{{ data.missing | default: "n/a" }}|{{ data.empty | default: "n/a" }}|{{ data.n | default: "n/a" }}', ctx)).toBe('n/a|n/a|0');
    expect(render('{{ event | upper | truncate: 9 }}', ctx)).toBe('GENERATE…');
    expect(render('{{ data.error.message | truncate: 80 }}{{ "ABC" | lower }}', ctx)).toBe('boomabc');
    expect(render('{{ data.urls.1 }} {{ data.urls[0] }} {{ data.n }}', ctx)).toBe('b a 0');
    expect(render('{{ data }}', { data: { a: 1 } })).toBe('{"a":1}');
    expect(render('{{ data.urls }}', ctx)).toBe('["a","b"]');
  });

  it('has conditions, loops and comments in Liquid syntax; "" and 0 are false (jsTruthy)', () => {
    expect(render('{% for url in data.urls %}[{{ url }}]{% endfor %}', ctx)).toBe('[a][b]');
    expect(render('{% if data.error %}{{ data.error.message }} in {{ event }}{% endif %}', ctx)).toBe('boom in generated_video_failed');
    expect(render('{% unless data.missing %}none{% endunless %}{% comment %} ignored {% endcomment %}', ctx)).toBe('none');
    expect(render('{% if data.missing %}x{% endif %}{% if data.empty %}y{% endif %}{% if data.n %}z{% endif %}', ctx)).toBe('');
  });

  it('keeps payload data inert: template syntax, HTML and prototype keys are just text', () => {
    const hostile = JSON.parse('{"data":{"msg":"{{ secret }} {% if true %}yes{% endif %} <script>alert(1)</script>","__proto__":{"polluted":"yes"}},"secret":"s"}');
    expect(render('{{ data.msg }}', hostile)).toBe('{{ secret }} {% if true %}yes{% endif %} <script>alert(1)</script>');
    expect(render('{{ data.msg }}', hostile, escapeHtml)).toBe('{{ secret }} {% if true %}yes{% endif %} &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(render('{{ data.polluted }}', hostile)).toBe('');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('escapes inserted values only, never the template text, and `raw` cannot switch escaping off', () => {
    const shout = (s: string) => `<${s}>`;
    expect(render('<b>{{ event }}</b> {{ data.urls | join: "&" }}{% echo data.n %}', ctx, shout)).toBe('<b><generated_video_failed></b> <a&b><0>');
    expect(render('{{ data.msg | raw }}', { data: { msg: '<i>' } }, escapeHtml)).toBe('&#60;i&#62;');
  });

  it('reads own properties only, never the prototype chain', () => {
    expect(render('{{ data.toString }}{{ data.hasOwnProperty }}{{ data.__proto__ }}{{ data.constructor }}{{ constructor.name }}', ctx)).toBe('');
    expect(render('{{ data.constructor.constructor }}{{ event.constructor.name }}{{ data.urls | map: "constructor" | join: "" }}', ctx)).toBe('');
  });

  it('cuts a render that would run away: a huge loop, a huge output', () => {
    const huge = compileTemplate('{% for i in (1..1000000000) %}x{% endfor %}');
    expect(() => huge.render(ctx)).toThrow(TemplateRenderError);
    expect(() => huge.render(ctx)).toThrow(/limit exceeded/);
    const big = { data: { blob: 'x'.repeat(1024 * 1024) } };
    const loop = compileTemplate('{% for i in (1..100) %}{{ data.blob }}{% endfor %}');
    expect(() => loop.render(big)).toThrow(`output limit exceeded (${TEMPLATE_LIMITS.outputChars} characters)`);
  });

  it('refuses a template longer than the source limit at compile time', () => {
    expect(() => compileTemplate('x'.repeat(TEMPLATE_LIMITS.sourceChars + 1))).toThrow(/parse length limit exceeded/);
  });

  it.each([
    ['{{ a | nope }}', 'unknown filter "nope"', 1],
    ['{{ a | uper }}', 'unknown filter "uper" (did you mean "upper"?)', 1],
    ['ab {% if a %}open', 'tag {% if a %} not closed', 4],
    ['{% endif %}', 'tag "endif" not found', 1],
    ['text {{ a', 'output "{{ a" not closed', 6],
    ['{{ }}', 'invalid value expression', 4],
    ['{% include "/etc/passwd" %}', '{% include %} is not available: templates cannot read files', 1],
    ['{% render "x" %}', '{% render %} is not available', 1],
  ])('refuses %s at compile time, saying where', (source, message, character) => {
    let error: TemplateError | undefined;
    try {
      compileTemplate(source);
    } catch (e) {
      error = e as TemplateError;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect(error!.message).toContain(message);
    expect(error!.offset + 1).toBe(character);
  });
});

describe('expressions Liquid would read in part', () => {
  it.each([
    ['{{ error message }}', '"message"', 10],
    ['x {% if a b %}y{% endif %}', '"b"', 11],
    ['{% for u in list %}{{ u extra | upper }}{% endfor %}', '"extra"', 25],
  ])('%s is refused', (source, word, character) => {
    let error: TemplateError | undefined;
    try {
      compileTemplate(source);
    } catch (e) {
      error = e as TemplateError;
    }
    expect(error?.message).toBe(`unexpected ${word} after a value (filters are written {{ value | filter }})`);
    expect(error!.offset + 1).toBe(character);
  });

  it('whole expressions pass', () => {
    const ok = compileTemplate('{% if a == "x" and not b or c contains "y" %}1{% elsif (1..2) %}2{% endif %}{{ a | default: "z" }}{% case a %}{% when "x" %}3{% endcase %}');
    expect(ok.render({ a: 'x' })).toBe('1x3');
  });
});

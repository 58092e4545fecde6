import { compileStructured, escapeHtml, TemplateRenderError } from '.';

describe('structured templates', () => {
  const ctx = { msg: '", "admin": true, "x": "', n: 3, obj: { a: [1] }, html: '<b>' };

  it('renders every string leaf as a string; payload text cannot add keys', () => {
    const out = compileStructured({ text: '{{ msg }}', n: '{{ n }}', list: ['{{ msg }}!', 2] }).render(ctx);
    expect(JSON.parse(out)).toEqual({ text: ctx.msg, n: '3', list: [`${ctx.msg}!`, 2] });
  });

  it('with typed leaves, a string that is exactly one tag keeps the JSON type (null when absent)', () => {
    const out = compileStructured(
      { n: '{{ n }}', obj: '{{ obj }}', none: '{{ nothing }}', text: 'n={{ n }}', up: '{{ msg | upper }}', cond: '{% if n %}{{ n }}{% endif %}' },
      { typedLeaves: true },
    ).renderValue(ctx);
    expect(out).toEqual({ n: 3, obj: { a: [1] }, none: null, text: 'n=3', up: ctx.msg.toUpperCase(), cond: '3' });
  });

  it('escapes inserted text in every leaf, typed or not', () => {
    expect(compileStructured({ a: '{{ html }}', b: 'x {{ html }}' }, { typedLeaves: true }).renderValue(ctx, escapeHtml)).toEqual({ a: '&#60;b&#62;', b: 'x &#60;b&#62;' });
  });

  it('a leaf that runs away fails the render', () => {
    expect(() => compileStructured({ a: '{% for i in (1..1000000000) %}x{% endfor %}' }).render(ctx)).toThrow(TemplateRenderError);
  });
});

import { html, jsonData, query } from './html';

describe('console HTML templates', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const value = `<script>alert("x")</script>' onmouseover='y' &amp;`;
    const out = html`<p title="${value}">${value}</p>`.text;
    expect(out).toBe('<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y&#39; &amp;amp;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;y&#39; &amp;amp;</p>');
  });

  it('keeps nested templates and lists as HTML, and drops null, undefined and false', () => {
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${null}${undefined}${false}${0}`.text).toBe('<ul><li>a&lt;</li><li>b</li></ul>0');
  });

  it('never evaluates a value as a template', () => {
    expect(html`${'${1+1} {{ 7*7 }} <%= 1 %>'}`.text).toBe('${1+1} {{ 7*7 }} &lt;%= 1 %&gt;');
  });

  it('writes JSON data blocks that no value can close', () => {
    const out = jsonData('d', { text: '</script><script>alert(1)</script>', amp: '&' }).text;
    expect(out).not.toMatch(/<\/script>.*<\/script>/s);
    expect(JSON.parse(out.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, ''))).toEqual({ text: '</script><script>alert(1)</script>', amp: '&' });
  });

  it('builds query strings from the set values only', () => {
    expect(query({ a: 'x y', b: undefined, c: '', d: 5 })).toBe('?a=x+y&d=5');
    expect(query({})).toBe('');
  });
});

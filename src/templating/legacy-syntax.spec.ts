import { compileTemplate, compileTemplateSet, TemplateError } from '.';

function legacyError(source: string): TemplateError {
  try {
    compileTemplate(source);
  } catch (error) {
    return error as TemplateError;
  }
  throw new Error(`${source} compiled`);
}

describe('the old mustache-like syntax is refused with its Liquid replacement', () => {
  it.each([
    ['x {{#error_message}}:x:{{/error_message}}', 3, '"{{#error_message}}" is the old section syntax: write {% if error_message %}…{% endif %} (for a list: {% for item in error_message %}…{{ item }}…{% endfor %})'],
    ['{{^ resource_id }}none{{/ resource_id }}', 1, '"{{^ resource_id }}" is the old inverted section syntax: write {% unless resource_id %}…{% endunless %}'],
    ['a{{! a note }}', 2, '"{{! a note }}" is the old comment syntax: write {% comment %} a note {% endcomment %}'],
    ['{% for u in urls %}{{ . }}{% endfor %}', 20, '"{{ . }}" is the old current-item syntax: loop with {% for item in list %}…{{ item }}…{% endfor %}'],
    ['ok {{/x}}', 4, '"{{/x}}" closes an old section: write {% endif %}, {% endfor %} or {% endunless %} to match its opening tag'],
  ])('%s', (source, character, message) => {
    const error = legacyError(source);
    expect(error.legacy).toBe(true);
    expect(error.message).toBe(message);
    expect(error.offset + 1).toBe(character);
  });

  it('a config problem names the field (or the string inside a structured template) and the character', () => {
    const problems: string[] = [];
    compileTemplateSet(
      { text: ':x: {{#error_message}}{{ error_message }}{{/error_message}}', blocks: [{ type: 'section', text: { text: 'ok {{! old }}' } }] },
      ['routes', 1, 'slack'],
      (path, message) => problems.push(`${path.join('.')}: ${message}`),
    );
    expect(problems).toEqual([
      'routes.1.slack.text: "{{#error_message}}" is the old section syntax: write {% if error_message %}…{% endif %} (for a list: {% for item in error_message %}…{{ item }}…{% endfor %}) (at character 5)',
      'routes.1.slack.blocks.0.text.text: "{{! old }}" is the old comment syntax: write {% comment %} old {% endcomment %} (at character 4)',
    ]);
  });

  it('plain {{ path }} and {{ path | filter }} are unchanged, and {{- x -}} is Liquid whitespace control, not old syntax', () => {
    expect(compileTemplate('{{ event }} {{ data.n | default: "0" | upper }}').render({ event: 'e', data: {} })).toBe('e 0');
    expect(compileTemplate('a {{- event -}} b').render({ event: 'e' })).toBe('aeb');
  });
});

describe('text inside {% raw %}', () => {
  it('may look like the old syntax: it is printed as written', () => {
    expect(compileTemplate('{% raw %}{{#x}}{{/x}}{% endraw %}').render({})).toBe('{{#x}}{{/x}}');
  });
});

/**
 * Templates were once written in a mustache-like dialect. Its sections, inverted sections, comments and
 * `{{ . }}` are not Liquid; rather than a bare Liquid syntax error, say what to write instead.
 */
export interface LegacyTag {
  offset: number;
  message: string;
}

export function findLegacyTag(source: string): LegacyTag | undefined {
  // text inside {% raw %}…{% endraw %} is printed as written, old-looking or not (blanked, offsets kept)
  const scanned = source.replace(/\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/g, (block) => ' '.repeat(block.length));
  const match = /\{\{-?\s*(?:([#^/!])\s*([^}]*?)|\.)\s*-?\}\}/.exec(scanned);
  if (!match) return undefined;
  const [, sigil = '.', name] = match;
  const written = source.slice(match.index, match.index + match[0].length);
  return { offset: match.index, message: `"${written}" ${advice(sigil, name)}` };
}

function advice(sigil: string, name: string): string {
  const x = name || 'x';
  switch (sigil) {
    case '#':
      return `is the old section syntax: write {% if ${x} %}…{% endif %} (for a list: {% for item in ${x} %}…{{ item }}…{% endfor %})`;
    case '^':
      return `is the old inverted section syntax: write {% unless ${x} %}…{% endunless %}`;
    case '/':
      return 'closes an old section: write {% endif %}, {% endfor %} or {% endunless %} to match its opening tag';
    case '!':
      return `is the old comment syntax: write {% comment %} ${name} {% endcomment %}`;
    default:
      return 'is the old current-item syntax: loop with {% for item in list %}…{{ item }}…{% endfor %}';
  }
}

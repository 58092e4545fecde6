import { table } from './format';

describe('CLI tables', () => {
  it('show control characters in stored text as escapes, so a row stays one line and cannot act on the terminal', () => {
    const out = table(['ID', 'COMMENT'], [[1, 'a\u001b[31mred\nnext\u2028x'], [2, null]]);
    expect(out.split('\n')).toEqual(['ID  COMMENT', '1   a\\u001b[31mred\\u000anext\\u2028x', '2']);
  });
});

import { RedactingLogger } from './redacting.logger';

describe('RedactingLogger', () => {
  const written = (stream: NodeJS.WriteStream, run: () => void): string => {
    const spy = jest.spyOn(stream, 'write').mockImplementation(() => true);
    try {
      run();
      return spy.mock.calls.map((call) => String(call[0])).join('');
    } finally {
      spy.mockRestore();
    }
  };

  for (const json of [true, false]) {
    it(`logs an error without a stack, redacted (${json ? 'JSON' : 'text'})`, () => {
      const logger = new RedactingLogger('test', { json, colors: false });
      logger.setSecrets(['hunter2-secret']);
      const out = written(process.stderr, () => logger.error('config refused: hunter2-secret is wrong', 'ConfigReload'));
      expect(out).toContain('config refused: [redacted] is wrong');
      expect(out).not.toContain('hunter2');
    });

    it(`redacts a stack trace (${json ? 'JSON' : 'text'})`, () => {
      const logger = new RedactingLogger('test', { json, colors: false });
      logger.setSecrets(['hunter2-secret']);
      const out = written(process.stderr, () => logger.error('failed', 'Error: hunter2-secret\n    at somewhere', 'Ctx'));
      expect(out).toContain('failed');
      expect(out).not.toContain('hunter2');
    });
  }

  it('logs a message that is not a string', () => {
    const logger = new RedactingLogger('test', { json: true });
    const out = written(process.stderr, () => logger.error({ detail: 'x' }));
    expect(out).toContain('detail');
  });
});

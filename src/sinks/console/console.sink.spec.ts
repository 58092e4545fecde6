import { PassThrough } from 'node:stream';
import { plainToInstance } from 'class-transformer';
import { ConsoleSinkConfig } from './console.config';
import { compileTemplate } from '../../templating';
import { ConsoleSink } from './console.sink';
import { SinkEvent } from '../core/sink';

const failed: SinkEvent = {
  id: 1, deliveryId: 1, endpoint: null, receivedAt: 0, body: '',
  envelope: { event: 'generated_image_failed', timestamp: 1764115221, data: { photo_id: 'photo_1', error: 'bad\nprompt' } },
};

describe('ConsoleSink', () => {
  const config = plainToInstance(ConsoleSinkConfig, { type: 'console' });

  it('prints one line per event with the resource id and the error', async () => {
    const out = new PassThrough();
    const sink = new ConsoleSink('console', {}, config, out);
    await sink.send(sink.render(failed));
    expect(out.read().toString()).toBe('[jogg] 2025-11-26T00:00:21.000Z generated_image_failed photo_1 error="bad prompt"\n');
  });

  it('uses a route override, then the sink format', () => {
    const sink = new ConsoleSink('console', { format: compileTemplate('sink {{ event }}') }, config, new PassThrough());
    expect(sink.render(failed)).toBe('sink generated_image_failed');
    expect(sink.render(failed, { format: compileTemplate('route {{ resource_id }}') })).toBe('route photo_1');
  });

  it('shows control characters from the payload as escapes, so they cannot act on the terminal', () => {
    const hostile = { ...failed, envelope: { ...failed.envelope, data: { photo_id: 'p\u2028x', error: '\u001b[2J\u001b[31mRED\u0007\r\u0085\tend' } } };
    const line = new ConsoleSink('console', {}, config, new PassThrough()).render(hostile);
    expect(line).toBe('[jogg] 2025-11-26T00:00:21.000Z generated_image_failed p\\u2028x error="\\x1b[2J\\x1b[31mRED\\x07\\x0d\\x85\tend"');
    expect(line).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/);
  });
});

import { Logger } from '@nestjs/common';
import { DomainEvents } from './domain-events';

declare module './domain-events' {
  interface DomainEventMap {
    'test.happened': { n: number };
  }
}

describe('DomainEvents', () => {
  afterEach(() => jest.restoreAllMocks());

  it('calls the handlers of the event, in the order they subscribed, and no others', () => {
    const events = new DomainEvents();
    const seen: string[] = [];
    events.on('test.happened', 'first', ({ n }) => seen.push(`first ${n}`));
    events.on('test.happened', 'second', ({ n }) => seen.push(`second ${n}`));
    events.on('event.accepted', 'other', () => seen.push('other'));
    events.emit('test.happened', { n: 1 });
    expect(seen).toEqual(['first 1', 'second 1']);
  });

  it('keeps a throwing handler from the emitter and the other handlers, and logs it once', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const events = new DomainEvents();
    const seen: number[] = [];
    events.on('test.happened', 'broken', () => {
      throw new Error('boom');
    });
    events.on('test.happened', 'working', ({ n }) => seen.push(n));
    expect(() => events.emit('test.happened', { n: 1 })).not.toThrow();
    events.emit('test.happened', { n: 2 });
    expect(seen).toEqual([1, 2]);
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0][0]).toContain('broken failed handling test.happened');
  });

  it('stops calling a handler once its subscription is handed back', () => {
    const events = new DomainEvents();
    const seen: number[] = [];
    const subscription = events.on('test.happened', 'once', ({ n }) => seen.push(n));
    events.emit('test.happened', { n: 1 });
    subscription.unsubscribe();
    events.emit('test.happened', { n: 2 });
    expect(seen).toEqual([1]);
  });
});

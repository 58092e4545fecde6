import { JoggEnvelope } from '../common/jogg-event';

/**
 * Parsed bodies of recently delivered events, by event id: an event fanned out to several sinks (or sent again) is
 * parsed once. Bounded; the oldest entry goes first.
 */
export class EnvelopeCache {
  private readonly entries = new Map<number, JoggEnvelope>();

  constructor(private readonly max = 2048) {}

  /** The envelope of this stored event; throws what JSON.parse throws. */
  get(id: number, body: string): JoggEnvelope {
    let envelope = this.entries.get(id);
    if (envelope) return envelope;
    envelope = JSON.parse(body) as JoggEnvelope;
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, envelope);
    return envelope;
  }
}

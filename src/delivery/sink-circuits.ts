/** A sink's circuit: closed (delivering), open (held after repeated failures), half-open (a probe is running). */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * What readiness asks of the dispatcher: each sink's circuit. An abstract class used as the Nest token, so readers
 * depend on this, not on the dispatcher's class (DispatchModule provides it).
 */
export abstract class SinkCircuits {
  abstract circuits(): Record<string, CircuitState>;
}

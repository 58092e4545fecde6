import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much nicer than the main thread the store's background threads (the writer, the checkpointer) run. */
export const BACKGROUND_NICE_STEP = 10;

/**
 * Lowers the calling thread's priority by 10 nice steps (only this thread: on Linux a thread id is a pid to setpriority). Woken by a
 * batch, a store thread otherwise took the main thread's core at once (the kernel's wakeup preemption): on a busy
 * two-core machine the main thread's postMessage to the writer took 0.5 ms on average and up to 5 ms, with the webhooks
 * waiting behind it. A niced thread still gets every idle core; it yields only when the main thread wants the CPU
 * too. Where there is no /proc (not Linux), nothing changes.
 */
export function yieldToMainThread(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    // a new thread starts at its creator's value: lower it from there (19 is the lowest priority)
    setPriority(tid, Math.min(19, getPriority(tid) + BACKGROUND_NICE_STEP));
  } catch {
    /* not Linux, or not allowed: the default priority */
  }
}

import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of the store's background threads (the writer, the checkpointer). */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's priority (only this thread: on Linux a thread id is a pid to setpriority). Woken by a
 * batch, a store thread otherwise took the main thread's core at once (the kernel's wakeup preemption): on a busy
 * two-core machine the main thread's postMessage to the writer took 0.5 ms on average and up to 5 ms, with the webhooks
 * waiting behind it. A niced thread still gets every idle core; it yields only when the main thread wants the CPU
 * too. Where there is no /proc (not Linux), nothing changes.
 */
export function yieldToMainThread(): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), BACKGROUND_NICE);
  } catch {
    /* not Linux, or not allowed: the default priority */
  }
}

/** A network failure (no HTTP answer) in a few words: the code (ECONNREFUSED, ...) or the timeout. */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = e.cause?.code ?? e.code ?? e.cause?.message ?? e.message;
  if (cause === 'bad port') return 'network error: the URL uses a port that fetch refuses (a "bad port")';
  return `network error: ${cause}`;
}

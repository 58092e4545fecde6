export class InterpolationError extends Error {}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` with values from `env`; `$${` stands for a literal `${`.
 * An unset variable without a default is an error (an empty one is a value).
 */
export function interpolate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  const result = text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    const value = env[name!];
    if (value !== undefined && (value !== '' || fallback === undefined)) return value;
    if (fallback !== undefined) return fallback;
    throw new InterpolationError(`environment variable ${name} is not set (write \${${name}:-} to allow it to be empty)`);
  });
  if (/\$\{(?![A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\})/.test(text.replace(/\$\$\{/g, ''))) {
    throw new InterpolationError('bad ${...} reference: use ${NAME} or ${NAME:-default}');
  }
  return result;
}

export interface ConfigProblem {
  file: string;
  line?: number;
  col?: number;
  /** Where in the document, e.g. `routes[2].to[0]`; empty for the whole file. */
  path: string;
  message: string;
  /** The offending line of the file (YAML syntax errors), shown under the problem with a caret at `col`. */
  excerpt?: string;
}

/** A config that cannot be used; lists every problem found, each with file, line, column and path. */
export class ConfigError extends Error {
  constructor(readonly file: string, readonly problems: readonly ConfigProblem[]) {
    super(formatProblems(file, problems));
    this.name = 'ConfigError';
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const where = [problem.file, problem.line, problem.col].filter((part) => part !== undefined).join(':');
  const head = `${where}  ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
  if (problem.excerpt === undefined || problem.col === undefined) return head;
  // keep the line's tabs before the caret so it lines up under the column in a terminal
  const pad = problem.excerpt.slice(0, problem.col - 1).replace(/[^\t]/g, ' ');
  return [head, `    ${problem.excerpt}`, `    ${pad}^`].join('\n');
}

function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`invalid config ${file} (${count}):`, ...problems.map((p) => `  ${formatProblem(p).replace(/\n/g, '\n  ')}`)].join('\n');
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

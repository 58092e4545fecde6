import { RuleError } from './glob';

export type Predicate = (event: unknown) => boolean;

const OPERATORS = ['eq', 'ne', 'in', 'exists', 'gt', 'gte', 'lt', 'lte', 'regex'] as const;
type Operator = (typeof OPERATORS)[number];

/**
 * Compiles `where: { "data.status": "failed", "data.duration": { gt: 10 } }` into one predicate:
 * every entry must hold. A scalar is shorthand for `eq`, an array for `in`.
 */
export function compileWhere(where: Record<string, unknown> | undefined, report?: (error: RuleError) => void): Predicate {
  if (!where) return () => true;
  const checks: Predicate[] = [];
  for (const [path, spec] of Object.entries(where)) {
    try {
      checks.push(compileCondition(path, spec));
    } catch (error) {
      if (!(error instanceof RuleError) || !report) throw error;
      report(error);
    }
  }
  return (event) => checks.every((check) => check(event));
}

function compileCondition(pathText: string, spec: unknown): Predicate {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(pathText)) {
    throw new RuleError(`bad payload path "${pathText}": use dot-separated keys like "data.status"`, [pathText]);
  }
  const path = pathText.split('.');
  const ops = normalise(spec, pathText);
  const errors: RuleError[] = [];
  const tests = Object.entries(ops).flatMap(([op, operand]) => {
    try {
      return [compileOperator(op as Operator, operand, pathText)];
    } catch (error) {
      errors.push(error as RuleError);
      return [];
    }
  });
  if (errors.length) throw errors[0];
  return (event) => {
    const value = readPath(event, path);
    return tests.every((test) => test(value));
  };
}

function normalise(spec: unknown, path: string): Record<string, unknown> {
  if (Array.isArray(spec)) return { in: spec };
  if (spec === null || typeof spec !== 'object') return { eq: spec };
  const keys = Object.keys(spec);
  if (keys.length === 0) throw new RuleError('empty condition', [path]);
  for (const key of keys) {
    if (!OPERATORS.includes(key as Operator)) {
      throw new RuleError(`unknown operator "${key}" (known: ${OPERATORS.join(', ')})`, [path, key]);
    }
  }
  return spec as Record<string, unknown>;
}

function compileOperator(op: Operator, operand: unknown, path: string): (value: unknown) => boolean {
  const where = [path, op];
  switch (op) {
    case 'eq':
      return (value) => same(value, operand);
    case 'ne':
      return (value) => !same(value, operand);
    case 'in':
      if (!Array.isArray(operand)) throw new RuleError('"in" takes a list', where);
      return (value) => operand.some((candidate) => same(value, candidate));
    case 'exists':
      if (typeof operand !== 'boolean') throw new RuleError('"exists" takes true or false', where);
      return (value) => (value !== undefined) === operand;
    case 'regex':
      return compileRegex(operand, where);
    default:
      return compileComparison(op, operand, where);
  }
}

function compileRegex(operand: unknown, where: (string | number)[]): (value: unknown) => boolean {
  if (typeof operand !== 'string') throw new RuleError('"regex" takes a string', where);
  let regex: RegExp;
  try {
    regex = new RegExp(operand);
  } catch (error) {
    throw new RuleError(`bad regex: ${(error as Error).message}`, where);
  }
  return (value) => typeof value === 'string' && regex.test(value);
}

function compileComparison(op: 'gt' | 'gte' | 'lt' | 'lte', operand: unknown, where: (string | number)[]) {
  if (typeof operand !== 'number' || !Number.isFinite(operand)) throw new RuleError(`"${op}" takes a number`, where);
  const compare = {
    gt: (v: number) => v > operand,
    gte: (v: number) => v >= operand,
    lt: (v: number) => v < operand,
    lte: (v: number) => v <= operand,
  }[op];
  return (value: unknown) => typeof value === 'number' && compare(value);
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a && b && typeof a === 'object' && typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** Reads a dotted path from the event, own properties only (a payload's `__proto__` key is just data). */
function readPath(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

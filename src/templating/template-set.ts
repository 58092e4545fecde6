import { compileTemplate, Template, TemplateError } from './engine';
import { compileStructured } from './structured';

export type TemplatePath = readonly (string | number)[];

/** Compiled templates of one sink or one route override, by field name. */
export type TemplateSet = Readonly<Record<string, Template>>;

/**
 * Compiles the template fields of one object (a string is a template, a mapping or list a structured one);
 * each problem is reported through `at` with the path of the field, or of the string inside it.
 */
export function compileTemplateSet(
  fields: Readonly<Record<string, unknown>>,
  base: TemplatePath,
  at: (path: TemplatePath, message: string) => void,
  typedLeaves: readonly string[] = [],
): TemplateSet {
  const set: Record<string, Template> = {};
  for (const [field, source] of Object.entries(fields)) {
    if (source === undefined) continue;
    try {
      set[field] = typeof source === 'string' ? compileTemplate(source) : compileStructured(source, { typedLeaves: typedLeaves.includes(field) });
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const where = `(at character ${error.offset + 1})`;
      at([...base, field, ...error.path], error.legacy ? `${error.message} ${where}` : `template does not compile: ${error.message} ${where}`);
    }
  }
  return set;
}

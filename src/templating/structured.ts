import { Output, toValue, toValueSync, Value } from 'liquidjs';
import { Escape, noEscape } from './escape';
import { engine, newRenderContext, parseTemplate, renderParsed, Template, TemplateError, toRenderError } from './engine';

/**
 * A template for structured data (Slack Block Kit, HTTP bodies from YAML): every string inside is a
 * template. `render` returns the rendered structure as JSON text; `renderValue` the structure itself.
 * Payload text only ever becomes a string value: it cannot add keys or elements.
 */
export interface StructuredTemplate extends Template {
  renderValue(context: object, escape?: Escape): unknown;
}

export interface StructuredOptions {
  /**
   * A string that is exactly one output tag (`"{{ data.count }}"`, filters allowed) renders as the value
   * itself, keeping its JSON type (number, object, …; null when absent); otherwise every string renders as a string.
   */
  typedLeaves?: boolean;
}

type Build = (context: object, escape: Escape) => unknown;
type LeafPath = (string | number)[];

export function compileStructured(value: unknown, options: StructuredOptions = {}): StructuredTemplate {
  const build = compileValue(value, [], options);
  return {
    source: JSON.stringify(value),
    renderValue: (context, escape = noEscape) => build(context, escape),
    render: (context, escape = noEscape) => JSON.stringify(build(context, escape)),
  };
}

function compileValue(value: unknown, path: LeafPath, options: StructuredOptions): Build {
  if (typeof value === 'string') return compileLeaf(value, path, options);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileValue(item, [...path, i], options));
    return (context, escape) => items.map((item) => item(context, escape));
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, compileValue(item, [...path, key], options)] as const);
    return (context, escape) => Object.fromEntries(entries.map(([key, item]) => [key, item(context, escape)]));
  }
  return () => value;
}

function compileLeaf(source: string, path: LeafPath, options: StructuredOptions): Build {
  let templates;
  try {
    templates = parseTemplate(source);
  } catch (error) {
    const e = error as TemplateError;
    throw new TemplateError(e.message, e.offset, path, e.legacy);
  }
  const only = templates.length === 1 ? templates[0] : undefined;
  if (options.typedLeaves && only instanceof Output) return typedLeaf(only);
  return (context, escape) => renderParsed(templates, context, escape);
}

/** The tag's value with its filters applied, before it is printed (which would make it a string). */
function typedLeaf(output: Output): Build {
  const value = new Value(output.token.content, engine);
  return (context, escape) => {
    let result: unknown;
    try {
      result = toValue(toValueSync(value.value(newRenderContext(context, escape), false)));
    } catch (error) {
      throw toRenderError(error);
    }
    if (result === undefined) return null;
    return typeof result === 'string' ? escape(result) : result;
  };
}

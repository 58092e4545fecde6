import { Context, Emitter, Liquid, Template as LiquidTemplate, TokenKind, toValue, toValueSync, Value } from 'liquidjs';
import { closest } from '../common/did-you-mean';
import { Escape, noEscape } from './escape';
import { BRIDGE_FILTERS, stringify } from './filters';
import { findLegacyTag } from './legacy-syntax';

/** A template that cannot be used: `offset` is where in its source, `path` where in a structured template. */
export class TemplateError extends Error {
  constructor(message: string, readonly offset: number, readonly path: readonly (string | number)[] = [], readonly legacy = false) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** A template that parsed but failed on one event (a limit below): it would fail the same way every time. */
export class TemplateRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateRenderError';
  }
}

export interface Template {
  readonly source: string;
  render(context: object, escape?: Escape): string;
}

/** Bounds on what one template may cost, whatever the payload: templates are config, payloads are not. */
export const TEMPLATE_LIMITS = {
  /** Characters of one template's source (Liquid's parseLimit). */
  sourceChars: 64 * 1024,
  /** Characters one render may produce. */
  outputChars: 4 * 1024 * 1024,
  /** Wall-clock milliseconds one render may take (Liquid's renderLimit). */
  renderMs: 1000,
  /** Array elements and string characters filters and ranges may allocate in one render (Liquid's memoryLimit). */
  memory: 10_000_000,
} as const;

/** The per-render state, under a symbol: no template path can name it. */
const STATE = Symbol('jogg-bridge render state');
interface RenderState { escape: Escape }

/**
 * Liquid's outputEscape: applied to every `{{ }}` (and `{% echo %}`) after its filters, never to the
 * template's own text. It prints objects as JSON and applies the escape the sink asked for on this render.
 */
function finalize(this: { context: Context }, value: unknown): string {
  const state = (this.context.globals as { [STATE]?: RenderState })[STATE];
  return (state?.escape ?? noEscape)(stringify(value));
}

function createEngine(): Liquid {
  const liquid = new Liquid({
    ownPropertyOnly: true, // no prototype: {{ data.constructor }} is nothing
    strictFilters: true, // a misspelt filter is a config error, not a silently skipped one
    strictVariables: false, // an absent field renders as nothing, as payloads vary
    jsTruthy: true, // "" and 0 are false in {% if %}, as a reader of {% if error_message %} expects
    templates: {}, // include/render/layout look up this empty map, never the file system
    relativeReference: false,
    outputEscape: finalize,
    timezoneOffset: 0, // the date filter in UTC, not in the host's zone
    parseLimit: TEMPLATE_LIMITS.sourceChars,
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memory,
  });
  for (const [name, filter] of Object.entries(BRIDGE_FILTERS)) liquid.registerFilter(name, filter);
  // `raw` would skip outputEscape: payload text in Slack and HTML is always escaped
  liquid.registerFilter('raw', (value: unknown) => value);
  for (const tag of ['include', 'render', 'layout']) {
    liquid.registerTag(tag, {
      parse() {
        throw new Error(`{% ${tag} %} is not available: templates cannot read files`);
      },
      render: () => '',
    });
  }
  return liquid;
}

export const engine = createEngine();

/** Parses once (at config load); a broken template, or one in the old syntax, throws TemplateError. */
export function parseTemplate(source: string): LiquidTemplate[] {
  const legacy = findLegacyTag(source);
  if (legacy) throw new TemplateError(legacy.message, legacy.offset, [], true);
  let templates: LiquidTemplate[];
  try {
    templates = engine.parse(source);
  } catch (error) {
    throw toTemplateError(error);
  }
  checkExpressions(templates);
  return templates;
}

/**
 * Liquid reads `{{ error message }}` as `{{ error }}` and drops the rest without a word; a value followed by
 * another value (no operator, no `|`) is almost always a typo, so it is refused here, in every tag and branch.
 */
function checkExpressions(templates: readonly LiquidTemplate[]): void {
  for (const template of templates) {
    for (const argument of template.arguments?.() ?? []) {
      if (argument instanceof Value) checkExpression(argument);
    }
    if (template.children) checkExpressions(toValueSync(template.children(false, true)));
  }
}

function checkExpression(value: Value): void {
  // postfix: operands push, a binary operator takes two and leaves one; a whole expression leaves one
  let depth = 0;
  for (const token of value.initial.postfix) {
    if (token.kind !== TokenKind.Operator) depth++;
    else if (token.getText() !== 'not') depth--;
  }
  const last = value.initial.postfix[value.initial.postfix.length - 1];
  if (depth > 1) throw new TemplateError(`unexpected "${last.getText()}" after a value (filters are written {{ value | filter }})`, last.begin);
}

export function compileTemplate(source: string): Template {
  const templates = parseTemplate(source);
  return { source, render: (context, escape = noEscape) => renderParsed(templates, context, escape) };
}

export function newRenderContext(context: object, escape: Escape): Context {
  const state: RenderState = { escape };
  return new Context(context, engine.options, { sync: true, globals: { [STATE]: state } }, { liquid: engine });
}

export function renderParsed(templates: LiquidTemplate[], context: object, escape: Escape): string {
  const emitter = new CappedEmitter(TEMPLATE_LIMITS.outputChars);
  try {
    toValueSync(engine.renderer.renderTemplates(templates, newRenderContext(context, escape), emitter));
  } catch (error) {
    throw toRenderError(error);
  }
  return emitter.buffer;
}

export function toRenderError(error: unknown): TemplateRenderError {
  const { message, offset } = describe(error);
  return new TemplateRenderError(`template cannot render this event: ${message} (at character ${offset + 1})`);
}

/** Collects the output, refusing to grow past `max` characters (a loop over a large payload, say). */
class CappedEmitter implements Emitter {
  buffer = '';

  constructor(private readonly max: number) {}

  write(html: unknown): void {
    const text = typeof html === 'string' ? html : stringify(toValue(html));
    if (this.buffer.length + text.length > this.max) throw new Error(`output limit exceeded (${this.max} characters)`);
    this.buffer += text;
  }
}

function toTemplateError(error: unknown): TemplateError {
  const { message, offset } = describe(error);
  const filter = /^undefined filter: (\S+)$/.exec(message)?.[1];
  if (!filter) return new TemplateError(message, offset);
  const near = closest(filter, [...Object.keys(BRIDGE_FILTERS), ...Object.keys(engine.filters)]); // ours first
  return new TemplateError(`unknown filter "${filter}"${near ? ` (did you mean "${near}"?)` : ''}`, offset);
}

/** Liquid's message without the "line:, col:" it appends (we say the position our way), and the offset. */
function describe(error: unknown): { message: string; offset: number } {
  const e = error as Error & { originalError?: Error; token?: { begin?: number } };
  const message = (e.originalError?.message ?? e.message ?? String(error)).replace(/, line:\d+, col:\d+$/, '');
  return { message, offset: e.token?.begin ?? 0 };
}

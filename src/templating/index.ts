/**
 * Templates (LiquidJS, sandboxed): parsed once at config load, rendered synchronously per delivery.
 * This module imports nothing of the bridge but src/common: sinks, rules and config use it, not the reverse.
 */
export { templateContext, TemplateInput } from './context';
export { compileTemplate, Template, TemplateError, TemplateRenderError, TEMPLATE_LIMITS } from './engine';
export { Escape, escapeHtml, noEscape } from './escape';
export { BRIDGE_FILTERS } from './filters';
export { unsafeJsonTags, UnsafeTag } from './json-tags';
export { compileStructured, StructuredOptions, StructuredTemplate } from './structured';
export { compileTemplateSet, TemplatePath, TemplateSet } from './template-set';
export { GroupInput, GroupMemberInput, groupTemplateContext, humanSpan } from './group-context';

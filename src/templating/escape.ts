export type Escape = (text: string) => string;

export const noEscape: Escape = (text) => text;

/** For values inserted into HTML (email `html`): the template's own markup is left alone. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

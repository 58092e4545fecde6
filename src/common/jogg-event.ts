/** The body JoggAI posts to a webhook endpoint (see docs/JOGGAI.md §3). */
export interface JoggEnvelope {
  event_id?: string;
  event: string;
  timestamp: number;
  data: Record<string, unknown>;
}

/** The 22 event names found across JoggAI's documentation. Unknown names are still accepted. */
export const JOGG_EVENTS = [
  'generated_video_success', 'generated_video_failed',
  'generated_avatar_video_success', 'generated_avatar_video_failed',
  'generated_product_video_success', 'generated_product_video_failed',
  'generated_template_video_success', 'generated_template_video_failed',
  'generated_translate_video_success', 'generated_translate_video_failed',
  'create_avatar_success', 'create_avatar_failed',
  'generated_photo_avatar_success', 'generated_photo_avatar_failed',
  'generated_product_avatar_success', 'generated_product_avatar_failed',
  'generated_script_success', 'generated_script_failed',
  'generated_image_success', 'generated_image_failed',
  'generated_motion_success', 'generated_motion_failed',
] as const;

const RESOURCE_ID_FIELDS = ['video_id', 'project_id', 'avatar_id', 'task_id', 'photo_id', 'motion_id'] as const;

/** The id of the thing the event is about, whichever field this event family uses for it. */
export function resourceId(data: Record<string, unknown>): string | undefined {
  for (const field of RESOURCE_ID_FIELDS) {
    const value = Object.prototype.hasOwnProperty.call(data, field) ? data[field] : undefined;
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

/** Video failures carry `error: {message}`, image and motion failures a plain string. */
export function errorMessage(data: Record<string, unknown>): string | undefined {
  const error = Object.prototype.hasOwnProperty.call(data, 'error') ? data.error : undefined;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return undefined;
}

/** Video failures carry `error: {code, message}`; the code says which failure it was (e.g. 18020: out of credits). */
export function errorCode(data: Record<string, unknown>): string | undefined {
  const error = Object.prototype.hasOwnProperty.call(data, 'error') ? data.error : undefined;
  if (!error || typeof error !== 'object' || !Object.prototype.hasOwnProperty.call(error, 'code')) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' || typeof code === 'string' ? String(code) : undefined;
}

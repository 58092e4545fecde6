/** JoggAI's endpoint object (docs/JOGGAI.md §1). */
export interface JoggEndpoint {
  endpoint_id: string;
  url: string;
  secret: string;
  status: 'enabled' | 'disabled';
  events: string[];
  username?: string;
  created_at?: number;
}

export interface EndpointInput {
  url: string;
  status: 'enabled' | 'disabled';
  events: string[];
}

/** JoggAI's error codes (docs/JOGGAI.md §1). */
export const JOGG_CODES = {
  ok: 0,
  notFound: 10104,
  invalidApiKey: 10105,
  insufficientCredit: 18020,
  noPermission: 18025,
  parameterError: 40000,
  systemError: 50000,
  rateLimited: 429,
} as const;

/** Most endpoints one account may have. */
export const JOGG_ENDPOINT_LIMIT = 20;

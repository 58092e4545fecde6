import { DELIVERY_STATUSES } from '../store/store.types';

const page = [
  { name: 'since', in: 'query', description: 'a duration back from now (30m, 1h, 7d) or a date', schema: { type: 'string' } },
  { name: 'before', in: 'query', description: 'only ids below this one: the last id of the previous page', schema: { type: 'integer', minimum: 1 } },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
];
const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }];
const json = (description: string, type = 'object') => ({ description, content: { 'application/json': { schema: { type } } } });
const answers = (ok: string, type = 'object') => ({
  200: json(ok, type),
  400: json('a parameter or body is not valid: `{statusCode, error, message}`'),
  401: json('no valid admin token (the Authorization header must carry BRIDGE_ADMIN_TOKEN as a bearer token)'),
});

/**
 * The admin API described as OpenAPI 3.0 (GET /admin/openapi.json, behind the admin token). Written out rather
 * than generated: nine routes do not need a generator and its UI bundle; a test checks that every route of
 * AdminController is here and nothing else.
 */
export const ADMIN_OPENAPI = {
  openapi: '3.0.3',
  info: { title: 'jogg-bridge admin API', version: '1', description: 'Every answer has the configured secrets redacted.' },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  security: [{ bearer: [] }],
  paths: {
    '/admin/events': {
      get: { summary: 'stored events, newest first', parameters: [...page, { name: 'event', in: 'query', description: 'only this event name', schema: { type: 'string' } }], responses: answers('events, newest first (page on with before = the last id)', 'array') },
    },
    '/admin/events/search': {
      get: {
        summary: 'events found by name or glob, time range, delivery state, resource id and text (what the console\'s events page shows)',
        parameters: [
          { name: 'event', in: 'query', description: 'an event name, or a glob over JoggAI\'s event names (*_failed)', schema: { type: 'string' } },
          { name: 'from', in: 'query', description: 'received at or after: a duration back from now (1h) or a date', schema: { type: 'string' } },
          { name: 'to', in: 'query', description: 'received before: same forms', schema: { type: 'string' } },
          { name: 'status', in: 'query', description: 'with at least one delivery in this state', schema: { type: 'string', enum: [...DELIVERY_STATUSES] } },
          { name: 'resource', in: 'query', description: 'the id the event is about (video_id, task_id, avatar_id, photo_id, motion_id, project_id)', schema: { type: 'string' } },
          { name: 'q', in: 'query', description: 'text in the body (case-insensitive; 200,000 events per page at most, see searchedFrom)', schema: { type: 'string' } },
          page[1],
          page[2],
        ],
        responses: answers('`{events: [{id, event, eventId, endpoint, receivedAt, routed, resourceId, deliveries: {state: count}}], next?, searchedFrom?}`; page on with before = next'),
      },
    },
    '/admin/events/{id}': { get: { summary: 'one event with its deliveries', parameters: id, responses: { ...answers('the event'), 404: json('no such event') } } },
    '/admin/deliveries': {
      get: {
        summary: 'deliveries, newest first',
        parameters: [...page, { name: 'status', in: 'query', schema: { type: 'string', enum: [...DELIVERY_STATUSES] } }, { name: 'sink', in: 'query', schema: { type: 'string' } }],
        responses: answers('deliveries, newest first (page on with before = the last id)', 'array'),
      },
    },
    '/admin/deliveries/{id}': { get: { summary: 'one delivery with every attempt', parameters: id, responses: { ...answers('the delivery and its attempts (history)'), 404: json('no such delivery') } } },
    '/admin/replay': {
      post: {
        summary: 'queue deliveries again: by ids, or every dead letter (narrowed by sink and since)',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  ids: { type: 'array', items: { type: 'integer' }, minItems: 1, description: 'delivery ids (dead, delivered or silenced)' },
                  dead: { type: 'boolean', description: 'every dead letter (narrow with sink and since)' },
                  sink: { type: 'string' },
                  since: { type: 'string', description: 'with dead: only dead-lettered since then (30m, 1h, or a date)' },
                },
              },
            },
          },
        },
        responses: answers('`{replayed}`, and `notReplayed: [{id, reason}]` for ids that were not (unknown, or not dead, delivered or silenced)'),
      },
    },
    '/admin/routes/test': {
      post: {
        summary: 'which routes a JoggAI webhook body matches and what each sink would send; nothing is sent',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: 'a JoggAI webhook body' } } } },
        responses: answers('the matching routes and each rendered message'),
      },
    },
    '/admin/silences': {
      get: {
        summary: 'silences in force or to come (all=true: expired ones too), newest first',
        parameters: [{ name: 'all', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } }],
        responses: answers('silences', 'array'),
      },
      post: {
        summary: 'silence matching deliveries for a while: they are recorded "silenced" (replayable), not sent',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['matchers', 'comment'],
                properties: {
                  matchers: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'field=value, field!=value or field=~regex (event, data.error.code, route, sink, …); all must hold' },
                  for: { type: 'string', description: 'how long: 30m, 2h, 1d (or until)' },
                  until: { type: 'string', description: 'until this date (or for)' },
                  comment: { type: 'string' },
                  createdBy: { type: 'string' },
                },
              },
            },
          },
        },
        responses: { 201: json('the silence'), 400: answers('')[400], 401: answers('')[401] },
      },
    },
    '/admin/silences/{id}/expire': { post: { summary: 'end a silence now', parameters: id, responses: { ...answers('`{id, expired}`'), 404: json('no such silence in force') } } },
    '/admin/config': { get: { summary: 'the config in use, every configured secret shown as "[redacted]"', responses: answers('`{file, config}`') } },
    '/admin/openapi.json': { get: { summary: 'this document', responses: answers('OpenAPI 3.0') } },
  },
} as const;

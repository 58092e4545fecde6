import { FastifyInstance } from 'fastify';

/**
 * JSON bodies reach the handlers as the raw bytes, so the signature is checked over exactly what was
 * sent and nothing unverified is parsed. Other content types get 415, bodies over the limit 413.
 */
export function acceptRawJson(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
    done(null, body);
  });
}

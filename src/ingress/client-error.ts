import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { formatDuration } from '../common/units';
import { errorBody } from '../ops/domain-exception.filter';

/**
 * Answers a request the HTTP parser gave up on (it never reached a handler) with the bridge's own error shape and a
 * reason of its own, then closes the connection: 408 for a request that did not arrive whole within
 * `server.requestTimeout`, 431 for headers over Node's limit, 400 for anything else the parser refused.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket, requestTimeoutMs: number): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, `the request did not arrive whole within ${formatDuration(requestTimeoutMs)} (server.requestTimeout)`]
    : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'the request headers are too large']
    : [400, 'malformed HTTP request'];
  const body = JSON.stringify(errorBody(status, message));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

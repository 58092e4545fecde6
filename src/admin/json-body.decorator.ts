import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from '../common/class-validator';
import { validationMessage } from './validation-message';
import { FastifyRequest } from 'fastify';
import { MAX_DEPTH, scanJson } from '../ingress/json-scan';

/**
 * JSON bodies arrive as raw bytes (the webhook route needs them so). This parses them and, given a DTO
 * class, validates them: 400 with the reasons otherwise.
 */
export const JsonBody = createParamDecorator((dto: (new () => object) | undefined, context: ExecutionContext) => {
  const text = bodyText(context);
  // deeper bodies would overflow the stack of whatever walks them next (validation, JSON.stringify)
  if (scanJson(text).tooDeep) throw new BadRequestException(`body is nested deeper than ${MAX_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestException('body must be JSON');
  }
  if (!dto) return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequestException('body must be a JSON object');
  const instance = plainToInstance(dto, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new BadRequestException(validationMessage(errors));
  return instance;
});

/** The JSON body as the text that was sent (for a body that is checked as a webhook body, byte for byte). */
export const JsonText = createParamDecorator((_data: unknown, context: ExecutionContext) => bodyText(context));

function bodyText(context: ExecutionContext): string {
  const body = context.switchToHttp().getRequest<FastifyRequest>().body;
  return Buffer.isBuffer(body) ? body.toString('utf8') : '';
}

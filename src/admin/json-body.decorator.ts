import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { FastifyRequest } from 'fastify';

/**
 * JSON bodies arrive as raw bytes (the webhook route needs them so). This parses them and, given a DTO
 * class, validates them: 400 with the reasons otherwise.
 */
export const JsonBody = createParamDecorator((dto: (new () => object) | undefined, context: ExecutionContext) => {
  const body = context.switchToHttp().getRequest<FastifyRequest>().body;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : '');
  } catch {
    throw new BadRequestException('body must be JSON');
  }
  if (!dto) return value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequestException('body must be a JSON object');
  const instance = plainToInstance(dto, value);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new BadRequestException(errors.flatMap((e) => Object.values(e.constraints ?? {})));
  return instance;
});

import { Controller, Get, NotFoundException, Param, Res, UseFilters, UseGuards } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FastifyReply } from 'fastify';
import { CONSOLE_CSS } from './assets/console-css';
import { CONSOLE_JS } from './assets/console-js';
import { ConsoleExceptionFilter } from './console.filter';
import { ConsoleGuard, Public } from './console.guard';
import { SECURITY_HEADERS } from './security';

/** uPlot's built files, from the installed package (a dependency: bundled with the bridge, never a CDN). */
function uplot(file: string): () => string {
  let text: string | undefined;
  return () => (text ??= readFileSync(join(dirname(require.resolve('uplot/package.json')), 'dist', file), 'utf8'));
}

const ASSETS: Record<string, { type: string; body: () => string }> = {
  'console.css': { type: 'text/css; charset=utf-8', body: () => CONSOLE_CSS },
  'console.js': { type: 'text/javascript; charset=utf-8', body: () => CONSOLE_JS },
  'uplot.js': { type: 'text/javascript; charset=utf-8', body: uplot('uPlot.iife.min.js') },
  'uplot.css': { type: 'text/css; charset=utf-8', body: uplot('uPlot.min.css') },
};

/** The console's static files: code and styles only, so they are served without a session. */
@Controller('console/assets')
@UseGuards(ConsoleGuard)
@UseFilters(ConsoleExceptionFilter)
export class ConsoleAssetsController {
  @Public()
  @Get(':name')
  asset(@Param('name') name: string, @Res() reply: FastifyReply) {
    const asset = Object.prototype.hasOwnProperty.call(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw new NotFoundException(`no asset ${name}`);
    reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'public, max-age=300' }).type(asset.type).send(asset.body());
  }
}

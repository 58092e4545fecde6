import { BadRequestException, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, UseGuards, UseInterceptors, ValidationPipe } from '@nestjs/common';
import { DeliveriesQuery, EventSearchQuery, EventsQuery, ReplayRequest, SilenceBody, SilencesQuery } from './admin.dto';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';
import { ADMIN_OPENAPI } from './openapi';
import { JsonBody, JsonText } from './json-body.decorator';
import { RedactingInterceptor } from '../ops/redacting.interceptor';
import { getMetadataStorage, validate } from '../common/class-validator';
import { validationMessage } from './validation-message';

// class-validator from the bridge's own pieces (the pipe would load its whole index: see common/class-validator);
// the pipe also reads the metadata storage, to refuse binary values where objects are declared
const validatorPackage = { validate, getMetadataStorage };
const query = new ValidationPipe({
  transform: true, whitelist: true, forbidNonWhitelisted: true, validatorPackage,
  exceptionFactory: (errors) => new BadRequestException(validationMessage(errors)),
});
@Controller('admin')
@UseGuards(AdminGuard)
@UseInterceptors(RedactingInterceptor)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('events')
  events(@Query(query) filter: EventsQuery) {
    return this.admin.events(filter);
  }

  @Get('events/search')
  searchEvents(@Query(query) search: EventSearchQuery) {
    return this.admin.searchEvents(search);
  }

  @Get('events/:id')
  event(@Param('id', ParseIntPipe) id: number) {
    return this.admin.event(id);
  }

  @Get('deliveries')
  deliveries(@Query(query) filter: DeliveriesQuery) {
    return this.admin.deliveries(filter);
  }

  @Get('deliveries/:id')
  delivery(@Param('id', ParseIntPipe) id: number) {
    return this.admin.delivery(id);
  }

  @Post('replay')
  @HttpCode(200)
  replay(@JsonBody(ReplayRequest) request: ReplayRequest) {
    return this.admin.replay(request);
  }

  @Post('routes/test')
  @HttpCode(200)
  routesTest(@JsonText() body: string) {
    return this.admin.routesTest(body);
  }

  @Get('silences')
  silences(@Query(query) filter: SilencesQuery) {
    return this.admin.listSilences(filter.all === 'true');
  }

  @Post('silences')
  @HttpCode(201)
  addSilence(@JsonBody(SilenceBody) body: SilenceBody) {
    return this.admin.addSilence(body);
  }

  @Post('silences/:id/expire')
  @HttpCode(200)
  expireSilence(@Param('id', ParseIntPipe) id: number) {
    return this.admin.expireSilence(id);
  }

  @Get('config')
  config() {
    return this.admin.currentConfig();
  }

  /** The admin API as OpenAPI 3.0, for any OpenAPI viewer or client generator. */
  @Get('openapi.json')
  openapi() {
    return ADMIN_OPENAPI;
  }
}

import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, UseGuards, UseInterceptors, ValidationPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeliveriesQuery, EventsQuery, ReplayRequest } from './admin.dto';
import { AdminGuard } from './admin.guard';
import { AdminService } from './admin.service';
import { JsonBody } from './json-body.decorator';
import { RedactingInterceptor } from '../ops/redacting.interceptor';

const query = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
@UseGuards(AdminGuard)
@UseInterceptors(RedactingInterceptor)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('events')
  @ApiOperation({ summary: 'stored events, newest first' })
  events(@Query(query) filter: EventsQuery) {
    return this.admin.events(filter);
  }

  @Get('events/:id')
  @ApiOperation({ summary: 'one event with its deliveries' })
  event(@Param('id', ParseIntPipe) id: number) {
    return this.admin.event(id);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'deliveries, newest first' })
  deliveries(@Query(query) filter: DeliveriesQuery) {
    return this.admin.deliveries(filter);
  }

  @Get('deliveries/:id')
  @ApiOperation({ summary: 'one delivery with every attempt' })
  delivery(@Param('id', ParseIntPipe) id: number) {
    return this.admin.delivery(id);
  }

  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'queue deliveries again: by ids, or every dead letter (narrowed by sink and since)' })
  @ApiBody({ type: ReplayRequest })
  replay(@JsonBody(ReplayRequest) request: ReplayRequest) {
    return this.admin.replay(request);
  }

  @Post('routes/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'which routes a JoggAI webhook body matches and what each sink would send; nothing is sent' })
  routesTest(@JsonBody() body: unknown) {
    return this.admin.routesTest(body);
  }

  @Get('config')
  @ApiOperation({ summary: 'the config in use, every configured secret shown as "[redacted]"' })
  config() {
    return this.admin.currentConfig();
  }
}

import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { BridgeConfigService } from '../config/bridge-config.service';
import { redactionFor } from '../config/secrets';

/**
 * Answers that show stored or reported text (admin API, /readyz) pass through the config's redaction: stored
 * errors, delivery history, dry runs, failed checks and the config itself show no configured secret, in any
 * encoding, whatever its length where it stands alone.
 */
@Injectable()
export class RedactingInterceptor implements NestInterceptor {
  constructor(private readonly config: BridgeConfigService) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((answer) => redactionFor(this.config.current).value(answer)));
  }
}

import { IsOptional, IsString } from '../../common/class-validator';
import { BaseSinkConfig } from '../core/sink-config';

export class ConsoleTemplates {
  @IsOptional() @IsString() format?: string;
}

export class ConsoleSinkConfig extends BaseSinkConfig {
  declare type: 'console';
  @IsOptional() @IsString() format?: string;
}

import { IsOptional, IsString, MinLength } from '../../common/class-validator';
import { BaseSinkConfig } from '../core/sink-config';

export class FileTemplates {
  /** One line per event; the event JSON (with bridge metadata) when absent. */
  @IsOptional() @IsString() format?: string;
}

export class FileSinkConfig extends BaseSinkConfig {
  declare type: 'file';
  @IsString() @MinLength(1) path!: string;
  @IsOptional() @IsString() format?: string;
}

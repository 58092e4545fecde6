import { Command, Help } from 'nest-commander';
import { serve } from '../../main';
import { BaseCommand, BaseOptions } from './base.command';

@Command({ name: 'serve', description: 'run the bridge: receive webhooks and deliver them (what `npm start` runs)' })
export class ServeCommand extends BaseCommand {
  async run(_params: string[], options: BaseOptions): Promise<void> {
    await serve(options.config);
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  JOGG_WEBHOOK_SECRET=dev-secret jogg-bridge serve --config config/bridge.yaml';
  }
}

import { Command, CommandRunner, Help } from 'nest-commander';
import { buildConfigSchema } from '../../config/config-schema';
import { printJson } from '../format';

@Command({ name: 'schema', description: 'print the JSON Schema of bridge.yaml (for editors; generated from the config classes)' })
export class SchemaCommand extends CommandRunner {
  async run(): Promise<void> {
    printJson(buildConfigSchema());
  }

  @Help('afterAll')
  example(): string {
    return '\nExample:\n  jogg-bridge schema > config/bridge.schema.json';
  }
}

/** `backupgen schema`: the JSON Schema of the config, for editors (yaml-language-server). */
import { configJsonSchema } from '../../config/schema/config.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';

export function schemaCommand(io: CliIo): number {
  io.out(JSON.stringify(configJsonSchema(), null, 2));
  return EXIT_OK;
}

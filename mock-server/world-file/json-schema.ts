/**
 * The world file's JSON Schema, generated from the valibot schema (editors use it for completion and checks).
 * Only transformations (trim, lower-casing) have no JSON Schema form; they are left out.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import { WorldFileSchema } from './schema';

export function worldFileJsonSchema(): Record<string, unknown> {
  return {
    ...toJsonSchema(WorldFileSchema, { typeMode: 'input', errorMode: 'ignore' }),
    title: 'Unified Login Switcher test world',
  };
}

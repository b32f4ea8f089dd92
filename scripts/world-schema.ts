/**
 * `npm run world-schema`: writes docs/world.schema.json, the published JSON Schema of the world file, from the
 * valibot schema the server checks files with (a test fails when the committed file is out of date).
 */
import { writeFileSync } from 'node:fs';
import { worldFileJsonSchema } from '../mock-server/world-file/json-schema';

writeFileSync('docs/world.schema.json', `${JSON.stringify(worldFileJsonSchema(), null, 2)}\n`);
console.log('Wrote docs/world.schema.json');

/**
 * `npm run world-schema`: writes docs/world.schema.json, the published JSON Schema of the world file, from the
 * valibot schema the server checks files with (a test fails when the committed file is out of date), in the
 * formatter's layout so the lint stays green.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { worldFileJsonSchema } from '../mock-server/world-file/json-schema';

const PATH = 'docs/world.schema.json';
writeFileSync(PATH, `${JSON.stringify(worldFileJsonSchema(), null, 2)}\n`);
const formatted = spawnSync('npx', ['biome', 'format', '--write', PATH], { stdio: 'inherit' });
if (formatted.status !== 0) process.exit(formatted.status ?? 1);
console.log(`Wrote ${PATH}`);

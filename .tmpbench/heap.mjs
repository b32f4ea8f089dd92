const v8 = await import('node:v8');
function used(){ global.gc(); global.gc(); return process.memoryUsage().heapUsed/1e6; }
const mods = process.argv.slice(2);
let prev = used(); console.log('base', prev.toFixed(1));
for (const m of mods) { await import(m); const u = used(); console.log(m, '+'+(u-prev).toFixed(2), 'MB'); prev = u; }

import { describe, expect, it } from 'vitest';
import { worldPortOf } from '../../../scripts/lib/world-port';

describe('the port npm start and npm run dev build the extension for', () => {
  it('is the port the world listens on: the last --port, else PORT, else 8787', () => {
    expect(worldPortOf([], {})).toBe(8787);
    expect(worldPortOf([], { PORT: '9000' })).toBe(9000);
    expect(worldPortOf(['--port', '9100'], { PORT: '9000' })).toBe(9100);
    expect(worldPortOf(['--reset', '--port=9200', '--db', ':memory:'], {})).toBe(9200);
    expect(worldPortOf(['--port', '9100', '--port', '9300'], {})).toBe(9300);
  });

  it('refuses a port that is not one, as the server would', () => {
    for (const bad of ['80a', '0', '70000', '-1', '', '0x50', '1e3']) {
      expect(() => worldPortOf(['--port', bad], {})).toThrow(
        `invalid --port "${bad}" (a whole number from 1 to 65535)`,
      );
    }
    expect(() => worldPortOf([], { PORT: 'x' })).toThrow('invalid PORT "x" (a whole number from 1 to 65535)');
  });

  it('refuses an empty PORT, as the server does, instead of building for 8787', () => {
    expect(() => worldPortOf([], { PORT: '' })).toThrow('invalid PORT "" (a whole number from 1 to 65535)');
    expect(worldPortOf(['--port', '9100'], { PORT: '' })).toBe(9100);
  });
});

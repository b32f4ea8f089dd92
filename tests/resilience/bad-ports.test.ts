/**
 * A port that is not one — empty, not a whole number, out of range — from `--port` or `PORT` is one line naming
 * the value, where it came from and what is accepted, exit 2, before anything starts: never port 0 (a random
 * port) or a number read loosely ("0x50" as 80).
 */
import { describe, expect, it } from 'vitest';
import { startServer } from './server-process';

/** Starts the server with `args` and `PORT` (empty unless given) and waits for it to exit. */
async function refusal(args: string[], port?: string) {
  // `env` sets PORT after startServer's own empty one.
  const server = startServer(args, port === undefined ? {} : { wrap: ['env', `PORT=${port}`] });
  const code = await server.exited;
  return { code, lines: server.stderrLines(), stdout: server.stdout() };
}

const ACCEPTED = '(a whole number from 1 to 65535)';

describe('a bad port', () => {
  it('refuses an empty PORT: exit 2, one line naming PORT and what is accepted', async () => {
    expect(await refusal(['--db', ':memory:'])).toEqual({
      code: 2,
      lines: [`mock-server: invalid PORT "" ${ACCEPTED}`],
      stdout: '',
    });
  });

  it('refuses an empty --port, even with a good PORT: exit 2, one line naming --port', async () => {
    expect(await refusal(['--port', '', '--db', ':memory:'], '8787')).toEqual({
      code: 2,
      lines: [`mock-server: invalid --port "" ${ACCEPTED}`],
      stdout: '',
    });
  });

  it('refuses what is not a whole number from 1 to 65535 in --port and PORT, read strictly', async () => {
    for (const bad of ['0', '70000', '-1', '80a', '0x50', '1e3', ' 8787', '80.0']) {
      expect(await refusal([`--port=${bad}`, '--db', ':memory:'])).toEqual({
        code: 2,
        lines: [`mock-server: invalid --port "${bad}" ${ACCEPTED}`],
        stdout: '',
      });
    }
    expect(await refusal(['--db', ':memory:'], '0x50')).toEqual({
      code: 2,
      lines: [`mock-server: invalid PORT "0x50" ${ACCEPTED}`],
      stdout: '',
    });
  });
});

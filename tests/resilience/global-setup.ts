/** The resilience tests run the server as a process: build its bundle once before them. */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npm', ['run', 'build:server', '--silent'], { stdio: 'inherit' });
}

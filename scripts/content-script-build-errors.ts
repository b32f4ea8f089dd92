/**
 * CRXJS's dev server rebuilds the IIFE content script on a change and leaves a failed build's rejection unhandled:
 * one save that does not compile (or a save in two steps, whose first step is an empty file) would end Vite, and with
 * it `npm run dev`. With this plugin the failure is reported and the server goes on; the next save builds again.
 * Any other unhandled rejection still ends the process, as it would without the plugin.
 */
import type { Plugin } from 'vite';

/** What a failed build of Vite's bundler rejects with: its message lists each error with its source frame. */
function isBuildFailure(reason: unknown): reason is Error {
  return reason instanceof Error && Array.isArray((reason as { errors?: unknown }).errors);
}

function report(reason: unknown): void {
  if (!isBuildFailure(reason)) throw reason;
  console.error(`${reason.message}\nThe content script build failed (above); the next save builds again.`);
}

export function reportContentScriptBuildErrors(): Plugin {
  return {
    name: 'uls:content-script-build-errors',
    apply: 'serve',
    configureServer() {
      // Once per process: Vite configures a new server on each restart (e.g. after an edit of its config).
      if (!process.listeners('unhandledRejection').includes(report)) process.on('unhandledRejection', report);
    },
  };
}

/**
 * Build plugin: the popup ships as one classic script and its CSS inlined in its HTML, so opening it costs one
 * HTML file and one script — no chain of module chunks shared with the options page and the background, and no
 * stylesheet to fetch before the first paint. The popup is bundled on its own (like CRXJS's IIFE content
 * scripts) and replaces the popup chunk of the main build; the dev server (`npm run dev`) keeps CRXJS's modules
 * and hot reload. See docs/architecture.md, "Extension contexts".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, mergeConfig, type Plugin, type ResolvedConfig, type Rolldown } from 'vite';

type Bundle = Rolldown.OutputBundle;

/** The popup's output: its script and CSS, from a separate build of `entry` alone. */
async function buildPopup(parent: ResolvedConfig, entry: string, fileName: string) {
  const result = await build(
    mergeConfig(
      { root: parent.root, mode: parent.mode, resolve: parent.resolve, define: parent.define, oxc: parent.oxc },
      {
        configFile: false,
        logLevel: 'warn',
        plugins: [],
        build: {
          write: false,
          emptyOutDir: false,
          lib: { entry: join(parent.root, entry), formats: ['iife'], name: 'popup', fileName: () => fileName },
          rollupOptions: { output: { entryFileNames: fileName } },
          minify: parent.build.minify,
          sourcemap: false,
          target: parent.build.target,
        },
      },
    ),
  );
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const chunks = outputs.filter((o): o is Rolldown.OutputChunk => o.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`The popup built into ${chunks.length} scripts; it must be one.`);
  const css = outputs
    .filter((o): o is Rolldown.OutputAsset => o.type === 'asset' && o.fileName.endsWith('.css'))
    .map((o) =>
      String(o.source)
        .replace(/\/\*\$vite\$:\d+\*\/\s*/g, '')
        .trim(),
    )
    .join('\n');
  return { code: chunks[0]!.code, css };
}

/** Drops the main build's popup chunk, its CSS, and any chunk nothing else imports any more. */
function dropPopupChunks(bundle: Bundle, htmlPath: string): void {
  const popup = Object.values(bundle).find(
    (o): o is Rolldown.OutputChunk => o.type === 'chunk' && o.isEntry && (o.facadeModuleId ?? '').endsWith(htmlPath),
  );
  if (!popup) return;
  const css = (popup as { viteMetadata?: { importedCss: Set<string> } }).viteMetadata?.importedCss ?? new Set();
  delete bundle[popup.fileName];
  const stillUsedCss = new Set(
    Object.values(bundle).flatMap((o) =>
      o.type === 'chunk'
        ? [...((o as { viteMetadata?: { importedCss: Set<string> } }).viteMetadata?.importedCss ?? [])]
        : [],
    ),
  );
  for (const file of css) if (!stillUsedCss.has(file)) delete bundle[file];
  for (let dropped = true; dropped; ) {
    dropped = false;
    const chunks = Object.values(bundle).filter((o): o is Rolldown.OutputChunk => o.type === 'chunk');
    const imported = new Set(chunks.flatMap((c) => [...c.imports, ...c.dynamicImports]));
    for (const chunk of chunks) {
      if (chunk.isEntry || imported.has(chunk.fileName)) continue;
      delete bundle[chunk.fileName];
      dropped = true;
    }
  }
}

/**
 * `html` is the popup page (as in the manifest), `entry` its script. In the source HTML the script is
 * `<script type="module" src="./main.tsx">` (what the dev server serves); the built page loads `popup.js` in its
 * place, a classic script at the end of the body, so the popup renders before DOMContentLoaded.
 */
export function popupAsOneScript(html = 'src/popup/index.html', entry = 'src/popup/main.tsx'): Plugin {
  let config: ResolvedConfig;
  const scriptName = 'popup.js';
  const scriptPath = join(html, '..', scriptName);
  return {
    name: 'uls:popup-one-script',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle: {
      order: 'post',
      async handler(_options, bundle) {
        if (!(html in bundle)) return;
        const { code, css } = await buildPopup(config, entry, scriptName);
        const source = readFileSync(join(config.root, html), 'utf8');
        const moduleScript = `<script type="module" src="./${entry.split('/').pop()}"></script>`;
        if (!source.includes(moduleScript) || !source.includes('</head>')) {
          throw new Error(`${html} must load its script as ${moduleScript}`);
        }
        const page = source
          .replace('</head>', `  <style>${css}</style>\n  </head>`)
          .replace(moduleScript, `<script src="./${scriptName}"></script>`);
        dropPopupChunks(bundle, html);
        this.emitFile({ type: 'asset', fileName: scriptPath, source: code });
        delete bundle[html];
        this.emitFile({ type: 'asset', fileName: html, source: page });
      },
    },
  };
}

/**
 * Server-rendered HTML: a tagged template that escapes every interpolated value unless it is already `SafeHtml`,
 * and the one page layout (plain, accessible, light/dark through `prefers-color-scheme`).
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** `html\`<p>${userInput}</p>\`` — interpolations are escaped; nested `html` fragments are kept. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

const STYLES = `
:root{color-scheme:light dark;--bg:#f6f7f9;--fg:#121c2d;--muted:#606b85;--card:#fff;--line:#d8dce5;--accent:#0263e0;
--accent-fg:#fff;--danger:#d61f1f;--danger-bg:#feecec;--info-bg:#e8f1fd;--nav:#121c2d;--nav-fg:#fff;font-family:system-ui,-apple-system,
"Segoe UI",Roboto,sans-serif;line-height:1.5}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6e9ef;--muted:#9aa3b5;--card:#171c26;--line:#2d3544;
--accent:#4d9bff;--accent-fg:#0d1117;--danger:#ff8a8a;--danger-bg:#3a1717;--info-bg:#14233a;--nav:#06080c}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg)}
a{color:var(--accent)}main{max-width:28rem;margin:3rem auto;padding:0 1rem}main.wide{max-width:60rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.75rem;padding:1.5rem 1.75rem}
h1{font-size:1.5rem;margin:0 0 1rem}h1.with-icon{display:flex;align-items:center;gap:.6rem}p.muted{color:var(--muted)}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{width:100%;font:inherit;padding:.55rem .7rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);
color:var(--fg)}input:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
button{font:inherit;font-weight:600;margin-top:1.25rem;padding:.6rem 1rem;border:0;border-radius:.4rem;
background:var(--accent);color:var(--accent-fg);cursor:pointer;width:100%}button.secondary{background:transparent;
color:var(--fg);border:1px solid var(--line)}
.alert{background:var(--danger-bg);color:var(--danger);border-radius:.4rem;padding:.6rem .8rem;margin:0 0 1rem}
.notice{background:var(--info-bg);border-radius:.4rem;padding:.6rem .8rem;margin:0 0 1rem}
.brand{font-weight:700;letter-spacing:.02em;color:var(--muted);margin-bottom:.5rem}
nav.top{display:flex;align-items:center;gap:1rem;padding:.6rem 1.25rem;background:var(--nav);color:var(--nav-fg)}
nav.top{flex-wrap:wrap;row-gap:.5rem}nav.top .spacer{flex:1}
@media (max-width:40rem){nav.top{gap:.75rem;padding:.5rem .75rem}nav.top .who{display:none}main{margin:1.5rem auto}
.card{padding:1.1rem 1rem}dl{grid-template-columns:minmax(0,1fr);gap:.1rem}dd{margin-bottom:.5rem}}nav.top form{margin:0}nav.top button{margin:0;width:auto;padding:.35rem .8rem;
background:transparent;color:var(--nav-fg);border:1px solid #ffffff55}
button.inline{width:auto;margin:0;padding:.35rem .75rem}
details.confirm summary{cursor:pointer;color:var(--accent);font-weight:600}details.confirm p{margin:.4rem 0}
details.confirm button{background:var(--danger);color:var(--bg)}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap;border:0}
.table-scroll{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .6rem;
border-bottom:1px solid var(--line);vertical-align:top}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.4rem 1.25rem}dt{color:var(--muted)}
dd{margin:0;overflow-wrap:anywhere}
`;

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Wider main column (dashboards rather than forms). */
  wide?: boolean;
  /** Markup placed before `<main>`, e.g. a navigation bar. */
  header?: SafeHtml;
}

export function page({ title, body, wide, header }: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<title>${title}</title>
<style>${new SafeHtml(STYLES)}</style>
</head>
<body>
${header}
<main class="${wide ? 'wide' : ''}">
${body}
</main>
</body>
</html>`.value;
}

/** Headers for the identity pages: no framing, no script at all, no sniffing, never cached. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  // No form-action: Chromium applies it to the redirects after a form POST, and the login's redirect chain ends
  // at the client's redirect URI (e.g. https://<extension id>.chromiumapp.org/oidc).
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/**
 * Headers for product pages (the Console): the extension's content script mounts UI into them, so the policy only
 * forbids framing and plugins rather than constraining styles or scripts.
 */
export const PRODUCT_PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cache-Control': 'no-store',
};

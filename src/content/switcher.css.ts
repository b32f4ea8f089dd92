/** Styles of the in-page switcher, scoped by its shadow root. The host reserves its size: no layout shift. */
export const SWITCHER_CSS = `
:host {
  all: initial;
  display: inline-block;
  position: relative;
  width: 13rem;
  height: 2.25rem;
  vertical-align: middle;
  --bg: #fff; --surface: #f1f3f6; --text: #121c2d; --muted: #4b5671; --border: #c9ced8;
  --accent: #0263e0; --focus: #0263e0; --warn: #8a4b00; --skeleton: #e3e6ec;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--text);
}
@media (prefers-color-scheme: dark) {
  :host {
    --bg: #121c2d; --surface: #1f2c44; --text: #f4f5f7; --muted: #b8bfcc; --border: #3d4a63;
    --accent: #7ab0ff; --focus: #9cc4ff; --warn: #ffc46b; --skeleton: #2a3852;
  }
}
* { box-sizing: border-box; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
button {
  all: unset; box-sizing: border-box; display: flex; align-items: center; gap: 8px;
  width: 100%; height: 100%; padding: 0 10px; border: 1px solid var(--border); border-radius: 8px;
  background: var(--bg); color: var(--text); cursor: pointer; font-weight: 600; white-space: nowrap;
}
button:hover { background: var(--surface); }
button:focus-visible, [role="menuitem"]:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.launcher { color: var(--muted); flex: none; }
.icon { flex: none; border-radius: 5px; }
.current { flex: 1; overflow: hidden; text-overflow: ellipsis; }
.caret { font-size: 12px; color: var(--muted); }
.panel {
  position: absolute; top: calc(100% + 4px); left: 0; z-index: 2147483647; min-width: 100%; width: 19rem;
  background: var(--bg); border: 1px solid var(--border); border-radius: 10px;
  box-shadow: 0 8px 28px rgb(0 0 0 / 0.2); overflow: hidden;
}
.panel[hidden], [role="menu"][hidden] { display: none; }
[role="menu"] { margin: 0; padding: 4px; list-style: none; max-height: min(70vh, 30rem); overflow-y: auto; }
[role="menuitem"] {
  display: flex; align-items: center; gap: 10px; padding: 8px 10px; border-radius: 6px; cursor: pointer;
  outline: none;
}
[role="menuitem"]:hover, [role="menuitem"]:focus { background: var(--surface); }
[role="menuitem"][aria-disabled="true"] { cursor: default; color: var(--muted); }
[role="menuitem"][aria-current="page"] { box-shadow: inset 3px 0 0 var(--accent); }
.text { display: grid; min-width: 0; }
.name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.status { font-size: 12.5px; color: var(--muted); }
.unavailable .status { color: var(--warn); }
.product.unavailable:not([aria-disabled]) .status { color: var(--accent); font-weight: 600; }
.workspace { padding: 5px 10px 5px 40px; }
.workspace .text { grid-template-columns: 1fr auto; gap: 8px; align-items: baseline; width: 100%; }
.workspace .name { font-weight: 400; }
.hint { font-size: 13px; }
.sign-in { justify-content: center; margin: 4px; background: var(--accent); color: var(--bg); font-weight: 600; }
.sign-in:hover, .sign-in:focus { background: var(--accent); filter: brightness(1.1); }
.loading { display: grid; gap: 8px; }
.skeleton { display: grid; gap: 8px; }
.skeleton span { display: block; height: 28px; border-radius: 6px; background: var(--skeleton); animation: pulse 1.2s ease-in-out infinite; }
@keyframes pulse { 50% { opacity: 0.5; } }
@media (prefers-reduced-motion: reduce) { .skeleton span { animation: none; } }
.message:empty { display: none; }
.message { margin: 0; padding: 8px 14px 10px; border-top: 1px solid var(--border); font-size: 13px; color: var(--text); }
`;

/** Styles of the in-page switcher, scoped by its shadow root. The host reserves its size: no layout shift. */
export const SWITCHER_CSS = `
:host {
  all: initial;
  display: inline-block;
  position: relative;
  width: 13rem;
  height: 2.25rem;
  vertical-align: middle;
  --bg: #fff; --surface: #f4f5f7; --text: #121c2d; --muted: #4b5671; --border: #d8dbe2;
  --accent: #0263e0; --focus: #0263e0; --warn: #8a5300;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--text);
}
@media (prefers-color-scheme: dark) {
  :host {
    --bg: #121c2d; --surface: #1c2940; --text: #f4f5f7; --muted: #b4bac8; --border: #39465e;
    --accent: #6aa6ff; --focus: #9cc4ff; --warn: #ffd08a;
  }
}
* { box-sizing: border-box; }
button {
  all: unset; box-sizing: border-box; display: flex; align-items: center; justify-content: space-between; gap: 8px;
  width: 100%; height: 100%; padding: 0 10px; border: 1px solid var(--border); border-radius: 6px;
  background: var(--bg); color: var(--text); cursor: pointer; font-weight: 600; white-space: nowrap;
}
button:focus-visible, [role="menuitem"]:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.caret { font-size: 10px; color: var(--muted); }
[role="menu"] {
  position: absolute; top: calc(100% + 4px); left: 0; z-index: 2147483647; min-width: 100%; width: 18rem;
  margin: 0; padding: 4px; list-style: none; background: var(--bg); border: 1px solid var(--border);
  border-radius: 8px; box-shadow: 0 6px 24px rgb(0 0 0 / 0.18); max-height: min(70vh, 30rem); overflow-y: auto;
}
[role="menu"][hidden] { display: none; }
[role="menuitem"] {
  display: grid; gap: 2px; padding: 8px 10px; border-radius: 6px; cursor: pointer; outline: none;
}
[role="menuitem"]:hover, [role="menuitem"]:focus { background: var(--surface); }
[role="menuitem"][aria-disabled="true"] { cursor: default; color: var(--muted); }
.name { font-weight: 600; }
.status { font-size: 12px; color: var(--muted); }
.unavailable .status { color: var(--warn); }
.workspace { grid-template-columns: 1fr auto; align-items: baseline; gap: 8px; padding: 5px 10px 5px 24px; }
.workspace .name { font-weight: 400; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
`;

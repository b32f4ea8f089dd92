/** Styles of the login-redirect notice, scoped by its shadow root. Hidden (no box at all) until there is a notice. */
export const LOGIN_REDIRECT_CSS = `
:host {
  all: initial;
  display: block;
  margin-top: 12px;
  --bg: #eef4fe; --text: #121c2d; --muted: #4b5671; --border: #99c2f7;
  --accent: #0263e0; --accent-text: #fff; --focus: #0263e0; --button-bg: #fff;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--text);
}
:host([hidden]) { display: none; }
@media (prefers-color-scheme: dark) {
  :host {
    --bg: #13233d; --text: #f4f5f7; --muted: #b4bac8; --border: #2f5a99;
    --accent: #6aa6ff; --accent-text: #0d1117; --focus: #9cc4ff; --button-bg: #121c2d;
  }
}
* { box-sizing: border-box; }
.notice {
  display: grid; gap: 6px; padding: 10px 12px; border: 1px solid var(--border); border-radius: 8px;
  background: var(--bg); color: var(--text);
}
p { margin: 0; }
.title { font-weight: 600; }
.email { color: var(--muted); overflow-wrap: anywhere; }
.row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.countdown { flex: 1 1 auto; color: var(--muted); min-height: 1.4em; }
button {
  all: unset; box-sizing: border-box; padding: 5px 12px; border-radius: 6px; border: 1px solid var(--accent);
  background: var(--button-bg); color: var(--accent); cursor: pointer; font-weight: 600; line-height: 1.4;
}
button.primary { background: var(--accent); color: var(--accent-text); }
button:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
button[hidden] { display: none; }
`;

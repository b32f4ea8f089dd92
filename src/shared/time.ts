/** "09:14": when products were last confirmed, in the person's own clock (popup and switcher say it alike). */
export function confirmedTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

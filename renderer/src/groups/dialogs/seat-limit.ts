/** The seat limit box holds text; empty means no limit. */
export function parseSeatLimit(text: string): { value: number | null; error: string | null } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: null, error: null };
  if (!/^\d+$/.test(trimmed)) return { value: null, error: 'Seat limit must be a whole number, 0 or more, or empty for no limit' };
  return { value: Number(trimmed), error: null };
}

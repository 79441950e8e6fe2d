import type { CSSProperties } from 'react';
import type { Branding } from '../../../shared/contract';

/** Steward's own accent, as in styles.css. */
const STEWARD_ACCENT = '#1f5fbf';

/** Colours are applied as custom properties through React's style prop (CSSOM), which the CSP allows. */
export type BrandColours = Pick<Branding, 'primaryColor' | 'accentColor'>;

function channel(hex: string, offset: number): number {
  const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of #RRGGBB. */
function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** Whichever of white or near-black reads better on `hex`: a brand colour must never make its own text unreadable. */
export function readableTextOn(hex: string): string {
  const l = luminance(hex);
  const onWhite = 1.05 / (l + 0.05);
  const onDark = (l + 0.05) / (luminance('#1d2330') + 0.05);
  return onWhite >= onDark ? '#ffffff' : '#1d2330';
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function darken(hex: string, amount: number): string {
  const part = (offset: number) =>
    Math.round(parseInt(hex.slice(offset, offset + 2), 16) * (1 - amount))
      .toString(16)
      .padStart(2, '0');
  return `#${part(1)}${part(3)}${part(5)}`;
}

/** The accent darkened just enough to be read as text on white (WCAG AA), for links and icons. */
export function inkOf(hex: string): string {
  let ink = hex;
  for (let step = 1; step <= 10 && contrast(ink, '#ffffff') < 4.5; step++) ink = darken(hex, step / 10);
  return ink;
}

/**
 * The custom properties a branding sets. The primary colour paints the header; the
 * accent colour (or the primary when there is no accent) paints buttons, links and the
 * current navigation entry. Unset colours leave Steward's defaults from styles.css.
 */
export function brandingStyle(colours: BrandColours | null, options: { standalone?: boolean } = {}): CSSProperties {
  const vars: Record<string, string> = {};
  const primary = colours?.primaryColor ?? null;
  const accent = colours?.accentColor ?? primary ?? (options.standalone ? STEWARD_ACCENT : null);
  // A preview inside an already branded shell must not inherit the shell's colours for what it leaves unset.
  if (options.standalone && !primary) {
    vars['--brand-primary'] = '#ffffff';
    vars['--brand-primary-text'] = '#1d2330';
  }
  if (primary) {
    vars['--brand-primary'] = primary;
    vars['--brand-primary-text'] = readableTextOn(primary);
  }
  if (accent) {
    vars['--accent'] = accent;
    vars['--accent-text'] = readableTextOn(accent);
    vars['--accent-ink'] = inkOf(accent);
  }
  return vars as CSSProperties;
}

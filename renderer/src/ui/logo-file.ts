export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/svg+xml'] as const;
export const LOGO_MAX_BYTES = 200 * 1024;

export type LogoRead = { ok: true; dataUrl: string } | { ok: false; message: string };

function kilobytes(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Reads a chosen logo as a data URL, refusing before upload what the server would refuse
 * anyway: the wrong type, or a file too large to travel with every sign-in.
 */
export function readLogo(file: File): Promise<LogoRead> {
  if (!(LOGO_TYPES as readonly string[]).includes(file.type)) {
    return Promise.resolve({ ok: false, message: `“${file.name}” is not a PNG, JPEG, WebP or SVG image.` });
  }
  if (file.size > LOGO_MAX_BYTES) {
    return Promise.resolve({
      ok: false,
      message: `“${file.name}” is ${kilobytes(file.size)}; a logo may be at most ${kilobytes(LOGO_MAX_BYTES)}. Choose a smaller image.`,
    });
  }
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve(
        typeof reader.result === 'string' ? { ok: true, dataUrl: reader.result } : { ok: false, message: 'The file could not be read.' },
      );
    reader.onerror = () => resolve({ ok: false, message: `“${file.name}” could not be read.` });
    reader.readAsDataURL(file);
  });
}

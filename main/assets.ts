import { fileURLToPath } from 'node:url';

/**
 * Files shipped beside the code. The build copies `main/assets/` next to each bundle,
 * so the same relative URL works from source (tests) and from `dist/main/`.
 */
export function assetPath(name: string): string {
  return fileURLToPath(new URL(`./assets/${name}`, import.meta.url));
}

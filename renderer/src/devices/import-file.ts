import { IMPORT_CHARS_MAX } from '../../../shared/contract';

export interface ImportFile {
  name: string;
  format: 'csv' | 'json';
  content: string;
}

/**
 * Reads a picked file as UTF-8. Decoding is deliberately not fatal: a bad byte becomes U+FFFD
 * and the server names the line it is on, instead of the whole file failing with no line at all.
 */
export async function readImportFile(file: File): Promise<ImportFile | { error: string }> {
  if (file.size > IMPORT_CHARS_MAX * 2)
    return { error: `${file.name} is larger than the ${IMPORT_CHARS_MAX / 1024 / 1024} MiB an import takes` };
  const content = new TextDecoder('utf-8').decode(await file.arrayBuffer());
  if (content.trim() === '') return { error: `${file.name} is empty` };
  const lower = file.name.toLowerCase();
  const looksJson = /^\uFEFF?\s*[[{]/.test(content);
  const format = lower.endsWith('.json') || (!lower.endsWith('.csv') && looksJson) ? 'json' : 'csv';
  return { name: file.name, format, content };
}

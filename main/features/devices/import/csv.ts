/**
 * One record of a CSV file, with the line it starts on, or the reason it cannot be read.
 * `plain` says the record holds no control character and no U+FFFD, so its fields need no
 * character-by-character checks (the common case, tested once per line).
 */
export type CsvRecord =
  | { line: number; fields: string[]; plain: boolean; error?: undefined }
  | { line: number; fields?: undefined; plain?: undefined; error: string };

// eslint-disable-next-line no-control-regex -- control characters and U+FFFD are exactly what is looked for
const SUSPICIOUS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\uFFFD]/;

/**
 * RFC 4180 records (comma separated; a field in double quotes may hold commas, line
 * breaks and doubled quotes), read leniently per record: a malformed record is reported
 * with its line and the rest of the file is still read, so an import can show every
 * problem at once. Blank lines are skipped. Lines without quotes take a fast path.
 */
export function readCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    let end = text.indexOf('\n', i);
    if (end === -1) end = text.length;
    const raw = text.slice(i, end > i && text[end - 1] === '\r' ? end - 1 : end);
    if (!raw.includes('"')) {
      if (raw.trim() !== '') out.push({ line, fields: raw.split(','), plain: !SUSPICIOUS.test(raw) });
      i = end + 1;
      line++;
      continue;
    }
    const quoted = readQuotedRecord(text, i, line);
    out.push(quoted.record);
    i = quoted.next;
    line = quoted.nextLine;
  }
  return out;
}

function readQuotedRecord(text: string, start: number, line: number): { record: CsvRecord; next: number; nextLine: number } {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let error: string | null = null;
  let i = start;
  let currentLine = line;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        afterQuote = true;
        i++;
      } else {
        if (c === '\n') currentLine++;
        field += c;
        i++;
      }
      continue;
    }
    if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) break;
    if (c === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
    } else if (afterQuote) {
      error ??= 'Text after a closing quote';
    } else if (c === '"') {
      if (field !== '') error ??= 'A quote inside an unquoted value (quote the whole value and double the quote)';
      else quoted = true;
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) error ??= 'A quoted value is not closed';
  fields.push(field);
  // Step past the line break that ended the record.
  const next = text[i] === '\r' ? i + 2 : i + 1;
  const record: CsvRecord = error ? { line, error } : { line, fields, plain: false };
  return { record, next, nextLine: currentLine + 1 };
}

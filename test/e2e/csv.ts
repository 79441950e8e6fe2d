/**
 * A strict RFC 4180 reader for what the audit export writes: fields separated by commas,
 * records by CRLF (a lone LF or CR is accepted too), a field in double quotes may hold
 * commas, line breaks and doubled quotes. Anything else (a quote inside an unquoted field,
 * text after a closing quote, an unterminated quote) is an error, not a guess.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const endField = () => {
    record.push(field);
    field = '';
    afterQuote = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };

  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        afterQuote = true;
        i += 1;
      } else {
        field += c;
        i += 1;
      }
      continue;
    }
    if (c === ',') {
      endField();
      i += 1;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else if (afterQuote) {
      throw new Error(`CSV: text after a closing quote at offset ${i}`);
    } else if (c === '"') {
      if (field !== '') throw new Error(`CSV: a quote inside an unquoted field at offset ${i}`);
      quoted = true;
      i += 1;
    } else {
      field += c;
      i += 1;
    }
  }
  if (quoted) throw new Error('CSV: a quoted field is not closed');
  // The last record needs no line break after it; a final line break adds no empty record.
  if (field !== '' || afterQuote || record.length > 0) endRecord();
  return records;
}

/** Records as objects keyed by the header row; every record must have exactly the header's fields. */
export function csvObjects(text: string): { header: string[]; rows: Array<Record<string, string>> } {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new Error('CSV: no header row');
  const rows = records.map((record, index) => {
    if (record.length !== header.length) {
      throw new Error(`CSV: record ${index + 2} has ${record.length} fields, the header has ${header.length}`);
    }
    return Object.fromEntries(header.map((name, j) => [name, record[j] ?? '']));
  });
  return { header, rows };
}

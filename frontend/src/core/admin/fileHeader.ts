import { csvHeader } from './csvHeader';
import { xlsxHeader } from './xlsxHeader';

/** FileHeader is what the import wizard reads of a chosen file before uploading it. */
export interface FileHeader {
  format: 'csv' | 'xlsx';
  /** sheets and sheet are a workbook's sheet names and the one read. */
  sheets: string[];
  sheet: string;
  /** headers is null when the header row is missing or empty. */
  headers: string[] | null;
}

/** CSV_HEAD is how much of a CSV file is read to find its header row. */
const CSV_HEAD = 256 << 10;

const OLE = [0xd0, 0xcf, 0x11, 0xe0];

/**
 * fileHeader reads the column headers of a CSV file or .xlsx workbook in the browser,
 * telling the format from the first bytes as the server does (a zip archive is a
 * workbook, an OLE file an old .xls). CSV text may be UTF-8, UTF-16 with a byte order
 * mark or GB18030. It throws an Error whose message is the server's code for the same
 * refusal: empty_file, legacy_workbook, unsupported_file, unreadable_file, unknown_sheet.
 *
 * @example
 * await fileHeader(file, { sheet: '', headerRow: 1 }) // { format: 'csv', sheets: [], sheet: '', headers: ['Name', 'Phone'] }
 */
export async function fileHeader(file: Blob, opts: { sheet: string; headerRow: number }): Promise<FileHeader> {
  if (file.size === 0) throw new Error('empty_file');
  const head = new Uint8Array(await readBytes(file.slice(0, 8)));
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    const wb = await xlsxHeader(await readBytes(file), opts.sheet, opts.headerRow);
    return { format: 'xlsx', ...wb };
  }
  if (OLE.every((b, i) => head[i] === b)) throw new Error('legacy_workbook');
  const bytes = new Uint8Array(await readBytes(file.slice(0, CSV_HEAD)));
  const text = decodeCsv(bytes, file.size > CSV_HEAD);
  if (text === null) throw new Error('unsupported_file');
  return { format: 'csv', sheets: [], sheet: '', headers: csvHeader(text, opts.headerRow) };
}

/** decodeCsv decodes CSV bytes, or answers null for binary content. */
function decodeCsv(b: Uint8Array, cut: boolean): string | null {
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b);
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b);
  if (b.includes(0)) return null;
  // A slice may end inside a character: judge UTF-8 without its last few bytes.
  const judged = cut ? b.subarray(0, Math.max(0, b.length - 3)) : b;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(judged);
  } catch {
    return new TextDecoder('gb18030').decode(judged);
  }
}

function readBytes(blob: Blob): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result as ArrayBuffer);
    r.onerror = () => reject(new Error('unreadable_file'));
    r.readAsArrayBuffer(blob);
  });
}
